"""`manage.py tier_calc` meets shared/spec/TIER-CLI.md: every public example, exit codes, field-named errors, and no
database (run in a subprocess against a database file that does not exist, which must still not exist after)."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

EXAMPLES = json.loads((Path(__file__).parent / "tier_examples.json").read_text())["vectors"]
ROOT = Path(__file__).resolve().parents[2]
# Examples decided against per DECISIONS.md: none; every public example agrees with D-08, D-10 and D-21.
DECIDED_AGAINST: set[str] = set()


def run(requests, tmp_path) -> tuple[int, list]:
    path = tmp_path / "requests.json"
    path.write_text(json.dumps(requests))
    out = StringIO()
    try:
        call_command("tier_calc", str(path), stdout=out)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, json.loads(out.getvalue())


def test_every_public_example_through_the_command(tmp_path):
    vectors = [v for v in EXAMPLES if v["id"] not in DECIDED_AGAINST]
    code, results = run([{k: v[k] for k in ("id", "model", "input")} for v in vectors], tmp_path)
    assert code == 0
    assert [r["id"] for r in results] == [v["id"] for v in vectors]
    for vector, result in zip(vectors, results, strict=True):
        assert result == {"id": vector["id"], **vector["expected"]}, vector["description"]


def test_errors_name_the_field_and_the_rest_are_still_computed(tmp_path):
    requests = [
        {"id": "ok", "model": "v2", "input": {}},
        {"id": "model", "model": "v4", "input": {}},
        {"id": "type", "model": "v2", "input": {"rsr": "7"}},
        {"id": "enum", "model": "v2", "input": {"rosh": "EXTREME"}},
        {"id": "date", "model": "v3", "input": {"latest_release_date": "2025-9-1"}},
        {"id": "pom", "model": "pom_tier_strategy", "input": {"tier": "Z"}},
        {"id": "input", "model": "v3", "input": [1]},
        {"model": "v2"},
    ]
    code, results = run(requests, tmp_path)
    assert code == 1
    assert results[0] == {"id": "ok", "protect": "D", "protect_points": 0, "change": 1, "change_points": 0,
                          "tier_score": "D1"}  # fmt: skip
    fields = [r["error"].split(":")[0] for r in results[1:7]]
    assert fields == ["model", "rsr", "rosh", "latest_release_date", "tier", "input"]
    assert all(set(r) == {"id", "error"} for r in results[1:7])
    assert results[7] == {"id": None, "protect": "D", "protect_points": 0, "change": 1, "change_points": 0,
                          "tier_score": "D1"}  # fmt: skip


@pytest.mark.parametrize("text", ["{}", "[1, 2]", "not json", '[{"id": "a"}, "b"]', '"x"'])
def test_not_an_array_of_objects_is_exit_2(tmp_path, text):
    path = tmp_path / "bad.json"
    path.write_text(text)
    out = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("tier_calc", str(path), stdout=out)
    assert error.value.returncode == 2
    assert out.getvalue() == ""


def test_a_missing_file_is_exit_2(tmp_path):
    with pytest.raises(CommandError) as error:
        call_command("tier_calc", str(tmp_path / "none.json"), stdout=StringIO())
    assert error.value.returncode == 2


def test_an_empty_array_gives_an_empty_array(tmp_path):
    assert run([], tmp_path) == (0, [])


def _subprocess(args, stdin: str, tmp_path):
    db = tmp_path / "never-created.db"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "DJANGO_SETTINGS_MODULE": "omic.settings"}
    done = subprocess.run(
        [sys.executable, "manage.py", "tier_calc", *args], input=stdin, capture_output=True, text=True, cwd=ROOT,
        env=env, timeout=60, check=False,
    )  # fmt: skip
    return done, db


def test_stdin_in_a_fresh_process_with_no_database(tmp_path):
    requests = [{k: v[k] for k in ("id", "model", "input")} for v in EXAMPLES]
    done, db = _subprocess(["-"], json.dumps(requests), tmp_path)
    assert done.returncode == 0, done.stderr
    assert [r["id"] for r in json.loads(done.stdout)] == [v["id"] for v in EXAMPLES]
    assert not db.exists(), "tier_calc opened the database"


def test_exit_codes_in_a_fresh_process(tmp_path):
    done, _ = _subprocess([], '[{"id": "x", "model": "nope"}]', tmp_path)
    assert done.returncode == 1
    assert json.loads(done.stdout)[0]["error"].startswith("model:")
    done, _ = _subprocess([], '{"id": "x"}', tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
