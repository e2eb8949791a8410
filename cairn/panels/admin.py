"""Panels and their members in Django admin (administrators only: only they are staff).

Only the panel itself and its membership are here: meetings, agendas and minutes name children,
and administrators never read case records (cairn.accounts.access). Changes made here are kept
in the field-level change history (django-auditlog)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from cairn.panels.models import Panel, PanelMember


class PanelMemberInline(admin.TabularInline):
    model = PanelMember
    extra = 1
    fields = ["user", "role", "started_on", "ended_on"]
    autocomplete_fields = ["user"]


@admin.register(Panel)
class PanelAdmin(admin.ModelAdmin):
    list_display = ["name", "panel_type", "cadence_days", "is_active"]
    list_filter = ["panel_type", "is_active"]
    search_fields = ["name"]
    filter_horizontal = ["agencies"]
    inlines = [PanelMemberInline]

    def has_delete_permission(self, request: HttpRequest, obj: Panel | None = None) -> bool:
        """Panels with meetings are kept (their minutes belong to the partnership's record):
        close them instead."""
        if obj is not None and obj.meetings.exists():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(PanelMember)
class PanelMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "panel", "role", "started_on", "ended_on"]
    list_filter = ["role", "panel"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "panel__name"]
    autocomplete_fields = ["user"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[PanelMember]:
        return super().get_queryset(request).select_related("user", "panel")
