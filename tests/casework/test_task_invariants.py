"""Invariants of the task engine over generated cases (hypothesis): one task per kind and occurrence, deterministic,
no task for a case with no sentence and no event, and COM-owned tasks only for short sentences."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from casework.calculations.case_facts import CaseFacts
from casework.calculations.service_level import service_level
from casework.calculations.tasks import derive_tasks

days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31))
optional_days = st.none() | days

cases = st.builds(
    CaseFacts,
    prison_number=st.just("A1234BC"),
    legal_status=st.sampled_from(["sentenced", "recall", "remand", "civil"]),
    sex=st.sampled_from(["male", "female"]),
    estate=st.sampled_from(["mens_closed", "mens_open", "womens"]),
    care_experienced=st.booleans(),
    date_of_birth=optional_days,
    sentence_type=st.sampled_from([None, "determinate", "indeterminate"]),
    sentence_start=optional_days,
    imprisonment_status=st.sampled_from(["SENT03", "LIFE", "IPP"]),
    recalled=st.booleans(),
    recall_type=st.sampled_from(["", "standard", "fixed_term_14", "fixed_term_28"]),
    returned_to_custody_on=optional_days,
    earliest_release=optional_days,
    rosh_level=st.sampled_from(["", "low", "medium", "high"]),
    handover_type=st.sampled_from(["", "none", "standard", "enhanced"]),
    com_allocation_due=optional_days,
    com_allocated_on=optional_days,
    youth_transfer_on=optional_days,
)


@settings(max_examples=300, deadline=None)
@given(facts=cases, today=days)
def test_task_engine_invariants(facts, today):
    specs = derive_tasks(facts, today=today)
    assert specs == derive_tasks(facts, today=today)
    assert len({spec.key for spec in specs}) == len(specs)
    assert all(isinstance(spec.due_date, dt.date) for spec in specs)
    assert specs == sorted(specs, key=lambda s: (s.due_date, s.kind, s.occurrence))
    if any(spec.owner == "com" for spec in specs):
        assert service_level(facts).code == "under_10_months"
    if not facts.is_sentenced and not facts.is_recall and facts.youth_transfer_on is None:
        assert specs == []
