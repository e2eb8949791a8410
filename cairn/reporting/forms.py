from __future__ import annotations

from typing import Any

from django import forms

from cairn.core.forms import GovukDateInput, GovukErrorsMixin


class PerformanceForm(GovukErrorsMixin, forms.Form):
    since = forms.DateField(label="From", widget=GovukDateInput())
    until = forms.DateField(label="To", widget=GovukDateInput())
    area = forms.CharField(
        label="Ward or division code",
        required=False,
        help_text="Leave blank for the whole partnership",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", "The end of the period must be on or after its start")
        return data
