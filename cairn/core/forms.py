"""Form behaviour shared by every Cairn form: GOV.UK-style error messages that name the field."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError


class GovukErrorsMixin:
    """Replace Django's generic 'This field is required.' with messages naming the field, as the
    GOV.UK Design System asks: 'Enter the given name', 'Select the sex'."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self.name_fields_in_errors()

    def name_fields_in_errors(self) -> None:
        """Call again after adding fields in a subclass's __init__."""
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


class GovukDateInput(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes (`<name>_day`, `<name>_month`,
    `<name>_year`). A single ISO value under `<name>` is accepted too (scripts and tests)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        numeric = {"inputmode": "numeric"}
        super().__init__(
            {
                "day": forms.TextInput(attrs=numeric),
                "month": forms.TextInput(attrs=numeric),
                "year": forms.TextInput(attrs=numeric),
            },
            attrs,
        )

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        if isinstance(value, str):
            try:
                day = date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
            return [day.day, day.month, day.year]
        return [None, None, None]

    def parts_from_data(self, data: Any, name: str) -> list[str]:
        """What the user typed in each box, for showing it back after an error."""
        if name in data:
            return [str(p) if p is not None else "" for p in self.decompress(data[name])]
        return [str(data.get(f"{name}_{part}", "")).strip() for part in ("day", "month", "year")]

    def value_from_datadict(  # type: ignore[override]  # one ISO string, not a list of parts
        self, data: Any, files: Any, name: str
    ) -> str | None:
        if name in data:
            return data[name]
        day, month, year = self.parts_from_data(data, name)
        if not (day or month or year):
            return None
        if day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4:
            return f"{year}-{int(month):02d}-{int(day):02d}"
        return f"{year}-{month}-{day}"  # not a date: the field reports "must be a real date"

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and not any(f"{name}_{p}" in data for p in ("day", "month", "year"))


def service_errors_show(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: each problem on its field where the form has
    it (or on the date part `<field>_on` of a date and time pair), otherwise at the top."""
    if not hasattr(error, "error_dict"):
        for problem in error.messages:
            form.add_error(None, problem)
        return
    for field, problems in error.message_dict.items():
        targets = [name for name in (field, f"{field}_on") if name in form.fields]
        for problem in problems:
            form.add_error(targets[0] if targets else None, problem)
