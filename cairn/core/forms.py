"""Form behaviour shared by every Cairn form: GOV.UK-style error messages that name the field."""

from __future__ import annotations

from typing import Any

from django import forms


class GovukErrorsMixin:
    """Replace Django's generic 'This field is required.' with messages naming the field, as the
    GOV.UK Design System asks: 'Enter the given name', 'Select the sex'."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():
            label = str(field.label or "").strip()
            lowered = label[:1].lower() + label[1:] if label else "a value"
            choice = isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
            verb = "Select" if choice else "Enter"
            field.error_messages["required"] = f"{verb} {lowered}"
            if isinstance(field, forms.DateField):
                field.error_messages["invalid"] = f"{label} must be a real date"
            if choice:
                field.error_messages["invalid_choice"] = f"Select {lowered} from the list"  # noqa: S608 - not SQL
