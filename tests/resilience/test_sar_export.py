"""manage.py sar_export: one person's data as JSON, the API's subject access content, audited; clear errors."""

import json
import stat
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cases.audit import RECORD_VIEWED
from cases.models import AuditEvent
from tests.factories import PrisonerFactory, SentenceFactory
from tests.factories.keywork_recording import KeyworkSessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(prison):
    prisoner = PrisonerFactory(prison=prison, prison_number="A1234BC", first_name="Zoë", last_name="O'Brien")
    SentenceFactory(prisoner=prisoner)
    KeyworkSessionFactory(prisoner=prisoner, notes="Open note")
    KeyworkSessionFactory(prisoner=prisoner, notes="Sensitive note", is_sensitive=True)
    PrisonerFactory(prison=prison, prison_number="B9999ZZ")  # someone else: never in the export
    return prisoner


def test_the_export_to_a_file_holds_the_person_and_is_audited(person, tmp_path):
    out = tmp_path / "sar.json"
    err = StringIO()
    call_command("sar_export", "a1234bc", "--out", str(out), stderr=err)
    data = json.loads(out.read_text(encoding="utf-8"))["content"]
    assert data["prisoner"]["prisonNumber"] == "A1234BC"
    assert data["prisoner"]["firstName"] == "Zoë"
    assert data["sentence"][0]["sentence_start_date"] == person.sentence.sentence_start_date.isoformat()
    notes = sorted((row["is_sensitive"], str(row["notes"])) for row in data["keyWorkSessions"])
    text = out.read_text(encoding="utf-8")
    assert "B9999ZZ" not in text
    assert "Open note" in text
    assert "Sensitive note" not in text  # left out unless asked for
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # the file holds personal data: its owner only
    assert "Wrote A1234BC's record" in err.getvalue()
    event = AuditEvent.objects.get(prison_number="A1234BC", action=RECORD_VIEWED)
    assert event.actor_label == "manage.py sar_export"
    assert event.after["viewed"] == "subject_access_request"
    assert notes == [(False, "Open note"), (True, "None")]  # the sensitive session is listed, without its text


def test_sensitive_notes_on_request_and_standard_output(person):
    out = StringIO()
    call_command("sar_export", "A1234BC", "--sensitive-notes", stdout=out)
    assert "Sensitive note" in out.getvalue()
    assert json.loads(out.getvalue())["content"]["prisoner"]["lastName"] == "O'Brien"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Z0000ZZ"], "No prisoner has the prison number 'Z0000ZZ'"),
        (["A1234\x00BC"], "No prisoner has the prison number"),
        (["A1234BC", "--from", "2026-02-30"], "'2026-02-30' is not a date: give it as YYYY-MM-DD"),
        (["A1234BC", "--from", "2026-03-01", "--to", "2026-02-01"], "--from must be on or before --to"),
        (["A1234BC", "--out", "/no/such/dir/sar.json"], "Cannot write /no/such/dir/sar.json"),
    ],
)
def test_clear_errors_and_nothing_audited(person, args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(")):
        call_command("sar_export", *args)
    assert not AuditEvent.objects.filter(action=RECORD_VIEWED).exists()
