from __future__ import annotations

from django import forms

from cairn.core.forms import GovukErrorsMixin


class TokenForm(GovukErrorsMixin, forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=100,
        help_text="What will use this token, for example ‘weekly extract script’.",
    )
