"""The register's filter form (GET): every field is optional and an empty one does not filter."""

from __future__ import annotations

from typing import Any

from django import forms

from cairn.accounts.models import Agency, Role, User
from cairn.children.models import LegalStatus, Sex
from cairn.core.forms import GovukErrorsMixin
from cairn.core.models import Locality, Ward
from cairn.risk.models import ExploitationType, RiskLevel
from cairn.risk.selectors import REGISTER_SORTS, AgeBand, RegisterFilters

REGISTER_LEVELS = [
    (level.value, level.label) for level in (RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH)
]
SORT_CHOICES = [(key, key) for key in REGISTER_SORTS] + [(f"-{key}", key) for key in REGISTER_SORTS]


def _any(choices: Any) -> list[tuple[str, str]]:
    return [("", "Any"), *choices]


class RegisterFilterForm(GovukErrorsMixin, forms.Form):
    levels = forms.MultipleChoiceField(
        label="Level",
        choices=REGISTER_LEVELS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    exploitation_type = forms.ChoiceField(
        label="Type of exploitation", choices=_any(ExploitationType.choices), required=False
    )
    locality = forms.ModelChoiceField(
        label="Locality",
        queryset=Locality.objects.order_by("name"),
        required=False,
        empty_label="Any",
    )
    ward = forms.ModelChoiceField(
        label="Ward", queryset=Ward.objects.order_by("name"), required=False, empty_label="Any"
    )
    agency = forms.ModelChoiceField(
        label="Recorded by",
        queryset=Agency.objects.order_by("name"),
        required=False,
        empty_label="Any agency",
    )
    lead_professional = forms.ModelChoiceField(
        label="Lead professional",
        queryset=User.objects.none(),
        required=False,
        empty_label="Anyone",
    )
    age_band = forms.ChoiceField(label="Age", choices=_any(AgeBand.choices), required=False)
    sex = forms.ChoiceField(label="Sex", choices=_any(Sex.choices), required=False)
    legal_status = forms.ChoiceField(
        label="Legal status", choices=_any(LegalStatus.choices), required=False
    )
    overdue = forms.BooleanField(label="Only children whose review is overdue", required=False)
    sort = forms.ChoiceField(
        label="Order", choices=SORT_CHOICES, required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Lead professionals to choose from: the practitioners and managers of the user's agency.
        leads = User.objects.filter(
            is_active=True, role__in=[Role.PRACTITIONER, Role.MANAGER]
        ).order_by("first_name", "last_name", "username")
        self.fields["lead_professional"].queryset = (
            leads.filter(agency_id=user.agency_id) if user.agency_id else leads.none()
        )
        self.fields["lead_professional"].label_from_instance = lambda u: str(u)
        self.fields["ward"].label_from_instance = lambda w: w.name

    def filters(self) -> RegisterFilters:
        """The valid filters (an invalid field is ignored and shown as an error)."""
        if not self.is_bound:
            return RegisterFilters()
        self.is_valid()
        data = {
            name: value
            for name, value in getattr(self, "cleaned_data", {}).items()
            if value not in (None, "", [], False)
        }
        return RegisterFilters.from_mapping(data)
