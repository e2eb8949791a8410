from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from cairn.accounts.models import Role, Team, User
from cairn.children.models import (
    CaseNote,
    Child,
    ChildIdentifier,
    ChildVoice,
    EducationStatus,
    Handling,
    Involvement,
    Placement,
)
from cairn.children.rules import date_of_birth_problem
from cairn.children.services import CHILD_FIELDS
from cairn.core.forms import GovukDateInput, GovukErrorsMixin
from cairn.core.models import Ward

DateInput = GovukDateInput


class ChildForm(GovukErrorsMixin, forms.ModelForm):
    class Meta:
        model = Child
        # The references are given by Cairn or an import, never typed.
        fields = [name for name in CHILD_FIELDS if name != "child_ref"]
        widgets = {"date_of_birth": DateInput()}
        help_texts = {
            "other_names": "Middle names or names the child has been known by.",
            "postcode": "Home postcode, for example AB1 2CD.",
        }

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date_of_birth"].required = True
        self.fields["ward"].queryset = Ward.objects.order_by("name")
        self.fields["education_status"].choices = [("", "Not recorded"), *EducationStatus.choices]
        self.fields["lead_professional"].queryset = User.objects.filter(
            is_active=True, role__in=[Role.PRACTITIONER, Role.MANAGER]
        ).select_related("agency")
        self.fields["lead_professional"].label_from_instance = lambda u: u.display_name

    def clean_date_of_birth(self) -> Any:
        dob = self.cleaned_data["date_of_birth"]
        problem = date_of_birth_problem(dob)
        if problem:
            raise forms.ValidationError(problem)
        return dob

    def clean_postcode(self) -> str:
        return self.cleaned_data["postcode"].strip().upper()


class SearchForm(GovukErrorsMixin, forms.Form):
    q = forms.CharField(
        label="Search by name, alias, date of birth or reference",
        required=False,
        help_text="For example ‘Jordan Smith’, ‘2010-04-21’ or ‘C-000123’.",
    )


class CaseNoteForm(GovukErrorsMixin, forms.ModelForm):
    class Meta:
        model = CaseNote
        fields = ["occurred_on", "subject", "text", "handling"]
        widgets = {
            "occurred_on": DateInput(),
            "text": forms.Textarea(),
            "handling": forms.RadioSelect(),
        }
        labels = {"occurred_on": "Date", "text": "Note"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handling"].choices = Handling.choices
        self.initial.setdefault("occurred_on", timezone.localdate())
        self.initial.setdefault("handling", Handling.STANDARD)


class ChildVoiceForm(GovukErrorsMixin, forms.ModelForm):
    class Meta:
        model = ChildVoice
        fields = ["recorded_on", "method", "text"]
        widgets = {
            "recorded_on": DateInput(),
            "text": forms.Textarea(),
            "method": forms.RadioSelect(),
        }
        labels = {"recorded_on": "Date", "method": "How the child shared this"}
        help_texts = {"text": "Use the child's own words where you can."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("recorded_on", timezone.localdate())
        self.fields["method"].choices = ChildVoice.Method.choices


class InvolvementForm(GovukErrorsMixin, forms.ModelForm):
    class Meta:
        model = Involvement
        fields = ["user", "team", "reason", "detail", "started_on"]
        widgets = {"started_on": DateInput()}
        labels = {"user": "Professional", "detail": "Why"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            is_active=True, role__in=[Role.PRACTITIONER, Role.MANAGER, Role.PANEL_MEMBER]
        ).select_related("agency")
        self.fields["user"].label_from_instance = lambda u: u.display_name
        self.fields["team"].queryset = Team.objects.select_related("agency")
        self.initial.setdefault("started_on", timezone.localdate())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("user") and not data.get("team"):
            self.add_error("user", "Choose a professional or a team")
        return data


class PlacementForm(GovukErrorsMixin, forms.ModelForm):
    class Meta:
        model = Placement
        fields = [
            "placement_type",
            "provider_name",
            "ward",
            "out_of_area",
            "start_date",
            "end_date",
        ]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "End date must be the same as or after the start date")
        return data


class IdentifierForm(GovukErrorsMixin, forms.ModelForm):
    class Meta:
        model = ChildIdentifier
        fields = ["kind", "value"]
        labels = {"kind": "Type of identifier", "value": "Identifier"}

    def clean_value(self) -> str:
        value = self.cleaned_data["value"].strip()
        if self.cleaned_data.get("kind") == ChildIdentifier.Kind.NHS_NUMBER:
            digits = value.replace(" ", "")
            if not (digits.isdigit() and len(digits) == 10 and _nhs_check_digit_ok(digits)):
                raise forms.ValidationError("Enter a valid 10-digit NHS number")
            return digits
        return value


def _nhs_check_digit_ok(digits: str) -> bool:
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - (total % 11)
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


class AliasForm(GovukErrorsMixin, forms.Form):
    name = forms.CharField(label="Alias or name the child is known by", max_length=200)


class BreakGlassForm(GovukErrorsMixin, forms.Form):
    reason = forms.CharField(
        label="Why do you need this record now?",
        help_text=(
            "Your access will be recorded, time-limited and shown to the child's lead "
            "professional and managers."
        ),
        widget=forms.Textarea(),
        min_length=10,
    )
