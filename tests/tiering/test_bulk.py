"""tier_recalculate_all: bulk reads and writes, only changed rows, the same as one at a time, idempotent."""

import pytest
from django.core.management import call_command
from django.db import connection

from cases.models import AuditEvent, CaseInformation
from tests.factories import CaseInformationFactory, PrisonerFactory, PrisonFactory
from tests.factories.tiering import TierInputsFactory, TierRecordFactory
from tiering.models import TierInputs, TierRecord
from tiering.services import tier_inputs_update, tier_recalculate_all

pytestmark = pytest.mark.django_db


def _estate(prison, n):
    cases = []
    for i in range(n):
        prisoner = PrisonerFactory(prison=prison)
        if i % 2:
            CaseInformationFactory(prisoner=prisoner, tier="D")
        cases.append(TierInputsFactory(prisoner=prisoner, inputs={"rsr": 3 + i, "ogrs": 10 * (i % 10)}))
    return cases


def test_first_run_records_every_case_second_run_changes_nothing(prison, today):
    cases = _estate(prison, 7)
    counts = tier_recalculate_all(today=today, chunk_size=3)
    assert counts == {"checked": 7, "changed": 7, "unchanged": 0, "kept_by_hand": 0, "failed": 0}
    assert TierRecord.objects.filter(current=True).count() == 7
    for inputs in cases:
        record = TierRecord.objects.get(prisoner=inputs.prisoner, current=True)
        case = CaseInformation.objects.get(prisoner=inputs.prisoner)
        assert (case.tier, case.tier_source, case.tier_date) == (record.tier, "calculated", today)
    events = AuditEvent.objects.count()
    assert events == 7 + 7  # a record and a case information change (or creation) each
    again = tier_recalculate_all(today=today, chunk_size=3)
    assert again["changed"] == 0
    assert again["unchanged"] == 7
    assert AuditEvent.objects.count() == events


def test_it_agrees_with_one_at_a_time(prison, today):
    cases = _estate(prison, 6)
    tier_recalculate_all(today=today)
    bulk = dict(TierRecord.objects.filter(current=True).values_list("prisoner_id", "score"))
    TierRecord.objects.all().delete()
    for inputs in cases:
        tier_inputs_update(inputs.prisoner, {**inputs.inputs, "iom_nominal": False}, "probation", today=today)
    single = dict(TierRecord.objects.filter(current=True).values_list("prisoner_id", "score"))
    assert bulk == single


def test_only_changed_cases_are_written_and_history_is_kept(prison, today):
    cases = _estate(prison, 4)
    tier_recalculate_all(today=today)
    changed = cases[0]
    changed.inputs = {"mappa_level": "M3"}
    changed.save()
    counts = tier_recalculate_all(today=today)
    assert (counts["changed"], counts["unchanged"]) == (1, 3)
    scores = list(TierRecord.objects.filter(prisoner=changed.prisoner).order_by("id").values_list("score", "current"))
    assert scores[-1] == ("A1", True)
    assert len(scores) == 2
    assert scores[0][1] is False


def test_hand_entries_newer_than_the_inputs_stand_and_bad_inputs_are_counted(prison, today):
    kept = TierInputsFactory(prisoner=PrisonerFactory(prison=prison))
    TierRecordFactory(prisoner=kept.prisoner)
    TierInputsFactory(prisoner=PrisonerFactory(prison=prison), inputs={"rosh": 3})
    counts = tier_recalculate_all(today=today)
    assert (counts["kept_by_hand"], counts["failed"], counts["changed"]) == (1, 1, 0)


def test_one_prison_only(prison, other_prison, today):
    _estate(prison, 2)
    _estate(other_prison, 3)
    assert tier_recalculate_all(other_prison, today=today)["checked"] == 3
    assert not TierRecord.objects.filter(prisoner__prison=prison).exists()


def _copies(n: int) -> int:
    """The bulk INSERTs that are COPY on PostgreSQL, which Django's query log does not see (psycopg's copy())."""
    return 0 if connection.vendor == "postgresql" else n


def test_queries_per_chunk_do_not_grow_with_the_chunk(prison, today, django_assert_num_queries):
    _estate(prison, 10)
    # Per chunk: inputs, current records, [savepoint], insert records (COPY on PostgreSQL), their ids, their audit
    # events; then cases.services.case_tiers_set: case information read, one UPDATE per distinct tier among the
    # cases that have case information (here B and C: at most 7, A–G), insert the missing case information, insert
    # its audit events; [release]; then the empty page that ends the loop.
    with django_assert_num_queries(10 + _copies(3)):
        tier_recalculate_all(today=today, chunk_size=100)
    for inputs in _estate(PrisonFactory(), 40):
        inputs.inputs = {"rsr": 50}
        inputs.save()
    with django_assert_num_queries(2 + 1):  # 10 unchanged cases: two reads, then the empty page
        tier_recalculate_all(prison, today=today, chunk_size=100)


def test_a_bigger_chunk_costs_the_same_queries(other_prison, today, django_assert_num_queries):
    # 60 cases, every one with case information already at tier D: all become B (rsr 50), so one UPDATE.
    for _ in range(60):
        prisoner = PrisonerFactory(prison=other_prison)
        CaseInformationFactory(prisoner=prisoner, tier="D")
        TierInputsFactory(prisoner=prisoner, inputs={"rsr": 50})
    # inputs, records, [savepoint], insert records, ids, audits, case information read, 1 UPDATE, audits, [release],
    # empty page: as many for 60 cases in one chunk as for 10 above (less the UPDATE and INSERT it did not need).
    with django_assert_num_queries(8 + _copies(3)):
        counts = tier_recalculate_all(other_prison, today=today, chunk_size=100)
    assert counts["changed"] == 60
    assert set(CaseInformation.objects.filter(prisoner__prison=other_prison).values_list("tier", flat=True)) == {"B"}
    for inputs in TierInputs.objects.filter(prisoner__prison=other_prison)[:6]:
        inputs.inputs = {"rsr": 50, "mappa_level": "M3"}  # now A: a second record retires the first
        inputs.save()
    # inputs, records, [savepoint], retire, insert, ids, audits, case information read, 1 UPDATE, audits, [release],
    # empty page.
    with django_assert_num_queries(9 + _copies(3)):
        counts = tier_recalculate_all(other_prison, today=today, chunk_size=100)
    assert (counts["changed"], counts["unchanged"]) == (6, 54)
    assert CaseInformation.objects.filter(prisoner__prison=other_prison, tier="A").count() == 6
    assert TierRecord.objects.filter(prisoner__prison=other_prison).count() == 66
    assert AuditEvent.objects.filter(action="tier_calculated").count() == 66
    assert AuditEvent.objects.filter(object_type="cases.CaseInformation", action="updated").count() == 66


def test_audit_events_name_the_records_and_the_case_information(prison, today):
    (first,) = _estate(prison, 1)
    tier_recalculate_all(today=today, actor_label="nightly")
    record = TierRecord.objects.get(prisoner=first.prisoner)
    event = AuditEvent.objects.get(action="tier_calculated")
    assert (event.object_id, event.prison_number, event.actor_label) == (str(record.pk), first.prisoner_id, "nightly")
    assert event.before is None
    assert event.after == {"tier": "C", "score": "C1", "model": "v2", "provisional": False, "source": "calculated"}
    created = AuditEvent.objects.get(object_type="cases.CaseInformation")
    case = CaseInformation.objects.get(prisoner=first.prisoner)
    assert (created.action, created.object_id) == ("created", str(case.pk))
    assert created.after == {"tier": "C", "tier_source": "calculated", "tier_date": today.isoformat()}


def test_the_command_recalculates_and_reports(prison, today, capsys):
    _estate(prison, 3)
    call_command("tier_recalculate", "--prison", "lei", "--no-progress")
    assert "3 checked, 3 changed, 0 unchanged" in capsys.readouterr().out
