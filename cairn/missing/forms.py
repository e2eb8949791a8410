"""Forms for missing episodes, returns, return home interviews and alerts. A moment is asked as
a GOV.UK date input and a 24-hour time, read as Europe/London local time."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone

from cairn.children.models import Child, Placement
from cairn.core.forms import GovukDateInput, GovukErrorsMixin
from cairn.core.models import Ward
from cairn.missing.models import Concern, PoliceRisk
from cairn.missing.services import Outcome

TIME_HINT = "Use the 24-hour clock, for example 21:30"


def _time_field(label: str, *, required: bool = True) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=required,
        input_formats=["%H:%M", "%H.%M", "%H%M"],
        help_text=TIME_HINT,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
        error_messages={"invalid": f"{label} must be a time like 21:30"},
    )


class MomentsMixin(GovukErrorsMixin):
    """Pairs of `<name>_on` (date) and `<name>_time` fields become `cleaned_data[<name>]`, an
    aware London date-time (None when both are empty). One part without the other is an error
    on the missing part."""

    moments: tuple[str, ...] = ()
    cleaned_data: dict[str, Any]

    def clean(self) -> dict[str, Any]:
        data = super().clean()  # type: ignore[misc]
        for name in self.moments:
            day, clock = data.get(f"{name}_on"), data.get(f"{name}_time")
            if day and clock is None and f"{name}_time" not in self.errors:  # type: ignore[attr-defined]
                self.add_error(f"{name}_time", "Enter the time as well as the date")  # type: ignore[attr-defined]
            if clock is not None and not day and f"{name}_on" not in self.errors:  # type: ignore[attr-defined]
                self.add_error(f"{name}_on", "Enter the date as well as the time")  # type: ignore[attr-defined]
            data[name] = (
                timezone.make_aware(datetime.combine(day, clock or time()))
                if day and clock is not None
                else None
            )
        return data


def _date(label: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=GovukDateInput())


def _text(label: str, *, long: bool = False, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}) if long else forms.TextInput(),
    )


class EpisodeForm(MomentsMixin, forms.Form):
    moments = ("last_seen_at", "reported_at")

    last_seen_at_on = _date("Date last seen")
    last_seen_at_time = _time_field("Time last seen")
    last_seen_place = _text("Where they were last seen")
    last_seen_with = _text("Who they were last seen with")
    clothing_worn = _text("Clothing worn", long=True)
    reported_at_on = _date("Date reported missing")
    reported_at_time = _time_field("Time reported missing")
    reported_by = _text("Reported by", help_text="For example, a residential worker or a parent")
    police_reference = _text("Police reference")
    police_risk = forms.ChoiceField(
        label="Police risk grade",
        choices=PoliceRisk.choices,
        widget=forms.RadioSelect,
        help_text="As graded by the police (no apparent risk, low, medium or high)",
    )
    concerns = forms.MultipleChoiceField(
        label="Concerns",
        choices=Concern.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    placement = forms.ModelChoiceField(
        label="Placement they went missing from",
        queryset=Placement.objects.none(),
        required=False,
        empty_label="The placement on the day last seen (or none)",
    )

    def __init__(self, *args: Any, child: Child, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["placement"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - for the type checker
        field.queryset = Placement.objects.filter(child=child).order_by("-start_date")
        self.name_fields_in_errors()


class ReturnForm(MomentsMixin, forms.Form):
    moments = ("returned_at",)

    returned_at_on = _date("Date returned or found")
    returned_at_time = _time_field("Time returned or found")
    found_place = _text("Where they were found or returned to")
    found_ward = forms.ModelChoiceField(
        label="Ward found in",
        queryset=Ward.objects.order_by("name"),
        required=False,
        empty_label="Not known or outside the area",
    )
    out_of_area = forms.BooleanField(label="Found outside the local authority area", required=False)
    found_with = _text("Who they were with")
    travel = _text("How they travelled")


class InterviewForm(MomentsMixin, forms.Form):
    moments = ("offered_at", "happened_at")

    outcome = forms.ChoiceField(
        label="What happened", choices=Outcome.choices, widget=forms.RadioSelect
    )
    offered_at_on = _date("Date the interview was offered", required=False)
    offered_at_time = _time_field("Time offered", required=False)
    happened_at_on = _date("Date it was held, declined or tried", required=False)
    happened_at_time = _time_field("Time held, declined or tried", required=False)
    attempt_note = _text("What happened when you tried")
    declined_reason = _text("Why the child declined", long=True)
    not_held_reason = _text("Reason for deciding not to hold one", long=True)
    interviewer_name = _text(
        "Who held it",
        help_text="Leave blank if it was you. The child may choose someone they trust.",
    )
    push_factors = _text("What made them leave (push factors)", long=True)
    pull_factors = _text("What drew them away (pull factors)", long=True)
    where_stayed = _text("Where they were", long=True)
    with_whom = _text("Who they were with", long=True)
    travel = _text("How they travelled")
    harm_disclosed = forms.BooleanField(label="The child disclosed harm", required=False)
    harm_detail = _text("Harm disclosed", long=True)
    support_offered = _text("Support offered or needed", long=True)
    intelligence_shared = forms.BooleanField(label="Intelligence was passed on", required=False)
    intelligence_shared_with = _text("Passed on to")
    summary = _text(
        "Summary",
        long=True,
        help_text="What the child shared, in their words where you can. Required when held.",
    )


class AcknowledgeForm(GovukErrorsMixin, forms.Form):
    note = forms.CharField(
        label="What was agreed",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: strategy discussion held on 3 June; risk review booked",
    )


class PeriodForm(GovukErrorsMixin, forms.Form):
    since = _date("From")
    until = _date("To")
