"""`manage.py handover_calc` per HANDOVER-CLI.md: every whole-case vector, errors, exit codes, no database."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.handover.vectors import by_scope, policy_of

ROOT = Path(__file__).resolve().parents[2]
RESULT_KEYS = [
    "id",
    "inside_omic_policy",
    "earliest_release",
    "handover_start_date",
    "handover_date",
    "responsibility",
    "pom_role",
    "com_role",
    "reason",
    "policy",
]
WHOLE_CASES = by_scope("full", "earliest_release", "omic_gate")


def run(cases, *, raw=None):
    """Run the command in-process on stdin; (results, exit status)."""
    text = raw if raw is not None else json.dumps(cases)
    out = io.StringIO()
    status = 0
    try:
        call_command("handover_calc", "-", stdin=io.StringIO(text), stdout=out)
    except CommandError as exc:
        status = exc.returncode
    printed = out.getvalue()
    return (json.loads(printed) if printed.strip() else None), status


def case_for(vector, *, name_policy=True):
    data = dict(vector["inputs"], id=vector["id"])
    data.setdefault("as_of", "2024-05-20")  # omic_gate vectors carry no day; the gate does not depend on it
    if name_policy:
        data["policy"] = policy_of(vector)  # the vector names its rule version
    return data


def expected_of(vector):
    expected = vector["expected"]
    if vector["scope"] == "earliest_release":
        return {"earliest_release": expected["earliest_release"]}
    if vector["scope"] == "omic_gate":
        return {"inside_omic_policy": expected["inside_omic_policy"]}
    return expected


@pytest.fixture(scope="module")
def results():
    out, status = run([case_for(v) for v in WHOLE_CASES])
    assert status == 0
    return dict(zip([v["id"] for v in WHOLE_CASES], out, strict=True))


@pytest.mark.parametrize("vector", WHOLE_CASES, ids=lambda v: v["id"])
def test_every_whole_case_vector(vector, results):
    got = results[vector["id"]]
    assert list(got) == RESULT_KEYS
    assert {key: got[key] for key in expected_of(vector)} == expected_of(vector)
    # Outside OMiC every field but `reason` is null, the policy included (HANDOVER-CLI.md, "A result").
    assert got["policy"] == (policy_of(vector) if got["inside_omic_policy"] else None)


def test_outside_omic_every_field_is_null_but_reason():
    out, _ = run([{"id": "x", "as_of": "2024-05-20", "age": 17, "sentence_start_date": "2024-01-01"}])
    assert out == [
        {
            "id": "x",
            "inside_omic_policy": False,
            "earliest_release": None,
            "handover_start_date": None,
            "handover_date": None,
            "responsibility": None,
            "pom_role": None,
            "com_role": None,
            "reason": "outside_omic_policy",
            "policy": None,
        }
    ]


@pytest.mark.parametrize(
    ("as_of", "policy"),
    [
        ("2019-10-01", "2019"),
        ("2022-10-18", "2019"),
        ("2022-10-19", "2022-10"),
        ("2023-05-22", "2022-10"),
        ("2023-05-23", "2023-05"),
        ("2023-11-22", "2023-05"),
        ("2023-11-23", "2023-11"),
        ("2025-05-14", "2023-11"),
        ("2025-05-15", "current"),
        ("2031-01-01", "current"),
    ],
)
def test_without_a_policy_the_one_in_force_on_as_of_applies(as_of, policy):
    """D-01: no `policy` -> the version in force on the calculation day (the boundary days included)."""
    out, _ = run([{"as_of": as_of, "sentence_start_date": "2019-01-01", "sentence_type": "indeterminate"}])
    assert out[0]["policy"] == policy


def test_a_current_vector_dated_2024_without_its_policy_gets_the_2023_11_rules():
    """D-01 over the examples: E11 is a `current` vector dated 2024-05-20, when 2023-11 was in force. Unnamed, the
    2023-11 rules apply, and they have no indeterminate recall rule: the recall makes the COM responsible."""
    (vector,) = [v for v in WHOLE_CASES if v["id"] == "E11"]
    out, _ = run([case_for(vector, name_policy=False)])
    assert (out[0]["policy"], out[0]["reason"], out[0]["responsibility"]) == ("2023-11", "recall_case", "Community")


def test_parole_review_date_is_the_thd_when_thd_is_absent():
    case = {
        "as_of": "2025-06-01",
        "sentence_type": "indeterminate",
        "sentence_start_date": "2015-01-01",
        "parole_review_date": "2026-03-01",
    }
    out, _ = run([case, dict(case, target_hearing_date="2026-04-01")])
    assert out[0]["earliest_release"] == {"type": "THD", "date": "2026-03-01"}
    assert out[1]["earliest_release"] == {"type": "THD", "date": "2026-04-01"}


def test_unknown_fields_are_ignored_and_null_means_absent():
    base = {"as_of": "2025-06-01", "sentence_start_date": "2024-01-01", "conditional_release_date": "2026-01-01"}
    out, status = run([base, dict(base, colour="blue", mappa_level=None, recalled=None, id=None)])
    assert status == 0
    assert out[0] == out[1]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("as_of", "2025-02-30"),
        ("as_of", "20250201"),
        ("as_of", 20250201),
        ("sentence_start_date", "1/2/2024"),
        ("conditional_release_date", "2025-06-01T00:00:00"),
        ("recalled", "true"),
        ("recalled", 1),
        ("early_allocation", "false"),
        ("age", True),
        ("age", "30"),
        ("age", 30.5),
        ("mappa_level", 4),
        ("mappa_level", True),
        ("mappa_level", "2"),
        ("sentence_type", "life"),
        ("latest_parole_outcome", "released"),
        ("prison_estate", "womens_open"),
        ("probation_provider", "nps"),
        ("prison_operator", "contracted"),
        ("imprisonment_status", 5),
        ("policy", "2024-05"),
        ("policy", 2019),
        ("parole_review_date", "soon"),
        ("id", 7),
    ],
)
def test_a_bad_field_is_an_error_naming_it_and_the_other_cases_still_print(field, value):
    good = {
        "id": "good",
        "as_of": "2025-06-01",
        "sentence_start_date": "2024-01-01",
        "automatic_release_date": "2026-01-01",
    }
    bad = {**good, "id": "bad", field: value}
    out, status = run([good, bad, good])
    assert status == 1
    assert out[0] == out[2]
    assert out[0]["reason"] == "determinate"
    assert out[1]["error"].startswith(f"{field}:")
    assert out[1]["id"] == bad["id"]
    assert set(out[1]) == {"id", "error"}


def test_as_of_is_required():
    out, status = run([{"id": "n", "sentence_start_date": "2024-01-01"}])
    assert status == 1
    assert out == [{"id": "n", "error": "as_of: required"}]


def test_every_bad_field_is_named():
    out, _ = run([{"as_of": "x", "recalled": "yes", "age": -1}])
    assert [part.split(":")[0] for part in out[0]["error"].split("; ")] == ["as_of", "recalled", "age"]


@pytest.mark.parametrize(
    "raw", ["{}", '{"as_of": "2025-01-01"}', "[1, 2]", '[{"as_of": "2025-01-01"}, []]', "not json", ""]
)
def test_input_that_is_not_a_json_array_of_objects_exits_2_and_prints_nothing(raw):
    out, status = run(None, raw=raw)
    assert (out, status) == (None, 2)


def test_an_empty_array_prints_an_empty_array():
    assert run([]) == ([], 0)


def _subprocess(args, stdin_text):
    env = dict(os.environ, DATABASE_URL="sqlite:////tmp/handover-calc-no-such.db")
    env.pop("CELERY_BROKER_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", "handover_calc", *args],
        input=stdin_text,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def test_the_real_command_reads_a_file_or_stdin_prints_only_json_and_needs_no_database(tmp_path):
    """A separate process against a database file that does not exist: nothing is created, nothing else printed."""
    db = Path("/tmp/handover-calc-no-such.db")
    db.unlink(missing_ok=True)
    cases = [case_for(v) for v in WHOLE_CASES] + [{"id": "broken", "as_of": "2025-01-01", "age": "old"}]
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(cases))

    from_file = _subprocess([str(path)], "")
    from_stdin = _subprocess([], json.dumps(cases))
    from_dash = _subprocess(["-"], json.dumps(cases))

    assert from_file.returncode == from_stdin.returncode == from_dash.returncode == 1
    assert from_file.stdout == from_stdin.stdout == from_dash.stdout
    printed = json.loads(from_file.stdout)  # the whole of stdout is one JSON array
    assert [r["id"] for r in printed] == [c["id"] for c in cases]
    assert printed[-1]["error"].startswith("age:")
    assert not db.exists()


def test_the_real_command_exit_codes():
    assert _subprocess([], "[]").returncode == 0
    assert _subprocess([], "{").returncode == 2
    missing = _subprocess(["/nonexistent/cases.json"], "")
    assert (missing.returncode, missing.stdout) == (2, "")
