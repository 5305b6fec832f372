"""The audit search filters, with GOV.UK date inputs (day, month and year boxes) for the date range."""

import datetime as dt
import re

from django import forms

PRISON_NUMBER = re.compile(r"^[A-Za-z]\d{4}[A-Za-z]{2}$")
PARTS = ("day", "month", "year")


class GovukDateWidget(forms.MultiWidget):
    """Three inputs named ``<name>_day``, ``<name>_month`` and ``<name>_year`` (the GOV.UK date input)."""

    template_name = "omic/widgets/govuk_date.html"

    def __init__(self, attrs=None):
        text = {"inputmode": "numeric"}
        super().__init__(
            {part: forms.TextInput(attrs=text) for part in PARTS},
            attrs=attrs,
        )

    def decompress(self, value):
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.Field):
    """A date typed as day, month and year. Errors name the field: "Date from must be a real date"."""

    widget = GovukDateWidget

    def to_python(self, value):
        parts = [str(p).strip() if p is not None else "" for p in (value or ["", "", ""])]
        if not any(parts):
            return None
        name = self.label
        missing = [part for part, text in zip(PARTS, parts, strict=True) if not text]
        if missing:
            raise forms.ValidationError(f"{name} must include a {' and a '.join(missing)}", code="incomplete")
        if not all(text.isdigit() for text in parts) or len(parts[2]) != 4:
            raise forms.ValidationError(f"{name} must be a real date, for example 27 3 2025", code="invalid")
        day, month, year = (int(text) for text in parts)
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise forms.ValidationError(f"{name} must be a real date, for example 27 3 2025", code="invalid") from None


class AuditSearchForm(forms.Form):
    person = forms.CharField(
        label="Person", required=False, max_length=150, help_text="Part of the username of who made the change"
    )
    prisoner = forms.CharField(label="Prison number", required=False, max_length=7, help_text="For example A1234BC")
    action = forms.ChoiceField(label="Action", required=False)
    date_from = GovukDateField(label="Date from", required=False, help_text="For example 27 3 2025")
    date_to = GovukDateField(label="Date to", required=False, help_text="For example 27 3 2025")

    def __init__(self, *args, actions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "Any action"), *((a, a.replace("_", " ")) for a in actions)]

    def clean_prisoner(self):
        value = self.cleaned_data["prisoner"].strip()
        if value and not PRISON_NUMBER.match(value):
            raise forms.ValidationError("Prison number must be a letter, 4 digits and 2 letters, like A1234BC")
        return value.upper()

    def _post_clean(self):
        super()._post_clean()
        for name in ("date_from", "date_to"):
            if name in self.errors:  # the date input's boxes take the error style
                self.fields[name].widget.attrs["error"] = "1"

    def anchor(self, name: str) -> str:
        """The id an error summary link jumps to: the day box of a date, the input itself otherwise."""
        return f"id_{name}_day" if name in ("date_from", "date_to") else f"id_{name}"

    def error_links(self) -> list[tuple[str, str]]:
        return [(self.anchor(name), error) for name, errors in self.errors.items() for error in errors]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "Date to must be the same as or after date from")
        return cleaned
