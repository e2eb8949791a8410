"""The screening form: indicators grouped by category, each with when it was last seen."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils import timezone

from cairn.core.forms import GovukDateInput, GovukErrorsMixin
from cairn.risk.models import (
    ExploitationType,
    Indicator,
    IndicatorCategory,
    OutcomeDomain,
    OutcomeStage,
    Recency,
    RiskLevel,
)

RECENCY_CHOICES = [
    (Recency.WITHIN_6_MONTHS.value, "Within the last 6 months"),
    (Recency.SIX_TO_12_MONTHS.value, "6 to 12 months ago"),
]


class AssessmentForm(GovukErrorsMixin, forms.Form):
    """Checkboxes for every current indicator; moderate and significant ones ask when."""

    assessed_on = forms.DateField(label="Date of the screening", widget=GovukDateInput())
    level = forms.ChoiceField(
        label="Your professional judgement of the level",
        choices=RiskLevel.choices,
        widget=forms.RadioSelect,
        required=False,  # not needed to calculate; the service requires it to save
        help_text="The score only suggests a level. If yours differs, explain why below.",
    )
    exploitation_types = forms.MultipleChoiceField(
        label="Types of exploitation",
        choices=ExploitationType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    cin_factors = forms.MultipleChoiceField(
        label="Children in Need census factors",
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    rationale = forms.CharField(
        label="Rationale",
        widget=forms.Textarea,
        required=False,
        help_text="Required when your level differs from the suggested level, and always for high.",
    )

    def __init__(
        self,
        *args: Any,
        indicators: Iterable[Indicator],
        cin_choices: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("assessed_on", timezone.localdate())
        self.fields["cin_factors"].choices = cin_choices
        self.indicators = list(indicators)
        for indicator in self.indicators:
            self.fields[f"ind_{indicator.code}"] = forms.BooleanField(
                label=indicator.wording, required=False
            )
            if indicator.category != IndicatorCategory.VULNERABILITY:
                self.fields[f"rec_{indicator.code}"] = forms.ChoiceField(
                    label=f"When was this last seen? ({indicator.wording})",
                    choices=RECENCY_CHOICES,
                    widget=forms.RadioSelect,
                    required=False,
                )

    def groups(self) -> list[tuple[str, list[tuple[Indicator, Any, Any]]]]:
        """(heading, [(indicator, checkbox field, recency field or None)]) for the template."""
        headings = {
            IndicatorCategory.VULNERABILITY: "Vulnerabilities",
            IndicatorCategory.MODERATE: "Moderate indicators",
            IndicatorCategory.SIGNIFICANT: "Significant indicators",
        }
        grouped: dict[str, list[tuple[Indicator, Any, Any]]] = {}
        for indicator in self.indicators:
            heading = headings[IndicatorCategory(indicator.category)]
            if indicator.group:
                heading = f"{heading}: {indicator.group.replace('_', ' ')}"
            recency = (
                self[f"rec_{indicator.code}"] if f"rec_{indicator.code}" in self.fields else None
            )
            grouped.setdefault(heading, []).append(
                (indicator, self[f"ind_{indicator.code}"], recency)
            )
        return list(grouped.items())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        selections = []
        for indicator in self.indicators:
            if not data.get(f"ind_{indicator.code}"):
                continue
            recency = data.get(f"rec_{indicator.code}", "") or ""
            if indicator.category != IndicatorCategory.VULNERABILITY and not recency:
                self.add_error(
                    f"rec_{indicator.code}", f"Select when this was last seen: {indicator.wording}"
                )
            selections.append((indicator, recency))
        data["selections"] = selections
        return data


class InterventionForm(GovukErrorsMixin, forms.Form):
    name = forms.CharField(
        label="Intervention",
        max_length=200,
        help_text="For example ‘1:1 exploitation support (Outreach)’ or ‘Mentoring’.",
    )
    started_on = forms.DateField(label="Start date", widget=GovukDateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("started_on", timezone.localdate())


SCORE_CHOICES = [
    ("1", "1 Not safe"),
    ("2", "2 Wants change"),
    ("3", "3 Making changes"),
    ("4", "4 Doing alright"),
    ("5", "5 Safe and well"),
]


class OutcomeScoresForm(GovukErrorsMixin, forms.Form):
    """One 1–5 score per domain at a stage (after the Outcomes Star)."""

    stage = forms.ChoiceField(label="Stage", choices=OutcomeStage.choices, widget=forms.RadioSelect)
    recorded_on = forms.DateField(label="Date", widget=GovukDateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("recorded_on", timezone.localdate())
        for domain in OutcomeDomain:
            self.fields[domain.value] = forms.TypedChoiceField(
                label=domain.label,
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
            )
        self.name_fields_in_errors()

    def scores(self) -> dict[str, int]:
        return {domain.value: self.cleaned_data[domain.value] for domain in OutcomeDomain}
