"""Fuzzed imports (hypothesis): ``import_prisoners`` (CSV and JSON) and the parole CSV import.

Valid rows are mutated (wrong types, empty, huge, unicode, NUL, impossible dates, duplicate ids). Whatever the file,
the import ends cleanly: success, or an error naming the line (or record) and the column, and a refused row (or, for
the all-or-nothing parole import, a refused file) leaves every table exactly as it was.
"""

import csv
import datetime as dt
import io
import json
import os
import re
import tempfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework.parole_imports import parole_csv_import
from tests.factories import PrisonerFactory, PrisonFactory
from tests.resilience.counts import changed_counts, row_counts
from tests.resilience.fuzz_tally import count

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_IMPORT_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

VALID_ROW = {
    "prison_number": "A1234BC",
    "first_name": "Ann",
    "last_name": "Smith",
    "date_of_birth": "1980-02-03",
    "prison": "LEI",
    "legal_status": "sentenced",
    "sentence_type": "determinate",
    "sentence_start_date": "2025-01-10",
    "conditional_release_date": "2028-03-31",
    "sentence_expiry_date": "2030-01-01",
    "crn": "X123456",
    "tier": "C",
    "tier_date": "2025-02-01",
    "rosh_level": "medium",
    "mappa_level": "1",
    "enhanced_resourcing": "no",
    "recalled": "no",
    "com_name": "Jo Bloggs",
    "com_email": "jo.bloggs@probation.example.gov.uk",
}

NASTY = st.sampled_from(
    [
        "",
        " ",
        "abc",
        "12.5",
        "-1",
        "0",
        "99999999999999999999",
        "2026-02-30",
        "2026-13-01",
        "0000-01-01",
        "9999-12-31",
        "31/06/2027",
        "x" * 5000,
        "Zoë Ó'Brien",
        "\u202eevil",
        "🎉" * 50,
        "a\x00b",
        "\x00",
        "null",
        "None",
        "true",
        "A1234BC",  # another row's id
        "X123456",  # another row's CRN
        "line\nbreak",
        '"quoted"',
        "=cmd|' /C calc'!A0",
    ]
)
VALUES = st.one_of(NASTY, st.text(max_size=60))


@st.composite
def mutated_rows(draw, columns=tuple(VALID_ROW)):
    row = dict(VALID_ROW)
    row["prison_number"] = draw(st.sampled_from(["A1234BC", "B2345CD", "C3456DE"]))
    row["crn"] = draw(st.sampled_from(["X123456", "X654321", ""]))
    for column in draw(st.lists(st.sampled_from(columns), min_size=1, max_size=4, unique=True)):
        row[column] = draw(VALUES)
    return row


ERROR_LINE = re.compile(r"^(line|record) \d+: \w+: .+", re.S)


def _import(path: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("import_prisoners", str(path), "--no-progress", stdout=out, stderr=err)
    except CommandError as error:
        code = error.returncode
        err.write(str(error))
    return code, out.getvalue(), err.getvalue()


def _check_outcome(code: int, out: str, err: str, before: dict) -> None:
    assert code in (0, 1, 2), (code, err)
    if code == 0:
        return
    assert changed_counts(before, row_counts()) == {}, err  # a refused row (or file) writes nothing at all
    if code == 1:
        assert "1 failed" in out
        assert any(ERROR_LINE.match(line) for line in err.splitlines()), err  # names the line and column
    else:
        assert err.strip()


@pytest.fixture
def estate(db):
    prison = PrisonFactory(code="LEI", name="HMP Leeds")
    PrisonerFactory(prison=prison, prison_number="C3456DE")  # an existing person the rows may update
    return prison


@FUZZ
@given(row=mutated_rows())
def test_a_fuzzed_csv_row_imports_or_is_refused_cleanly(estate, row):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "prisoners.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(VALID_ROW))
            writer.writeheader()
            writer.writerow(row)
        before = row_counts()
        code, out, err = _import(path)
        _check_outcome(code, out, err, before)
    count(f"import_prisoners csv row (exit {code})")


JSON_VALUES = st.one_of(
    VALUES,
    st.integers(),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


@FUZZ
@given(row=mutated_rows(), extra=st.dictionaries(st.sampled_from(list(VALID_ROW)), JSON_VALUES, max_size=3))
def test_a_fuzzed_json_record_imports_or_is_refused_cleanly(estate, row, extra):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "prisoners.json"
        path.write_text(json.dumps([{**row, **extra}]), encoding="utf-8")
        before = row_counts()
        code, out, err = _import(path)
        _check_outcome(code, out, err, before)
    count(f"import_prisoners json record (exit {code})")


def _one_line(row: dict) -> bool:
    return not any("\n" in value or "\r" in value for value in row.values())


def _person(number: str):
    from cases.models import CaseInformation, Prisoner, Sentence

    return (
        Prisoner.objects.filter(pk=number).values().first(),
        list(Sentence.objects.filter(prisoner_id=number).values()),
        list(CaseInformation.objects.filter(prisoner_id=number).values()),
    )


@FUZZ
@given(rows=st.lists(mutated_rows().filter(_one_line), min_size=2, max_size=4))
def test_a_fuzzed_file_of_several_rows_never_half_saves_a_row(estate, rows):
    """Good rows are saved and bad ones refused (duplicate ids and CRNs across rows included): a person whose every
    row was refused is left exactly as they were."""
    numbers = {row["prison_number"] for row in rows}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "prisoners.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(VALID_ROW))
            writer.writeheader()
            writer.writerows(rows)
        before = {number: _person(number) for number in numbers}
        counts = row_counts()
        code, out, err = _import(path)
    assert code in (0, 1, 2), err
    if code == 2:
        assert changed_counts(counts, row_counts()) == {}
        assert err.strip()
    failed = {int(found) for found in re.findall(r"^line (\d+): \w+: ", err, re.M)}
    for number in numbers:
        lines = {line for line, row in enumerate(rows, start=2) if row["prison_number"] == number}
        if code == 2 or lines <= failed:
            assert _person(number) == before[number], err
    count(f"import_prisoners csv file of 2-4 rows (exit {code})")


PAROLE_ROW = {
    "prison_number": "A1234BC",
    "review_id": "R1",
    "target_hearing_date": "2027-06-01",
    "custody_report_due": "2027-03-01",
    "review_type": "",
    "review_status": "",
    "hearing_outcome": "",
    "hearing_outcome_received_on": "",
}


@st.composite
def parole_rows(draw):
    row = dict(PAROLE_ROW)
    row["review_id"] = draw(st.sampled_from(["R1", "R2", ""]))
    for column in draw(st.lists(st.sampled_from(list(PAROLE_ROW)), min_size=1, max_size=3, unique=True)):
        row[column] = draw(VALUES)
    return row


@pytest.fixture
def parole_estate(estate):
    PrisonerFactory(prison=estate, prison_number="A1234BC")
    return estate


PAROLE_ERROR = re.compile(r"^line \d+(, column \w+)?: .+", re.S)


@FUZZ
@given(rows=st.lists(parole_rows(), min_size=1, max_size=3))
def test_a_fuzzed_parole_file_is_all_or_nothing(parole_estate, rows):
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, fieldnames=list(PAROLE_ROW))
    writer.writeheader()
    writer.writerows(rows)
    before = row_counts()
    result = parole_csv_import(io.StringIO(text.getvalue(), newline=""), today=dt.date(2026, 11, 26))
    if result.errors:
        assert not result.written
        assert changed_counts(before, row_counts()) == {}  # all or nothing
        for message in result.errors:
            assert PAROLE_ERROR.match(message), message  # names the line, and the column where there is one
    else:
        assert result.written
    count(f"parole csv file ({'refused' if result.errors else 'imported'})")
