"""``manage.py parole_import``: a CSV with a header, all or nothing, every bad row reported with its line number and
column name, idempotent by review id, progress shown, and the job doing the same."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cases.models import AuditEvent, ParoleReview
from casework import parole_imports
from casework.parole_jobs import parole_import
from tests.factories import PrisonerFactory

pytestmark = pytest.mark.django_db
HEADER = "prison_number,review_id,target_hearing_date,review_type,hearing_outcome,hearing_outcome_received_on\n"


@pytest.fixture
def prisoners(prison):
    return PrisonerFactory(prison=prison, prison_number="A1234BC"), PrisonerFactory(
        prison=prison, prison_number="B2345CD"
    )


def _run(tmp_path, text, *args):
    path = tmp_path / "parole.csv"
    path.write_text(text, encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("parole_import", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_good_file_is_imported_and_importing_it_again_changes_nothing(tmp_path, prisoners):
    text = HEADER + "A1234BC,R1,2027-06-01,Oral hearing,,\nb2345cd,R2,2027-02-01,Paper review,No release,2026-10-01\n"
    out, _ = _run(tmp_path, text)
    assert "Imported 2 rows: 2 created, 0 updated, 0 unchanged" in out
    review = ParoleReview.objects.get(review_id="R2")
    assert (review.prisoner_id, review.outcome, review.hearing_outcome_received_on) == (
        "B2345CD",
        "not_release",
        dt.date(2026, 10, 1),
    )
    out, _ = _run(tmp_path, text)
    assert "0 created, 0 updated, 2 unchanged" in out
    assert AuditEvent.objects.filter(actor_label="parole_import").count() == 2


def test_every_bad_row_is_reported_with_its_line_and_column_and_nothing_is_written(tmp_path, prisoners):
    text = (
        HEADER
        + "A1234BC,R1,2027-06-01,Oral hearing,,\n"  # line 2: good
        + "A1234BC,R2,31/06/2027,,,\n"  # line 3: bad date
        + "Z9999ZZ,R3,2027-06-01,,,\n"  # line 4: no such prisoner
        + "B2345CD,R4,2027-06-01,,Release,2999-01-01\n"  # line 5: outcome received in the future
        + "B2345CD,R1,2027-06-01,,,\n"  # line 6: the same review id twice
        + "B2345CD,R5\n"  # line 7: too few values
    )
    with pytest.raises(CommandError, match="nothing was imported"):
        _run(tmp_path, text)
    assert not ParoleReview.objects.exists()
    assert not AuditEvent.objects.exists()


def test_the_errors_name_line_and_column(prisoners):
    lines = [
        HEADER,
        "A1234BC,R2,31/06/2027,,,\n",
        "Z9999ZZ,R3,2027-06-01,,,\n",
        "B2345CD,R4,2027-06-01,,Release,2999-01-01\n",
        "B2345CD,R2,2027-06-01,,,\n",
        "B2345CD,R5\n",
    ]
    result = parole_imports.parole_csv_import(lines, today=dt.date(2026, 11, 24))
    assert not result.written
    assert [e.split(":")[0] for e in result.errors] == [
        "line 2, column target_hearing_date",
        "line 3, column prison_number",
        "line 4, column hearing_outcome_received_on",
        "line 5, column review_id",
        "line 6",
    ]


def test_a_bad_header_is_reported_before_any_row(tmp_path, prisoners):
    with pytest.raises(CommandError):
        _run(tmp_path, "number,review_id,colour\nA1234BC,R1,blue\n")
    result = parole_imports.parole_csv_import(["number,review_id,colour\n"], today=dt.date(2026, 11, 24))
    assert result.errors == [
        "line 1, column number: unknown column; expected some of " + ", ".join(parole_imports.COLUMNS),
        "line 1, column colour: unknown column; expected some of " + ", ".join(parole_imports.COLUMNS),
        "line 1, column prison_number: the prison_number column is missing",
    ]
    assert parole_imports.parole_csv_import([], today=dt.date(2026, 11, 24)).errors[0].startswith("line 1: the file")


def test_a_dry_run_checks_and_writes_nothing(tmp_path, prisoners):
    out, _ = _run(tmp_path, HEADER + "A1234BC,R1,2027-06-01,,,\n", "--dry-run")
    assert "dry run" in out
    assert not ParoleReview.objects.exists()


def test_progress_is_shown(tmp_path, prisoners, monkeypatch):
    monkeypatch.setattr(parole_imports, "PROGRESS_EVERY", 2)
    text = HEADER + "".join(f"A1234BC,R{n},2027-06-{n:02d},,,\n" for n in range(1, 6))
    out, _ = _run(tmp_path, text)
    assert "2 rows checked" in out
    assert "4 rows checked" in out
    assert "Imported 5 rows: 5 created" in out


def test_the_job_imports_a_file_on_disk(tmp_path, prisoners):
    path = tmp_path / "feed.csv"
    path.write_text(HEADER + "A1234BC,R1,2027-06-01,,,\n", encoding="utf-8")
    assert parole_import(str(path)) == {"rows": 1, "written": True, "errors": [], "created": 1}
    assert parole_import(str(path))["unchanged"] == 1
