"""Facts from the records: every reading the engine relies on, and one query however many prisoners."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta

from cases.models import Prisoner
from handover.facts import fact_rows, facts_for, facts_from_row, has_case_information
from tests.factories import (
    CaseInformationFactory,
    LocalDeliveryUnitFactory,
    PrisonerFactory,
    PrisonFactory,
    SentenceFactory,
)
from tests.factories.handover import handover_case

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 24)


def test_sentence_dates_use_the_sentence_calculations_overrides():
    prisoner = handover_case(release_in=relativedelta(years=1))
    sentence = prisoner.sentence
    sentence.conditional_release_date_override = dt.date(2027, 6, 1)
    sentence.automatic_release_date = dt.date(2027, 9, 1)
    sentence.parole_eligibility_date = dt.date(2027, 3, 1)
    sentence.parole_eligibility_date_override = dt.date(2027, 4, 1)
    sentence.home_detention_curfew_eligibility_date_override = dt.date(2027, 2, 2)
    sentence.save()
    facts = facts_for(prisoner.pk, TODAY)
    assert facts.conditional_release_date == dt.date(2027, 6, 1)
    assert facts.automatic_release_date == dt.date(2027, 9, 1)
    assert facts.parole_eligibility_date == dt.date(2027, 4, 1)
    assert facts.hdc_eligibility_date == dt.date(2027, 2, 2)
    assert facts.sentence_type == "determinate"


def test_recall_immigration_and_status_readings():
    recall = PrisonerFactory(legal_status=Prisoner.LegalStatus.RECALL, imprisonment_status="LR_ORA")
    SentenceFactory(prisoner=recall)
    detained = PrisonerFactory(legal_status=Prisoner.LegalStatus.SENTENCED, imprisonment_status="DET")
    detainee = PrisonerFactory(legal_status=Prisoner.LegalStatus.IMMIGRATION_DETAINEE, imprisonment_status="")
    plain = handover_case(release_in=relativedelta(years=1))
    assert facts_for(recall.pk, TODAY).recalled is True
    assert facts_for(plain.pk, TODAY).recalled is False
    assert facts_for(detained.pk, TODAY).immigration_case is True
    assert facts_for(detainee.pk, TODAY).immigration_case is True
    assert facts_for(detainee.pk, TODAY).imprisonment_status is None  # blank means not known
    assert facts_for(detainee.pk, TODAY).sentence_type is None  # no sentence at all
    assert facts_for(plain.pk, TODAY).immigration_case is False
    assert facts_for("Z9999ZZ", TODAY) is None


def test_a_sentence_recall_flag_counts_too():
    prisoner = handover_case(release_in=relativedelta(years=1), recalled=True)
    assert facts_for(prisoner.pk, TODAY).recalled is True


@pytest.mark.parametrize(
    ("born", "age"),
    [(dt.date(2008, 11, 24), 18), (dt.date(2008, 11, 25), 17), (dt.date(2004, 2, 29), 22), (None, None)],
)
def test_age_in_whole_years_on_the_day(born, age):
    prisoner = handover_case(release_in=relativedelta(years=1))
    Prisoner.objects.filter(pk=prisoner.pk).update(date_of_birth=born)
    assert facts_for(prisoner.pk, TODAY).age == age


def test_arrival_is_never_before_the_sentence_start():
    prisoner = handover_case(release_in=relativedelta(years=1), sentence_start_date=dt.date(2026, 1, 10))
    Prisoner.objects.filter(pk=prisoner.pk).update(prison_arrival_date=dt.date(2025, 6, 1))
    assert facts_for(prisoner.pk, TODAY).prison_arrival_date == dt.date(2026, 1, 10)
    Prisoner.objects.filter(pk=prisoner.pk).update(prison_arrival_date=dt.date(2026, 5, 1))
    assert facts_for(prisoner.pk, TODAY).prison_arrival_date == dt.date(2026, 5, 1)
    Prisoner.objects.filter(pk=prisoner.pk).update(prison_arrival_date=None)
    assert facts_for(prisoner.pk, TODAY).prison_arrival_date is None  # D-19: the engine takes the SSD


def test_prison_delivery_unit_and_probation_readings():
    open_prison = PrisonFactory(code="HDI", estate="mens_open", operator="private")
    wales = LocalDeliveryUnitFactory(code="N03CARDIFF", country="wales")
    prisoner = handover_case(prison=open_prison, release_in=relativedelta(years=2), ldu=wales)
    case = prisoner.case_information
    case.mappa_level, case.enhanced_resourcing = 2, None
    case.save()
    Prisoner.objects.filter(pk=prisoner.pk).update(security_category="D", category_approved_date=dt.date(2026, 2, 3))
    facts = facts_for(prisoner.pk, TODAY)
    assert (facts.prison_code, facts.prison_estate, facts.prison_operator) == ("HDI", "mens_open", "private")
    assert (facts.category_code, facts.category_active_since) == ("D", dt.date(2026, 2, 3))
    assert facts.welsh_offender is True
    assert (facts.mappa_level, facts.enhanced_resourcing) == (2, None)
    # Not modelled yet (issue #6): the hook says not known / no early allocation.
    assert (facts.target_hearing_date, facts.latest_parole_outcome, facts.early_allocation) == (None, None, False)


def test_youth_estate_and_missing_delivery_unit_are_not_known():
    youth = PrisonFactory(code="WYI", estate="youth")
    prisoner = PrisonerFactory(prison=youth)
    SentenceFactory(prisoner=prisoner)
    CaseInformationFactory(prisoner=prisoner, local_delivery_unit=None, probation_region="")
    facts = facts_for(prisoner.pk, TODAY)
    assert facts.prison_estate is None
    assert facts.welsh_offender is None


def test_case_information_is_required_to_be_calculated():
    without = PrisonerFactory()
    SentenceFactory(prisoner=without)
    with_case = handover_case(release_in=relativedelta(years=1))
    rows = {row["prison_number"]: row for row in fact_rows()}
    assert not has_case_information(rows[without.pk])
    assert has_case_information(rows[with_case.pk])


def test_one_query_for_one_or_many_prisoners(django_assert_num_queries):
    numbers = [handover_case(release_in=relativedelta(months=m + 3)).pk for m in range(6)]
    with django_assert_num_queries(1):
        facts_for(numbers[0], TODAY)
    with django_assert_num_queries(1):
        facts = [facts_from_row(row, TODAY) for row in fact_rows().filter(prison_number__in=numbers)]
    assert len(facts) == 6


@pytest.mark.parametrize(("as_of", "age"), [(dt.date(2026, 2, 28), 17), (dt.date(2026, 3, 1), 18)])
def test_a_29_february_birthday_comes_on_1_march_in_a_common_year(as_of, age):
    prisoner = handover_case(release_in=relativedelta(years=1))
    Prisoner.objects.filter(pk=prisoner.pk).update(date_of_birth=dt.date(2008, 2, 29))
    assert facts_for(prisoner.pk, as_of).age == age
