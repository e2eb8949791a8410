"""GOV.UK Design System rendering for Django form fields: one place for every form's markup."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from cairn.core.forms import GovukDateInput

register = template.Library()


def _kind(field: forms.BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, GovukDateInput):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, forms.PasswordInput):
        return "password"
    return "input"


@register.simple_tag
def govuk_field(field: forms.BoundField, **options: Any) -> SafeString:
    """Render a bound field as a GOV.UK form group with label, hint and error message."""
    kind = _kind(field)
    input_type = getattr(field.field.widget, "input_type", "text")
    if isinstance(field.field, forms.DateField):
        input_type = "date"
    context = {
        "field": field,
        "kind": kind,
        "input_type": input_type,
        "label_class": options.get("label_class", "govuk-label--s"),
        "width": options.get("width", ""),
        "value": field.value() if field.value() is not None else "",
        "autocomplete": options.get("autocomplete", ""),
        "rows": options.get("rows", 5),
        "show_optional": options.get("show_optional", True),
    }
    if kind == "date":
        widget = field.field.widget
        if field.form.is_bound:
            parts = widget.parts_from_data(field.form.data, field.html_name)
        else:
            parts = [str(p) if p is not None else "" for p in widget.decompress(field.value())]
        context["date_parts"] = list(zip(("day", "month", "year"), parts, strict=True))
    return render_to_string("includes/field.html", context)


@register.inclusion_tag("includes/error_summary.html")
def govuk_error_summary(form: forms.BaseForm) -> dict[str, Any]:
    """Each error links to its field; radios and checkbox lists link to their first option."""
    links = []
    for field in form:
        anchor = field.auto_id
        if _kind(field) in {"radios", "checkboxes"}:
            anchor = f"{anchor}-1"
        links.extend((anchor, error) for error in field.errors)
    return {"form": form, "links": links}
