"""GOV.UK Design System classes and ARIA wiring for Django form widgets, used by our form renderer templates."""

from django import forms, template

register = template.Library()

# Radio and checkbox groups are laid out input by input in forms/govuk_field.html, so they are not here.
_WIDGET_CLASSES = (
    (forms.Textarea, "govuk-textarea"),
    (forms.Select, "govuk-select"),
    (forms.CheckboxInput, "govuk-checkboxes__input"),
    (forms.FileInput, "govuk-file-upload"),
)


def widget_kind(widget: forms.Widget) -> str:
    """How GOV.UK lays the widget out: ``input``, ``choices`` (radios or checkboxes), ``checkbox`` or ``select``."""
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "choices"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    return "input"


@register.filter
def govuk_kind(field) -> str:
    return widget_kind(field.field.widget)


@register.simple_tag
def govuk_widget(field, extra_class: str = ""):
    """Render the field's widget with its GOV.UK class, the error modifier and aria-describedby for hint and error."""
    widget = field.field.widget
    base = next((css for kind, css in _WIDGET_CLASSES if isinstance(widget, kind)), "govuk-input")
    classes = [base]
    if field.errors and base in ("govuk-input", "govuk-select", "govuk-textarea", "govuk-file-upload"):
        classes.append(f"{base}--error")
    if extra_class:
        classes.append(extra_class)
    existing = widget.attrs.get("class", "")
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}-hint")
    if field.errors:
        described_by.append(f"{field.auto_id}-error")
    attrs = {"class": " ".join(filter(None, [existing, *classes]))}
    if described_by and widget_kind(widget) != "choices":
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


@register.filter
def elided_page_range(page):
    """The page numbers GOV.UK pagination shows around the current page, with ellipses for the gaps."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)


@register.filter
def govuk_anchor(field) -> str:
    """The id an error summary link jumps to: the field, or the first option of a radio or checkbox group."""
    if widget_kind(field.field.widget) == "choices":
        return f"{field.auto_id}_0"
    return field.id_for_label
