"""Forms for plans, actions and the disruption log. The services validate the rules (one active
plan per kind, due dates, evidence); the forms only parse what was typed."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from cairn.accounts.models import Agency, User
from cairn.children.models import Child
from cairn.core.forms import GovukDateInput, GovukErrorsMixin
from cairn.panels import plans_selectors as selectors
from cairn.panels.models import Action, DisruptionTool, FourP, PlanKind


def _text(label: str, *, long: bool = False, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}) if long else forms.TextInput(),
    )


def _date(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label, required=required, help_text=help_text, widget=GovukDateInput()
    )


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.panel.name}, {obj.held_on.day} {obj.held_on:%B %Y}"


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        title = f", {obj.job_title}" if obj.job_title else ""
        return f"{obj.get_full_name() or obj.username}{title} ({obj.agency.name})"


def _meeting_field(child: Child, label: str) -> MeetingChoiceField:
    return MeetingChoiceField(
        label=label,
        queryset=selectors.meetings_for_child(child),
        required=False,
        empty_label="Not agreed at a panel meeting",
    )


class PlanForm(GovukErrorsMixin, forms.Form):
    kind = forms.ChoiceField(
        label="Kind of plan", choices=PlanKind.choices, widget=forms.RadioSelect
    )
    summary = _text(
        "Summary",
        long=True,
        help_text="What the plan is for and what keeping the child safe looks like",
    )
    subjects = _text(
        "People and places of concern",
        long=True,
        help_text="For a disruption plan: who and where it is about (names, nicknames, "
        "addresses, vehicles)",
    )

    def __init__(self, *args: Any, child: Child, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"] = _meeting_field(child, "Meeting that agreed the plan")
        self.name_fields_in_errors()


class ActionForm(GovukErrorsMixin, forms.Form):
    text = forms.CharField(
        label="Action",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What will be done, so that anyone reading it knows when it is done",
    )
    owner = OwnerChoiceField(
        label="Owner",
        queryset=User.objects.none(),
        help_text="The named person responsible. Their agency owns the action.",
        empty_label="Select the owner",
    )
    due_on = _date("Due date")
    category = forms.ChoiceField(
        label="4P category", choices=FourP.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, child: Child, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)  # noqa: S101 - for the type checker
        owner.queryset = selectors.action_owner_choices()
        self.fields["meeting"] = _meeting_field(child, "Meeting that agreed the action")
        self.name_fields_in_errors()


class ActionStatusForm(GovukErrorsMixin, forms.Form):
    status = forms.ChoiceField(
        label="Status", choices=Action.Status.choices, widget=forms.RadioSelect
    )
    evidence = _text(
        "Evidence of completion, or why it is cancelled",
        long=True,
        help_text="Required when the action is done or cancelled: what was done, when, and "
        "where the record is",
    )
    completed_on = _date(
        "Date completed", required=False, help_text="Required when the action is done."
    )


class PlanCloseForm(GovukErrorsMixin, forms.Form):
    """No fields: the confirmation button, and a place for the service's errors."""


class OverdueFilterForm(GovukErrorsMixin, forms.Form):
    agency = forms.ModelChoiceField(
        label="Owner agency",
        queryset=Agency.objects.order_by("name"),
        required=False,
        empty_label="All agencies",
    )
    category = forms.ChoiceField(
        label="4P category", choices=[("", "All categories"), *FourP.choices], required=False
    )


class DisruptionFilterForm(GovukErrorsMixin, forms.Form):
    tool = forms.ChoiceField(
        label="Tool", choices=[("", "All tools"), *DisruptionTool.choices], required=False
    )
    since = _date("From", required=False)
    until = _date("To", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", "The end of the period must be after its start")
        return data


REF_SEPARATORS = re.compile(r"[\s,;]+")


class DisruptionForm(GovukErrorsMixin, forms.Form):
    tool = forms.ChoiceField(
        label="Disruption tool",
        choices=[("", "Select the tool"), *DisruptionTool.choices],
        help_text="An arrest for any offence used to disrupt exploitation counts as "
        "exploitation disruption, even if not charged as such",
    )
    occurred_on = _date("Date of the disruption")
    agency = forms.ModelChoiceField(
        label="Agency that carried it out",
        queryset=Agency.objects.order_by("name"),
        empty_label="Select the agency",
    )
    children = forms.CharField(
        label="Children's references",
        required=False,
        help_text="The references of the children it protects, separated by commas or spaces",
    )
    person = _text("Person of concern", help_text="Name, nickname or description")
    place = _text("Place of concern", help_text="Address, premises, area or online space")
    offence = _text("Offence", help_text="For an arrest: the offence, for example possession "
                    "with intent to supply, or carrying a knife")  # fmt: skip
    detail = _text("Detail", long=True)

    def clean_children(self) -> list[str]:
        raw = self.cleaned_data.get("children") or ""
        return [ref for ref in REF_SEPARATORS.split(raw.strip()) if ref]
