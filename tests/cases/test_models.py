"""The database enforces the records' invariants, whatever path a write takes (DECISIONS.md D-18 for identifiers)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction

from cases.models import CaseInformation, Prison, Prisoner, Sentence
from tests.factories import (
    CaseInformationFactory,
    PomProfileFactory,
    PrisonerFactory,
    PrisonFactory,
    SentenceFactory,
)

pytestmark = pytest.mark.django_db


def _refused(update):
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        update()


@pytest.mark.parametrize("number", ["A1234B", "a1234bc", "A12345C", "11234BC", "A1234B1", ""])
def test_bad_prison_numbers_are_refused_by_the_database(prison, number):
    _refused(
        lambda: Prisoner.objects.create(
            prison_number=number, first_name="A", last_name="B", prison=prison, legal_status="sentenced"
        )
    )


@pytest.mark.parametrize("number", ["A1234BC", "Z9999ZZ"])
def test_good_prison_numbers_are_accepted(prison, number):
    Prisoner.objects.create(prison_number=number, first_name="A", last_name="B", prison=prison, legal_status="remand")


@pytest.mark.parametrize("code", ["LE", "lei", "LEI1", "L1I"])
def test_bad_prison_codes_are_refused(code):
    _refused(lambda: Prison.objects.create(code=code, name="x", estate="mens_closed"))


def test_the_validators_name_the_format():
    with pytest.raises(ValidationError) as exc:
        PrisonerFactory.build(prison_number="X1").full_clean(exclude=["prison"])
    assert "A1234BC" in str(exc.value.message_dict["prison_number"])
    with pytest.raises(ValidationError) as exc:
        CaseInformationFactory.build(crn="12345").full_clean(exclude=["prisoner", "local_delivery_unit"])
    assert "X123456" in str(exc.value.message_dict["crn"])


@pytest.mark.parametrize("crn", ["X12345", "x123456", "1234567", "XX23456"])
def test_bad_crns_are_refused(crn):
    ci = CaseInformationFactory()
    _refused(lambda: CaseInformation.objects.filter(pk=ci.pk).update(crn=crn))


def test_crns_are_unique_but_many_cases_may_have_none():
    CaseInformationFactory(crn="")
    CaseInformationFactory(crn="")
    CaseInformationFactory(crn="X000001")
    _refused(lambda: CaseInformationFactory(crn="X000001"))


@pytest.mark.parametrize("level", [4, 9])
def test_mappa_level_is_0_to_3_or_unknown(level):
    ci = CaseInformationFactory(mappa_level=None)
    for ok in (0, 1, 2, 3, None):
        CaseInformation.objects.filter(pk=ci.pk).update(mappa_level=ok)
    _refused(lambda: CaseInformation.objects.filter(pk=ci.pk).update(mappa_level=level))


def test_a_tier_always_has_its_source_and_date():
    ci = CaseInformationFactory()
    _refused(lambda: CaseInformation.objects.filter(pk=ci.pk).update(tier_source=""))
    _refused(lambda: CaseInformation.objects.filter(pk=ci.pk).update(tier_date=None))
    _refused(lambda: CaseInformation.objects.filter(pk=ci.pk).update(tier=""))
    CaseInformation.objects.filter(pk=ci.pk).update(tier="", tier_source="", tier_date=None)


def test_a_recall_type_needs_a_recall():
    sentence = SentenceFactory()
    _refused(lambda: Sentence.objects.filter(pk=sentence.pk).update(recall_type="standard"))
    Sentence.objects.filter(pk=sentence.pk).update(recalled=True, recall_type="fixed_term_28")


def test_tariff_expiry_is_for_indeterminate_sentences():
    sentence = SentenceFactory()
    _refused(lambda: Sentence.objects.filter(pk=sentence.pk).update(tariff_expiry_date=dt.date(2030, 1, 1)))
    Sentence.objects.filter(pk=sentence.pk).update(
        sentence_type="indeterminate", tariff_expiry_date=dt.date(2030, 1, 1)
    )


def test_sentence_expiry_is_not_before_the_start():
    sentence = SentenceFactory(sentence_start_date=dt.date(2025, 1, 1))
    _refused(lambda: Sentence.objects.filter(pk=sentence.pk).update(sentence_expiry_date=dt.date(2024, 12, 31)))


def test_overrides_win_over_calculated_dates():
    sentence = SentenceFactory.build(
        conditional_release_date=dt.date(2027, 1, 1), conditional_release_date_override=dt.date(2027, 2, 1)
    )
    assert sentence.effective("conditional_release_date") == dt.date(2027, 2, 1)
    assert sentence.effective("sentence_expiry_date") == sentence.sentence_expiry_date


@pytest.mark.parametrize("fte", [Decimal("0.0"), Decimal("1.1")])
def test_working_pattern_is_0_1_to_1_0(fte):
    _refused(lambda: PomProfileFactory(working_pattern=fte))


def test_one_pom_profile_per_user_per_prison():
    pom = PomProfileFactory()
    _refused(lambda: PomProfileFactory(user=pom.user, prison=pom.prison))
    PomProfileFactory(user=pom.user, prison=PrisonFactory())


def test_changes_to_a_case_are_kept_in_its_history():
    prisoner = PrisonerFactory(cell_location="A-1-001")
    prisoner.cell_location = "B-2-002"
    prisoner.save()
    assert [h.cell_location for h in prisoner.history.order_by("history_date")] == ["A-1-001", "B-2-002"]
