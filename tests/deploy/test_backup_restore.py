"""Backup and restore as docs/backup.md documents them: bin/backup (pg_dump) of the test database, bin/restore
(pg_restore) into a new database, and a prisoner with their allocation and handover read back from the copy.

The doc's pg_dump and pg_restore commands are the scripts' own lines (checked below), and the test runs the scripts,
so what is documented is what is tested."""

import re
import subprocess
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.db import connection

from cases.models import PomAllocation
from handover.models import CalculatedHandover
from tests.factories import PrisonFactory
from tests.factories.allocation import PomAllocationFactory, ready_case
from tests.factories.handover import CalculatedHandoverFactory

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "backup.md"
SCRIPTS = (ROOT / "bin" / "backup", ROOT / "bin" / "restore")


def _url(settings_dict, name: str) -> str:
    user = quote(settings_dict["USER"] or "")
    password = f":{quote(settings_dict['PASSWORD'])}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "localhost"
    port = settings_dict.get("PORT") or "5432"
    return f"postgresql://{user}{password}@{host}:{port}/{name}"


def _doc_commands() -> list[str]:
    """The pg_dump and pg_restore command lines in the doc's sh code blocks."""
    blocks = re.findall(r"```sh\n(.*?)```", DOC.read_text(), flags=re.S)
    lines = [line.strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if line.startswith(("pg_dump ", "pg_restore "))]


def test_the_docs_commands_are_the_scripts_commands():
    commands = _doc_commands()
    assert any(c.startswith("pg_dump ") for c in commands)
    assert any(c.startswith("pg_restore --exit-on-error") for c in commands)
    script_lines = {line.strip() for script in SCRIPTS for line in script.read_text().splitlines()}
    assert [c for c in commands if c not in script_lines] == []
    assert "bin/backup " in DOC.read_text()
    assert "bin/restore " in DOC.read_text()


def _has_handover(prisoner) -> bool:
    # With the eager broker the prisoner's handover was worked out on save; with a real one it is queued.
    return CalculatedHandover.objects.filter(prisoner=prisoner).exists()


@pytest.fixture
def scratch_database():
    """A new, empty database beside the test database, dropped afterwards."""
    name = f"omic_restore_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_new_database_with_the_case_intact(tmp_path, scratch_database):
    prison = PrisonFactory(code="BKP", name="HMP Backup")
    prisoner = ready_case(prison=prison, first_name="Ada", last_name="Restore")
    allocation = PomAllocationFactory(prisoner=prisoner)
    if not _has_handover(prisoner):
        CalculatedHandoverFactory(prisoner=prisoner)
    handover = CalculatedHandover.objects.get(prisoner=prisoner)
    dump = tmp_path / "omic.dump"

    source = _url(connection.settings_dict, connection.settings_dict["NAME"])
    backed_up = subprocess.run(
        [str(SCRIPTS[0]), source, str(dump)], capture_output=True, text=True, timeout=120, check=False
    )
    assert backed_up.returncode == 0, backed_up.stderr
    assert dump.stat().st_size > 0

    target = _url(connection.settings_dict, scratch_database)
    restored = subprocess.run(
        [str(SCRIPTS[1]), str(dump), target], capture_output=True, text=True, timeout=300, check=False
    )
    assert restored.returncode == 0, restored.stderr
    counts = dict(line.rsplit(" ", 1) for line in restored.stdout.strip().splitlines())
    assert counts["prisoners"] == str(1)
    assert counts["pom_allocations"] == str(PomAllocation.objects.count())

    with psycopg.connect(target) as copy:
        row = copy.execute(
            "SELECT first_name, last_name, prison_id FROM cases_prisoner WHERE prison_number = %s",
            [prisoner.prison_number],
        ).fetchone()
        assert row == ("Ada", "Restore", "BKP")
        allocated = copy.execute(
            "SELECT prisoner_id, pom_id, role, ended_at FROM cases_pomallocation WHERE id = %s", [allocation.pk]
        ).fetchone()
        assert allocated == (prisoner.prison_number, allocation.pom_id, allocation.role, None)
        handover_row = copy.execute(
            "SELECT handover_date, responsibility FROM handover_calculatedhandover WHERE prisoner_id = %s",
            [prisoner.prison_number],
        ).fetchone()
        assert handover_row == (handover.handover_date, handover.responsibility)
        migrations = copy.execute("SELECT count(*) FROM django_migrations").fetchone()[0]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_migrations")
        assert migrations == cursor.fetchone()[0]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_restore_that_fails_half_way_leaves_nothing_behind(tmp_path, scratch_database):
    ready_case(prison=PrisonFactory(code="BKP"))
    dump = tmp_path / "omic.dump"
    source = _url(connection.settings_dict, connection.settings_dict["NAME"])
    subprocess.run([str(SCRIPTS[0]), source, str(dump)], capture_output=True, timeout=120, check=True)
    target = _url(connection.settings_dict, scratch_database)
    with psycopg.connect(target, autocommit=True) as copy:
        copy.execute("CREATE TABLE cases_prisoner (clash integer)")  # the restore fails when it gets there

    restored = subprocess.run([str(SCRIPTS[1]), str(dump), target], capture_output=True, text=True, timeout=300)
    assert restored.returncode != 0
    assert "cases_prisoner" in restored.stderr
    with psycopg.connect(target) as copy:
        tables = copy.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
    assert tables == [("cases_prisoner",)]  # only the clash: everything the restore made before it was undone
