"""Parsing and validation for ``import_prisoners``: file rows in, cleaned values or field-named errors out.

Nothing here writes. A row becomes ``{"prisoner": {...}, "sentence": {...} | None, "case_information": {...} | None,
"com": {...} | None}`` holding model field names and Python values, which ``cases.services.prisoner_upsert`` writes.
The column format is described in docs/import-format.md.
"""

import csv
import dataclasses
import json
from pathlib import Path

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models

from cases.models import CaseInformation, LocalDeliveryUnit, Prison, Prisoner, Sentence

_NOT_COLUMNS = {"id", "prisoner", "updated_at", "tier_source", "local_delivery_unit", "com"}
PRISONER_COLUMNS = tuple(f.name for f in Prisoner._meta.concrete_fields if f.name not in _NOT_COLUMNS)
SENTENCE_COLUMNS = tuple(f.name for f in Sentence._meta.concrete_fields if f.name not in _NOT_COLUMNS)
CASE_MODEL_COLUMNS = tuple(f.name for f in CaseInformation._meta.concrete_fields if f.name not in _NOT_COLUMNS)
CASE_COLUMNS = (*CASE_MODEL_COLUMNS, "ldu_code", "com_name", "com_email")
COLUMNS = (*PRISONER_COLUMNS, *SENTENCE_COLUMNS, *CASE_COLUMNS)
REQUIRED_COLUMNS = ("prison_number", "first_name", "last_name", "prison", "legal_status")
UPPERCASE_COLUMNS = {"prison_number", "prison", "crn", "ldu_code"}
FORMATS = ("csv", "json")

# Database constraint (or SQLite "table.column") -> the column to blame when the database refuses a row.
CONSTRAINT_COLUMNS = {
    "prisoner_number_format": "prison_number",
    "prisoner_category_date_needs_category": "category_approved_date",
    "sentence_recall_type_needs_recall": "recall_type",
    "sentence_expiry_not_before_start": "sentence_expiry_date",
    "sentence_ted_only_indeterminate": "tariff_expiry_date",
    "case_information_crn_unique": "crn",
    "cases_caseinformation.crn": "crn",
    "case_information_crn_format": "crn",
    "case_information_tier_has_source": "tier_date",
    "case_information_mappa_0_to_3": "mappa_level",
    "com_email_unique": "com_email",
    "cases_communityoffendermanager.email": "com_email",
    "cases_caseinformation.prisoner_id": "prison_number",
    "cases_sentence.prisoner_id": "prison_number",
}


class ImportFileError(Exception):
    """The file as a whole cannot be imported (unreadable, malformed, bad header): nothing is written."""


@dataclasses.dataclass(frozen=True)
class RowError:
    where: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.field}: {self.message}"


@dataclasses.dataclass
class SourceRow:
    """One row of the file: ``where`` is "line N" (CSV, header is line 1) or "record N" (JSON, 1-based)."""

    where: str
    values: dict[str, str] = dataclasses.field(default_factory=dict)
    error: str = ""


def detect_format(path: Path, fmt: str | None) -> str:
    chosen = (fmt or path.suffix.lstrip(".")).lower()
    if chosen not in FORMATS:
        raise ImportFileError(f"Cannot tell the format of {path.name}: name it .csv or .json, or pass --format")
    return chosen


def read_rows(path: Path, fmt: str | None = None) -> list[SourceRow]:
    """Every row of the file, or ImportFileError if the file cannot be read or its columns are wrong."""
    chosen = detect_format(path, fmt)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return _read_csv(handle) if chosen == "csv" else _read_json(handle)
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFileError(f"Cannot read {path.name}: {exc}") from exc


def _check_header(columns: list[str], *, required: bool = True) -> None:
    problems = []
    if "" in columns:
        problems.append("a column has no name")
    duplicates = sorted({c for c in columns if columns.count(c) > 1})
    if duplicates:
        problems.append(f"duplicate columns: {', '.join(duplicates)}")
    unknown = [c for c in dict.fromkeys(columns) if c and c not in COLUMNS]
    if unknown:
        problems.append(f"unknown columns: {', '.join(unknown)} (see docs/import-format.md)")
    missing = [c for c in REQUIRED_COLUMNS if c not in columns] if required else []
    if missing:
        problems.append(f"missing required columns: {', '.join(missing)}")
    if problems:
        raise ImportFileError("Bad header: " + "; ".join(problems))


def _read_csv(handle) -> list[SourceRow]:
    reader = csv.DictReader(handle)
    try:
        if reader.fieldnames is None:
            raise ImportFileError("The file is empty: it needs a header line")
        header = [(name or "").strip().lower() for name in reader.fieldnames]
        _check_header(header)
        reader.fieldnames = header
        rows = []
        for raw in reader:
            row = SourceRow(where=f"line {reader.line_num}")
            if None in raw:
                row.error = "The row has more cells than the header has columns"
            row.values = {key: (value or "").strip() for key, value in raw.items() if key is not None}
            rows.append(row)
    except csv.Error as exc:
        raise ImportFileError(f"Malformed CSV at line {reader.line_num}: {exc}") from exc
    return rows


def _json_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str):
        return str(value).strip()
    raise TypeError


def _read_json(handle) -> list[SourceRow]:
    try:
        records = json.load(handle)
    except json.JSONDecodeError as exc:
        raise ImportFileError(f"Malformed JSON: {exc}") from exc
    if not isinstance(records, list):
        raise ImportFileError("Malformed JSON: the file must hold a list of objects, one per prisoner")
    keys = dict.fromkeys(key.strip().lower() for r in records if isinstance(r, dict) for key in r)
    _check_header(list(keys), required=False)
    rows = []
    for number, record in enumerate(records, start=1):
        row = SourceRow(where=f"record {number}")
        if not isinstance(record, dict):
            row.error = "Each record must be an object"
        else:
            try:
                row.values = {key.strip().lower(): _json_cell(value) for key, value in record.items()}
            except TypeError:
                row.error = "Values must be text, numbers, true/false or null"
        rows.append(row)
    return rows


class IsoDateField(forms.DateField):
    default_error_messages = {"invalid": "Enter a date in the format YYYY-MM-DD"}

    def __init__(self, **kwargs):
        super().__init__(input_formats=["%Y-%m-%d"], **kwargs)


class YesNoField(forms.Field):
    """true/false, yes/no, 1/0 in any case; blank is ``empty`` (None where the model allows "not known")."""

    TRUE, FALSE = {"true", "yes", "y", "1"}, {"false", "no", "n", "0"}

    def __init__(self, *, empty: bool | None, **kwargs):
        self.empty = empty
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        text = (value or "").strip().lower()
        if not text:
            return self.empty
        if text in self.TRUE | self.FALSE:
            return text in self.TRUE
        raise ValidationError("Enter true or false (or yes/no, 1/0), or leave blank", code="invalid")


class EnumField(forms.Field):
    """One of the model choices' values, matched without regard to case; blank is ``empty``."""

    def __init__(self, *, values: list[str], empty: str = "", **kwargs):
        self.values, self.empty = values, empty
        super().__init__(**kwargs)

    def to_python(self, value):
        text = (value or "").strip()
        if not text:
            return self.empty
        matches = [v for v in self.values if v.lower() == text.lower()]
        if not matches:
            raise ValidationError("Enter one of: %(values)s", code="invalid", params={"values": ", ".join(self.values)})
        return matches[0]


def _form_field(model_field: models.Field) -> forms.Field:
    has_default = model_field.has_default()
    required = not model_field.blank and not has_default
    if isinstance(model_field, models.DateField):
        return IsoDateField(required=required)
    if isinstance(model_field, models.BooleanField):
        return YesNoField(empty=model_field.get_default())
    if model_field.choices:
        empty = model_field.get_default() if has_default else ""
        return EnumField(values=[value for value, _ in model_field.choices], empty=empty, required=required)
    if isinstance(model_field, models.PositiveSmallIntegerField):
        return forms.IntegerField(required=required, min_value=0, max_value=3)  # MAPPA level 0 to 3
    validators = [v for v in model_field.validators if not isinstance(v, MaxLengthValidator)]
    return forms.CharField(required=required, max_length=model_field.max_length, validators=validators)


def _generated_fields() -> dict[str, forms.Field]:
    fields = {}
    for model, names in ((Prisoner, PRISONER_COLUMNS), (Sentence, SENTENCE_COLUMNS), (CaseInformation, CASE_COLUMNS)):
        for name in names:
            if name not in ("prison", "ldu_code", "com_name", "com_email"):
                fields[name] = _form_field(model._meta.get_field(name))
                # A sentence or case information is optional as a whole; clean() asks for what a given one needs.
                fields[name].required = fields[name].required and model is Prisoner
    return fields


_RowFormBase = type("_RowFormBase", (forms.Form,), _generated_fields())


class PrisonerRowForm(_RowFormBase):
    """One import row. Only the columns present in the row are cleaned into the result."""

    prison = forms.ModelChoiceField(
        queryset=Prison.objects.all(),
        to_field_name="code",
        error_messages={"invalid_choice": "No prison has the code %(value)s"},
    )
    ldu_code = forms.ModelChoiceField(
        queryset=LocalDeliveryUnit.objects.all(),
        to_field_name="code",
        required=False,
        error_messages={"invalid_choice": "No local delivery unit has the code %(value)s: add it first"},
    )
    com_name = forms.CharField(required=False, max_length=120)
    com_email = forms.EmailField(required=False, max_length=254)

    def clean(self):
        data = super().clean()
        given = {name: value for name, value in data.items() if name in self.data}
        if _group_given(given, SENTENCE_COLUMNS) and not given.get("sentence_type"):
            self._add("sentence_type", "Enter the sentence type when any sentence column is filled in")
        if given.get("com_name") and not given.get("com_email"):
            self._add("com_email", "Enter the COM's email address with their name: it identifies the COM")
        for name, message in rule_errors(given).items():
            self._add(name, message)
        return data

    def _add(self, name: str, message: str) -> None:
        if name not in self.errors:
            self.add_error(name, message)


def _group_given(values: dict, columns: tuple[str, ...]) -> bool:
    """A group (sentence, case information) is given when any of its cells holds something other than blank/false."""
    return any(values.get(name) not in (None, "", False) for name in columns)


def rule_errors(values: dict) -> dict[str, str]:
    """The cross-field rules the database enforces, as column -> message; rules whose columns are absent are skipped."""

    def get(*names: str):
        return [values[name] for name in names] if all(name in values for name in names) else None

    errors = {}
    if (pair := get("category_approved_date", "security_category")) and pair[0] and not pair[1]:
        errors["category_approved_date"] = "Leave blank when there is no security category"
    if (pair := get("recall_type", "recalled")) and pair[0] and not pair[1]:
        errors["recall_type"] = "Leave blank unless recalled is true"
    if (pair := get("sentence_start_date", "sentence_expiry_date")) and all(pair) and pair[1] < pair[0]:
        errors["sentence_expiry_date"] = "Must not be before the sentence start date"
    indeterminate = Sentence.SentenceType.INDETERMINATE
    if (pair := get("tariff_expiry_date", "sentence_type")) and pair[0] and pair[1] != indeterminate:
        errors["tariff_expiry_date"] = "A tariff expiry date is only for an indeterminate sentence"
    if values.get("tier") and not values.get("tier_date"):
        errors["tier_date"] = "Enter the date the tier was set (YYYY-MM-DD) when a tier is given"
    if (pair := get("tier", "tier_date")) and pair[1] and not pair[0]:
        errors["tier_date"] = "Leave blank when there is no tier"
    return errors


def validate_row(row: SourceRow) -> tuple[dict | None, list[RowError]]:
    """Clean one row into the values to write, or the field-named errors that stop it."""
    if row.error:
        return None, [RowError(row.where, "row", row.error)]
    raw = {k: (v.upper() if k in UPPERCASE_COLUMNS else v) for k, v in row.values.items()}
    form = PrisonerRowForm(data=raw)
    if not form.is_valid():
        order = {name: index for index, name in enumerate(COLUMNS)}
        errors = [
            RowError(row.where, "row" if name == NON_FIELD_ERRORS else name, message)
            for name, messages in form.errors.items()
            for message in messages
        ]
        return None, sorted(errors, key=lambda e: order.get(e.field, len(order)))
    return _split(form.cleaned_data, present=set(raw)), []


def _split(cleaned: dict, *, present: set[str]) -> dict:
    given = {name: value for name, value in cleaned.items() if name in present}
    data = {
        "prisoner": {name: given[name] for name in PRISONER_COLUMNS if name in given},
        "sentence": None,
        "case_information": None,
        "com": None,
    }
    if _group_given(given, SENTENCE_COLUMNS):
        data["sentence"] = {name: given[name] for name in SENTENCE_COLUMNS if name in given}
    if _group_given(given, CASE_COLUMNS):
        case = {name: given[name] for name in CASE_MODEL_COLUMNS if name in given}
        if "tier" in case:
            case["tier_source"] = CaseInformation.TierSource.IMPORTED if case["tier"] else ""
        if "ldu_code" in given:
            case["local_delivery_unit"] = given["ldu_code"]
        if given.get("com_email"):
            data["com"] = {"email": given["com_email"].lower(), "name": given.get("com_name") or ""}
        elif "com_email" in given:
            case["com"] = None
        data["case_information"] = case
    return data


def integrity_error_column(exc: Exception) -> str:
    """The column to blame for a database refusal, from the constraint (or SQLite column) it names."""
    text = str(exc)
    return next((column for key, column in CONSTRAINT_COLUMNS.items() if key in text), "row")
