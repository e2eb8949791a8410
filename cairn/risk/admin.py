"""The indicator catalogue in Django admin (administrators only: only they are staff).

Adding and retiring go through the services, so each publishes a new catalogue version;
an indicator is never edited or deleted once published (assessments keep what they used).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from cairn.risk.models import CatalogueVersion, ExploitationType, Indicator
from cairn.risk.services import catalogue_indicator_add, catalogue_indicator_retire


class IndicatorAddForm(forms.ModelForm):
    exploitation_types = forms.MultipleChoiceField(
        choices=ExploitationType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="The types of exploitation this indicator points to.",
    )

    class Meta:
        model = Indicator
        fields = ["code", "category", "wording", "group", "exploitation_types"]
        help_texts = {
            "code": "Stable and never reused: letters, digits, '-' and '_'.",
            "group": "For significant indicators: sexual, criminal, online, trafficking, ...",
        }


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "wording", "category", "group", "added_in", "retired_in"]
    list_filter = ["category", "group", ("retired_in", admin.EmptyFieldListFilter)]
    search_fields = ["code", "wording"]
    ordering = ["category", "position", "code"]
    actions = ["retire_selected"]
    readonly_fields = [
        "code",
        "category",
        "wording",
        "group",
        "exploitation_types",
        "recency_matters",
        "position",
        "added_in",
        "retired_in",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Indicator]:
        return super().get_queryset(request).select_related("added_in", "retired_in")

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):  # type: ignore[no-untyped-def]
        if obj is None:
            kwargs["form"] = IndicatorAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [] if obj is None else list(self.readonly_fields)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        if obj is None:
            return list(IndicatorAddForm.Meta.fields)
        return list(self.readonly_fields)

    def save_model(self, request: HttpRequest, obj: Indicator, form: Any, change: bool) -> None:
        """Add through the service (a new catalogue version); changes are not offered."""
        if change:
            raise PermissionDenied("Published indicators cannot be changed: retire and add")
        data = form.cleaned_data
        created = catalogue_indicator_add(
            actor=request.user,  # type: ignore[arg-type]
            code=data["code"],
            category=data["category"],
            wording=data["wording"],
            group=data.get("group", ""),
            exploitation_types=data.get("exploitation_types") or [],
        )
        obj.pk = created.pk
        obj.position = created.position
        obj.recency_matters = created.recency_matters
        obj.added_in = created.added_in
        obj._state.adding = False
        messages.info(
            request, f"Published catalogue version {created.added_in.number} with ‘{created}’."
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Retire selected indicators (publishes a new catalogue version)")
    def retire_selected(self, request: HttpRequest, queryset: QuerySet[Indicator]) -> None:
        for indicator in queryset.order_by("code"):
            try:
                catalogue_indicator_retire(actor=request.user, indicator=indicator)  # type: ignore[arg-type]
            except ValidationError as error:
                self.message_user(request, "; ".join(error.messages), messages.WARNING)
            else:
                self.message_user(
                    request,
                    f"Retired ‘{indicator}’ in catalogue version {indicator.retired_in.number}.",  # type: ignore[union-attr]
                )


@admin.register(CatalogueVersion)
class CatalogueVersionAdmin(admin.ModelAdmin):
    """Versions are published by adding or retiring indicators: read only."""

    list_display = ["number", "published_at", "note"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
