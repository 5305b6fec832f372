"""manage.py sar_export writes personal data: the file is its owner's only whatever was at the path before (an
existing file, a planted symlink), and the export is on the audit trail before any data is written."""

import json
import os
import stat
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command

from api.management.commands import sar_export
from cases.audit import RECORD_VIEWED
from cases.models import AuditEvent
from tests.factories import PrisonerFactory
from tests.factories.keywork_recording import KeyworkSessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(prison):
    prisoner = PrisonerFactory(prison=prison, prison_number="A1234BC")
    KeyworkSessionFactory(prisoner=prisoner, notes="Sensitive note", is_sensitive=True)
    return prisoner


def _audited() -> int:
    return AuditEvent.objects.filter(action=RECORD_VIEWED, prison_number="A1234BC").count()


def test_an_existing_world_readable_file_is_replaced_by_an_owner_only_one(person, tmp_path):
    out = tmp_path / "sar.json"
    out.write_text("old")
    out.chmod(0o644)
    call_command("sar_export", "A1234BC", "--out", str(out), stderr=StringIO())
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert json.loads(out.read_text())["content"]["prisoner"]["prisonNumber"] == "A1234BC"
    assert [p.name for p in tmp_path.iterdir()] == ["sar.json"], "no temporary file left behind"


def test_a_symlink_at_the_path_is_not_followed(person, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("someone else's file")
    victim.chmod(0o644)
    out = tmp_path / "sar.json"
    out.symlink_to(victim)
    call_command("sar_export", "A1234BC", "--out", str(out), stderr=StringIO())
    assert victim.read_text() == "someone else's file", "the export never wrote through the link"
    assert stat.S_IMODE(victim.stat().st_mode) == 0o644
    assert not out.is_symlink()
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "A1234BC" in out.read_text()


def test_the_temporary_file_refuses_a_planted_symlink(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("x")
    with mock.patch.object(sar_export.secrets, "token_hex", return_value="fixed"):
        (tmp_path / ".sar.json.fixed.tmp").symlink_to(victim)
        with pytest.raises(FileExistsError):
            sar_export.write_private(str(tmp_path / "sar.json"), "data")
    assert victim.read_text() == "x"
    assert not (tmp_path / "sar.json").exists()


def test_the_audit_row_is_written_before_the_data_and_says_whether_sensitive_notes_went(person, tmp_path):
    seen = []
    real = sar_export.write_private

    def write_after_audit(path, text):
        seen.append(_audited())
        real(path, text)

    with mock.patch.object(sar_export, "write_private", side_effect=write_after_audit):
        call_command("sar_export", "A1234BC", "--out", str(tmp_path / "a.json"), stderr=StringIO())
    assert seen == [1], "the audit row existed when the data was written"
    assert AuditEvent.objects.get(action=RECORD_VIEWED).after["sensitive_notes"] is False

    class Watching(StringIO):
        def write(self, text):
            seen.append(_audited())
            return super().write(text)

    call_command("sar_export", "A1234BC", "--sensitive-notes", stdout=Watching())
    assert seen[1:], "the export was written to standard output"
    assert set(seen[1:]) == {2}, "standard output too: audited first"
    latest = AuditEvent.objects.filter(action=RECORD_VIEWED).order_by("-pk").first()
    assert latest.after["sensitive_notes"] is True


def test_a_failed_write_leaves_no_audit_row_and_no_file(person, tmp_path):
    def fail(descriptor, *args):
        raise OSError(28, "No space left on device")

    out = tmp_path / "sar.json"
    with mock.patch.object(os, "fsync", side_effect=fail), pytest.raises(Exception, match="No space left"):
        call_command("sar_export", "A1234BC", "--out", str(out), stderr=StringIO())
    assert _audited() == 0
    assert list(tmp_path.iterdir()) == []
