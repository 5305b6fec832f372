"""``import_prisoners``: good rows are saved, bad rows are reported by line and field and never half-saved."""

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cases import services
from cases.models import AuditEvent, CaseInformation, CommunityOffenderManager, Prisoner, Sentence
from tests.factories import (
    CaseInformationFactory,
    LocalDeliveryUnitFactory,
    PrisonerFactory,
    SentenceFactory,
)

pytestmark = pytest.mark.django_db

HEADER = [
    "prison_number",
    "first_name",
    "last_name",
    "date_of_birth",
    "prison",
    "legal_status",
    "sentence_type",
    "sentence_start_date",
    "sentence_expiry_date",
    "crn",
    "tier",
    "tier_date",
]


def _row(number, **values):
    row = {"prison_number": number, "first_name": "Ann", "last_name": "Smith", "prison": "LEI"}
    row.update({"legal_status": "sentenced", "date_of_birth": "1980-02-03"}, **values)
    return row


def _csv(tmp_path, rows, header=HEADER, name="prisoners.csv"):
    path = tmp_path / name
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, restval="")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("import_prisoners", str(path), "--no-progress", *args, stdout=out, stderr=err)
    except CommandError as exc:
        code = exc.returncode
    return code, out.getvalue(), err.getvalue()


def _counts():
    return (
        Prisoner.history.count(),
        Sentence.history.count(),
        CaseInformation.history.count(),
        AuditEvent.objects.count(),
    )


def test_good_rows_are_saved_and_every_bad_row_is_reported_with_line_and_field(tmp_path, prison):
    path = _csv(
        tmp_path,
        [
            _row("A1111AA", sentence_type="determinate", sentence_start_date="2025-01-10", crn="X111111"),
            _row("A2222BB", date_of_birth="03/02/1980"),
            _row("A3333CC"),
            _row("A4444DD", prison="ZZZ"),
            _row("bad", legal_status="jailed"),
            _row("A5555EE", tier="C", tier_date="2026-01-05", crn="X555555"),
        ],
    )

    code, out, err = _run(path)

    assert code == 1
    assert f"Imported {path}: 3 created, 0 updated, 0 unchanged, 3 failed" in out
    assert err.splitlines() == [
        "line 3: date_of_birth: Enter a date in the format YYYY-MM-DD",
        "line 5: prison: No prison has the code ZZZ",
        "line 6: prison_number: Enter a prison number in the format A1234BC: a letter, 4 digits, then 2 letters",
        "line 6: legal_status: Enter one of: " + ", ".join(Prisoner.LegalStatus.values),
    ]
    assert sorted(Prisoner.objects.values_list("pk", flat=True)) == ["A1111AA", "A3333CC", "A5555EE"]
    first = Prisoner.objects.get(pk="A1111AA")
    assert first.date_of_birth == dt.date(1980, 2, 3)
    assert first.sentence.sentence_start_date == dt.date(2025, 1, 10)
    assert first.case_information.crn == "X111111"
    assert not hasattr(Prisoner.objects.get(pk="A3333CC"), "sentence")
    assert not hasattr(Prisoner.objects.get(pk="A3333CC"), "case_information")
    tiered = CaseInformation.objects.get(prisoner_id="A5555EE")
    assert (tiered.tier, tiered.tier_source, tiered.tier_date) == ("C", "imported", dt.date(2026, 1, 5))


def test_a_bad_sentence_date_saves_nothing_of_the_row(tmp_path, prison):
    path = _csv(tmp_path, [_row("A1111AA", sentence_type="determinate", sentence_start_date="2025-13-40")])

    code, _, err = _run(path)

    assert code == 1
    assert "line 2: sentence_start_date: Enter a date in the format YYYY-MM-DD" in err
    assert not Prisoner.objects.exists()
    assert AuditEvent.objects.count() == 0


def test_a_bad_update_leaves_the_stored_prisoner_unchanged(tmp_path, prison):
    stored = PrisonerFactory(prison_number="A1111AA", prison=prison, first_name="Ann", last_name="Smith")
    before = _counts()
    path = _csv(tmp_path, [_row("A1111AA", first_name="Changed", sentence_type="determinate", tier="Q")])

    code, _, err = _run(path)

    assert code == 1
    assert "line 2: tier: Enter one of: A, B, C, D, E, F, G" in err
    stored.refresh_from_db()
    assert stored.first_name == "Ann"
    assert _counts() == before


def test_a_database_refusal_rolls_back_the_whole_row(tmp_path, prison, monkeypatch):
    """Even when the database, not validation, refuses a row, its earlier writes (the prisoner) are undone."""
    CaseInformationFactory(crn="X123456")
    stored = PrisonerFactory(prison_number="A1111AA", prison=prison, first_name="Ann")
    monkeypatch.setattr(services, "_crn_holder", lambda **kwargs: None)
    before = _counts()
    path = _csv(tmp_path, [_row("A1111AA", first_name="Changed", crn="X123456")])

    code, out, err = _run(path)

    assert code == 1
    assert "0 updated, 0 unchanged, 1 failed" in out
    assert err.startswith("line 2: crn: The database refused the row")
    stored.refresh_from_db()
    assert stored.first_name == "Ann"
    assert not CaseInformation.objects.filter(prisoner=stored).exists()
    assert _counts() == before


def test_running_the_same_file_again_changes_nothing(tmp_path, prison):
    LocalDeliveryUnitFactory(code="LDU_LEEDS")
    header = [*HEADER, "ldu_code", "com_name", "com_email", "recalled", "enhanced_resourcing"]
    rows = [
        _row("A1111AA", sentence_type="determinate", sentence_start_date="2025-01-10", recalled="no"),
        _row("A2222BB", crn="X222222", tier="B", tier_date="2026-02-01", ldu_code="ldu_leeds"),
        _row("A3333CC", com_name="Cath Jones", com_email="Cath.Jones@probation.example.gov.uk"),
        _row("A4444DD", enhanced_resourcing="yes"),
    ]
    path = _csv(tmp_path, rows, header=header)
    assert _run(path)[:2] == (0, f"Imported {path}: 4 created, 0 updated, 0 unchanged, 0 failed\n")
    before = _counts()

    code, out, err = _run(path)

    assert (code, err) == (0, "")
    assert out == f"Imported {path}: 0 created, 0 updated, 4 unchanged, 0 failed\n"
    assert _counts() == before
    assert CommunityOffenderManager.objects.get().email == "cath.jones@probation.example.gov.uk"


def test_an_update_changes_only_what_differs_and_is_audited(tmp_path, prison, other_prison):
    stored = PrisonerFactory(prison_number="A1111AA", prison=prison, first_name="Ann", last_name="Smith")
    SentenceFactory(prisoner=stored, sentence_start_date=dt.date(2025, 1, 10), sentence_expiry_date=None)
    history_before = Prisoner.history.filter(prison_number="A1111AA").count()
    path = _csv(
        tmp_path,
        [
            {
                "prison_number": "A1111AA",
                "first_name": "Ann",
                "last_name": "Smith",
                "prison": "MDI",
                "legal_status": stored.legal_status,
                "sentence_type": "determinate",
                "sentence_start_date": "2025-01-10",
                "sentence_expiry_date": "2029-01-09",
            }
        ],
        header=["prison_number", "first_name", "last_name", "prison", "legal_status", *HEADER[6:9]],
    )

    code, out, _ = _run(path)

    assert code == 0
    assert "0 created, 1 updated, 0 unchanged" in out
    stored.refresh_from_db()
    assert stored.prison_id == "MDI"
    assert stored.date_of_birth is not None  # not in the file: left alone
    assert Prisoner.history.filter(prison_number="A1111AA").count() == history_before + 1
    events = {event.object_type: event for event in AuditEvent.objects.all()}
    assert set(events) == {"cases.Prisoner", "cases.Sentence"}
    assert (events["cases.Prisoner"].before, events["cases.Prisoner"].after) == ({"prison": "LEI"}, {"prison": "MDI"})
    assert events["cases.Sentence"].before == {"sentence_expiry_date": None}
    assert events["cases.Sentence"].after == {"sentence_expiry_date": "2029-01-09"}
    assert events["cases.Prisoner"].actor_label == "import_prisoners"
    assert events["cases.Prisoner"].prison_number == "A1111AA"


def test_json_import(tmp_path, prison):
    path = tmp_path / "prisoners.json"
    records = [
        {
            "prison_number": "A1111AA",
            "first_name": "Ann",
            "last_name": "Smith",
            "prison": "LEI",
            "legal_status": "recall",
            "sentence_type": "indeterminate",
            "tariff_expiry_date": "2030-05-01",
            "recalled": True,
            "recall_type": "standard",
            "mappa_level": 2,
            "enhanced_resourcing": None,
            "crn": "X111111",
        },
        {"prison_number": "A2222BB", "first_name": "Bob", "last_name": "Jones", "prison": "LEI"},
        {"prison_number": "A3333CC", "first_name": "Cy", "last_name": "Doe", "prison": "LEI", "legal_status": "remand"},
    ]
    path.write_text(json.dumps(records))

    code, out, err = _run(path)

    assert code == 1
    assert f"Imported {path}: 2 created, 0 updated, 0 unchanged, 1 failed" in out
    assert err.splitlines() == ["record 2: legal_status: This field is required."]
    sentence = Sentence.objects.get(prisoner_id="A1111AA")
    assert (sentence.recalled, sentence.recall_type, sentence.tariff_expiry_date) == (
        True,
        "standard",
        dt.date(2030, 5, 1),
    )
    assert CaseInformation.objects.get(prisoner_id="A1111AA").mappa_level == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "prison_number,first_name,last_name,prison\nA1111AA,Ann,Smith,LEI\n",
            "missing required columns: legal_status",
        ),
        (
            "prison_number,first_name,last_name,prison,legal_status,shoe_size\nA1111AA,Ann,Smith,LEI,remand,9\n",
            "unknown columns: shoe_size",
        ),
        ("", "The file is empty"),
    ],
)
def test_a_bad_header_exits_2_and_writes_nothing(tmp_path, prison, content, message):
    path = tmp_path / "prisoners.csv"
    path.write_text(content)

    with pytest.raises(CommandError, match=message) as raised:
        call_command("import_prisoners", str(path), "--no-progress", stdout=io.StringIO(), stderr=io.StringIO())

    assert raised.value.returncode == 2
    assert not Prisoner.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"), [("prisoners.json", "{not json"), ("prisoners.json", '{"a": 1}'), ("prisoners.txt", "x")]
)
def test_a_malformed_file_exits_2(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content)

    assert _run(path)[0] == 2


def test_a_missing_file_exits_2(tmp_path):
    assert _run(tmp_path / "nowhere.csv")[0] == 2


def test_a_crn_held_by_another_prisoner_fails_on_crn(tmp_path, prison):
    CaseInformationFactory(prisoner=PrisonerFactory(prison_number="B1111BB"), crn="X123456")
    path = _csv(tmp_path, [_row("A1111AA", crn="X123456"), _row("A2222BB", crn="X999999")])

    code, _, err = _run(path)

    assert code == 1
    assert err.splitlines() == ["line 2: crn: CRN X123456 already belongs to prisoner B1111BB"]
    assert not Prisoner.objects.filter(pk="A1111AA").exists()
    assert Prisoner.objects.filter(pk="A2222BB").exists()


def test_an_unknown_prison_fails_on_prison(tmp_path, prison):
    code, _, err = _run(_csv(tmp_path, [_row("A1111AA", prison="XYZ")]))

    assert code == 1
    assert err.splitlines() == ["line 2: prison: No prison has the code XYZ"]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"tier": "C"}, "tier_date: Enter the date the tier was set"),
        ({"tier_date": "2026-01-01"}, "tier_date: Leave blank when there is no tier"),
        ({"sentence_start_date": "2025-01-01"}, "sentence_type: Enter the sentence type"),
        (
            {"sentence_type": "determinate", "sentence_start_date": "2025-01-01", "sentence_expiry_date": "2024-01-01"},
            "sentence_expiry_date: Must not be before the sentence start date",
        ),
        ({"crn": "123"}, "crn: Enter a CRN in the format X123456"),
    ],
)
def test_cross_field_rules_are_reported_on_a_field(tmp_path, prison, values, expected):
    code, _, err = _run(_csv(tmp_path, [_row("A1111AA", **values)]))

    assert code == 1
    assert err.startswith(f"line 2: {expected}")
    assert not Prisoner.objects.exists()


def test_rules_are_checked_against_the_stored_record_too(tmp_path, prison):
    """A file with only some columns is checked together with what is stored: a recall type needs a recall."""
    SentenceFactory(prisoner=PrisonerFactory(prison_number="A1111AA", prison=prison), recalled=False)
    header = [*HEADER[:7], "recall_type"]
    path = _csv(tmp_path, [_row("A1111AA", sentence_type="determinate", recall_type="standard")], header=header)

    code, _, err = _run(path)

    assert code == 1
    assert err.splitlines() == ["line 2: recall_type: Leave blank unless recalled is true"]
    assert Sentence.objects.get().recall_type == ""


def test_unknown_delivery_unit_and_unnamed_new_com_are_errors(tmp_path, prison):
    header = [*HEADER, "ldu_code", "com_email"]
    path = _csv(tmp_path, [_row("A1111AA", ldu_code="NOPE"), _row("A2222BB", com_email="x@example.com")], header=header)

    code, _, err = _run(path)

    assert code == 1
    assert err.splitlines() == [
        "line 2: ldu_code: No local delivery unit has the code NOPE: add it first",
        "line 3: com_name: Enter the COM's name: no COM has the email x@example.com yet",
    ]


def test_dry_run_writes_nothing(tmp_path, prison):
    PrisonerFactory(prison_number="A2222BB", prison=prison, first_name="Old")
    before = _counts()
    path = _csv(tmp_path, [_row("A1111AA", crn="X111111"), _row("A2222BB"), _row("A3333CC", prison="ZZZ")])

    code, out, err = _run(path, "--dry-run")

    assert code == 1
    assert f"Dry run (nothing saved) of {path}: 1 created, 1 updated, 0 unchanged, 1 failed" in out
    assert "line 4: prison: No prison has the code ZZZ" in err
    assert sorted(Prisoner.objects.values_list("pk", flat=True)) == ["A2222BB"]
    assert Prisoner.objects.get().first_name == "Old"
    assert _counts() == before


def test_a_com_is_found_by_email_and_renamed(tmp_path, prison):
    header = [*HEADER[:6], "com_name", "com_email"]
    first = _csv(tmp_path, [_row("A1111AA", com_name="Cath Jones", com_email="cath@example.com")], header=header)
    assert _run(first)[0] == 0
    renamed = _csv(
        tmp_path, [_row("A1111AA", com_name="Cath Smith", com_email="CATH@example.com")], header=header, name="b.csv"
    )

    code, out, _ = _run(renamed)

    assert (code, "1 updated" in out) == (0, True)
    com = CommunityOffenderManager.objects.get()
    assert com.name == "Cath Smith"
    assert CaseInformation.objects.get().com == com
    event = AuditEvent.objects.filter(object_type="cases.CommunityOffenderManager").first()
    assert (event.before, event.after) == ({"name": "Cath Jones"}, {"name": "Cath Smith"})


def test_a_row_with_more_cells_than_the_header_fails(tmp_path, prison):
    path = tmp_path / "prisoners.csv"
    path.write_text("prison_number,first_name,last_name,prison,legal_status\nA1111AA,Ann,Smith,LEI,remand,surplus\n")

    code, _, err = _run(path)

    assert code == 1
    assert err.splitlines() == ["line 2: row: The row has more cells than the header has columns"]


def test_progress_bar_is_off_when_not_a_terminal(tmp_path, prison):
    out, err = io.StringIO(), io.StringIO()

    call_command("import_prisoners", str(_csv(tmp_path, [_row("A1111AA")])), "--format", "csv", stdout=out, stderr=err)

    assert "1 created" in out.getvalue()
    assert err.getvalue() == ""


@pytest.mark.parametrize("kind", ["csv", "json"])
def test_the_documented_examples_import_cleanly(tmp_path, prison, kind):
    LocalDeliveryUnitFactory(code="LDU_LEEDS")
    doc = (Path(__file__).resolve().parents[2] / "docs" / "import-format.md").read_text()
    example = doc.split(f"## Example: {kind.upper()}\n\n```{kind}\n")[1].split("```")[0]
    path = tmp_path / f"example.{kind}"
    path.write_text(example)

    code, out, err = _run(path)

    assert (code, err) == (0, "")
    assert "0 failed" in out
    rows = 3 if kind == "csv" else 2
    assert _run(path)[1].endswith(f": 0 created, 0 updated, {rows} unchanged, 0 failed\n")
