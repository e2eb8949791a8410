"""Forms for panels, members, meetings, the agenda, escalations, attendance, discussions and
minutes. Validation beyond the field types lives in cairn.panels.services."""

from __future__ import annotations

from typing import Any

from django import forms

from cairn.accounts.models import Agency
from cairn.core.forms import GovukDateInput, GovukErrorsMixin
from cairn.panels import selectors
from cairn.panels.models import (
    Attendance,
    Meeting,
    MeetingType,
    Panel,
    PanelMember,
    PanelType,
)
from cairn.risk.models import RiskLevel

AMENDMENT_HINT = (
    "The minutes are signed off. Say why this is being changed: the reason, and what it said "
    "before, are kept with the minutes."
)


def _text(label: str, *, long: bool = False, help_text: str = "", **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=kwargs.pop("required", False),
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}) if long else forms.TextInput(),
        **kwargs,
    )


class AmendmentMixin:
    """Adds a required "reason for the change" when the meeting's minutes are signed off."""

    fields: dict[str, forms.Field]

    def add_amendment_reason(self, meeting: Meeting) -> None:
        if meeting.is_signed_off:
            self.fields["amendment_reason"] = forms.CharField(
                label="Reason for the change",
                help_text=AMENDMENT_HINT,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )


class PanelForm(GovukErrorsMixin, forms.Form):
    name = forms.CharField(label="Name", max_length=120)
    panel_type = forms.ChoiceField(
        label="Type of panel", choices=PanelType.choices, widget=forms.RadioSelect
    )
    cadence_days = forms.IntegerField(
        label="Meets every (days)",
        min_value=1,
        max_value=366,
        initial=28,
        help_text="28 for monthly, 14 for fortnightly",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    agencies = forms.ModelMultipleChoiceField(
        label="Member agencies",
        queryset=Agency.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The agenda builder proposes children of these agencies. Leave all unticked "
        "for a panel that covers every child.",
    )
    terms_of_reference = _text("Terms of reference", long=True)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["is_active"] = forms.BooleanField(
                label="The panel is active (meetings can be scheduled)", required=False
            )
        self.name_fields_in_errors()

    @staticmethod
    def initial_for(panel: Panel) -> dict[str, Any]:
        return {
            "name": panel.name,
            "panel_type": panel.panel_type,
            "cadence_days": panel.cadence_days,
            "agencies": list(panel.agencies.values_list("pk", flat=True)),
            "terms_of_reference": panel.terms_of_reference,
            "is_active": panel.is_active,
        }


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_full_name() or obj.username}, {obj.agency.name} ({obj.username})"


class MemberForm(GovukErrorsMixin, forms.Form):
    user = UserChoiceField(label="Person", queryset=selectors.member_choices(), empty_label="")
    role = forms.ChoiceField(
        label="Role",
        choices=PanelMember.Role.choices,
        widget=forms.RadioSelect,
        initial=PanelMember.Role.MEMBER,
    )
    started_on = forms.DateField(
        label="Member from", widget=GovukDateInput(), required=False, help_text="Today if blank."
    )


class MeetingForm(GovukErrorsMixin, forms.Form):
    held_on = forms.DateField(label="Date of the meeting", widget=GovukDateInput())
    meeting_type = forms.ChoiceField(
        label="Type of meeting", choices=MeetingType.choices, widget=forms.RadioSelect
    )
    location = _text("Location", help_text="A room, or how to join online")


class AddChildForm(GovukErrorsMixin, forms.Form):
    child_ref = forms.CharField(
        label="Child's reference", max_length=64, help_text="As shown on their record"
    )
    reason_detail = forms.CharField(
        label="Why the child is being added",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RemoveForm(GovukErrorsMixin, forms.Form):
    reason = forms.CharField(
        label="Why the child is being taken off the agenda",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept with the agenda. The child's record no longer opens to panel members "
        "through this meeting.",
    )


class EscalationForm(GovukErrorsMixin, forms.Form):
    panel = forms.ModelChoiceField(
        label="Panel", queryset=Panel.objects.none(), widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="Why the child needs to go to the panel",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What has changed, and what you need from the partnership",
    )

    def __init__(self, *args: Any, panels: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["panel"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - for the type checker
        field.queryset = panels
        self.name_fields_in_errors()


STATUS_CHOICES = [("", "Not recorded"), *Attendance.Status.choices]
GUEST_ROWS = 2


class AttendanceForm(AmendmentMixin, GovukErrorsMixin, forms.Form):
    """One choice per current panel member; then people without a login (name, agency and
    status), those already recorded and GUEST_ROWS blank rows. A guest row with no name is
    dropped."""

    def __init__(
        self,
        *args: Any,
        meeting: Meeting,
        members: list[PanelMember],
        recorded: list[Attendance],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        by_user = {row.user_id: row for row in recorded if row.user_id}
        #: Each person field's user and agency: `member_<user id>` -> (user, agency).
        self.people: dict[str, tuple[Any, Any]] = {}
        for member in members:
            name = f"member_{member.user_id}"
            self.people[name] = (member.user, member.user.agency)
            agency = member.user.agency.name if member.user.agency else "no agency"
            role = " (chair)" if member.role == PanelMember.Role.CHAIR else ""
            self.fields[name] = forms.ChoiceField(
                label=f"{member.user.get_full_name() or member.user.username}{role}, {agency}",
                choices=STATUS_CHOICES,
                required=False,
                initial=by_user[member.user_id].status if member.user_id in by_user else "",
            )
        # People with a login recorded before who are no longer members stay listed.
        for row in recorded:
            name = f"member_{row.user_id}"
            if row.user is not None and name not in self.people:
                self.people[name] = (row.user, row.agency)
                self.fields[name] = forms.ChoiceField(
                    label=f"{row.user.get_full_name() or row.user.username}, {row.agency.name}",
                    choices=STATUS_CHOICES,
                    required=False,
                    initial=row.status,
                )
        guests = [row for row in recorded if not row.user_id]
        self.guest_count = len(guests) + GUEST_ROWS
        agencies = Agency.objects.order_by("name")
        for number in range(self.guest_count):
            guest = guests[number] if number < len(guests) else None
            person = f"person {number + 1} without a login"
            self.fields[f"guest_{number}_name"] = forms.CharField(
                label=f"Name ({person})",
                required=False,
                max_length=150,
                initial=guest.name if guest else "",
            )
            self.fields[f"guest_{number}_agency"] = forms.ModelChoiceField(
                label=f"Agency ({person})",
                queryset=agencies,
                required=False,
                empty_label="",
                initial=guest.agency_id if guest else None,
            )
            self.fields[f"guest_{number}_status"] = forms.ChoiceField(
                label=f"Attendance ({person})",
                choices=Attendance.Status.choices,
                required=False,
                initial=guest.status if guest else Attendance.Status.ATTENDED,
            )
        if not meeting.is_signed_off and meeting.status != Meeting.Status.HELD:
            self.fields["held"] = forms.BooleanField(
                label="The meeting took place: mark it as held",
                required=False,
                initial=True,
            )
        self.add_amendment_reason(meeting)
        self.name_fields_in_errors()

    def member_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("member_")]

    def guest_fields(self) -> list[tuple[int, list[forms.BoundField]]]:
        return [
            (
                number + 1,
                [self[f"guest_{number}_{part}"] for part in ("name", "agency", "status")],
            )
            for number in range(self.guest_count)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for number in range(self.guest_count):
            name = (data.get(f"guest_{number}_name") or "").strip()
            if name and data.get(f"guest_{number}_agency") is None:
                self.add_error(f"guest_{number}_agency", f"Select the agency {name} is from")
        return data


NRM_CHOICES = [("", "Not considered"), ("yes", "Yes"), ("no", "No")]


def _tristate(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def tristate_initial(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


class DiscussionForm(AmendmentMixin, GovukErrorsMixin, forms.Form):
    summary = _text("Summary of the discussion", long=True)
    agreed_level = forms.ChoiceField(
        label="Agreed risk level",
        choices=[("", "No change"), *RiskLevel.choices],
        required=False,
        widget=forms.RadioSelect,
        help_text="An agreed level is added to the child's risk history, dated the meeting day",
    )
    decisions = _text("Decisions", long=True)
    nrm_threshold_met = forms.ChoiceField(
        label="NRM threshold met",
        choices=NRM_CHOICES,
        required=False,
        widget=forms.RadioSelect,
        help_text="Whether the panel thinks the child may be a victim of trafficking or modern "
        "slavery",
    )
    nrm_referral_agreed = forms.ChoiceField(
        label="NRM referral agreed",
        choices=NRM_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    outcome = _text("Outcome", help_text="A short summary, up to 200 characters", max_length=200)

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_amendment_reason(meeting)
        self.name_fields_in_errors()

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "summary": data["summary"],
            "agreed_level": data["agreed_level"],
            "decisions": data["decisions"],
            "nrm_threshold_met": _tristate(data["nrm_threshold_met"]),
            "nrm_referral_agreed": _tristate(data["nrm_referral_agreed"]),
            "outcome": data["outcome"],
            "amendment_reason": data.get("amendment_reason", ""),
        }


class MinutesForm(AmendmentMixin, GovukErrorsMixin, forms.Form):
    minutes = _text(
        "General minutes",
        long=True,
        help_text="Anything agreed that is not about one child (each child has their own section)",
    )
    themes = _text(
        "Trends and themes",
        long=True,
        help_text="Victims, offenders, locations and themes (VOLT) the partnership should know",
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_amendment_reason(meeting)
        self.name_fields_in_errors()
