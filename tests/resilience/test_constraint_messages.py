"""A database constraint violation on a form post is a GOV.UK error message naming the field, never a 500, and
nothing is half-saved. Real violations on both databases: the constraint table resolves what each database says."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models.signals import pre_save
from django.urls import reverse

from cases.models import AuditEvent, CaseInformation, LocalDeliveryUnit
from omic.integrity import GENERIC, constraint_key, integrity_message
from tests.factories import (
    CaseInformationFactory,
    LocalDeliveryUnitFactory,
    PrisonerFactory,
    SentenceFactory,
)

pytestmark = pytest.mark.django_db


def _violation(make) -> IntegrityError:
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        make()
    return caught.value


def test_a_duplicate_crn_names_the_crn(prison):
    CaseInformationFactory(prisoner=PrisonerFactory(prison=prison), crn="X123456")
    other = PrisonerFactory(prison=prison)
    error = _violation(
        lambda: CaseInformationFactory.build(
            prisoner=other, crn="X123456", local_delivery_unit=None, probation_region=""
        ).save()
    )
    assert constraint_key(error) == "case_information_crn_unique"
    assert integrity_message(error).startswith("CRN: another case already has this CRN")


def test_a_second_case_information_row_for_one_person(prison):
    prisoner = PrisonerFactory(prison=prison)
    CaseInformationFactory(prisoner=prisoner)
    error = _violation(
        lambda: CaseInformationFactory.build(prisoner=prisoner, local_delivery_unit=None, probation_region="").save()
    )
    assert constraint_key(error) == "cases.CaseInformation.prisoner"
    assert integrity_message(error).startswith("Case details: someone else added")


def test_a_unique_field_names_its_field():
    LocalDeliveryUnitFactory(code="WPT123")
    error = _violation(lambda: LocalDeliveryUnit.objects.create(code="WPT123", name="Again"))
    assert constraint_key(error) == "cases.LocalDeliveryUnit.code"
    assert integrity_message(error).startswith("LDU code:")


def test_a_check_constraint_is_named_and_falls_back_to_the_general_message(prison):
    prisoner = PrisonerFactory(prison=prison)
    error = _violation(
        lambda: CaseInformationFactory.build(
            prisoner=prisoner, mappa_level=9, local_delivery_unit=None, probation_region=""
        ).save()
    )
    assert constraint_key(error) == "case_information_mappa_0_to_3"
    assert integrity_message(error) == GENERIC


@pytest.fixture
def someone_else_first():
    """Just before the form's service creates a case's case information, someone else creates it (a real race)."""

    def insert_first(sender, instance, raw=False, **kwargs):
        if instance._state.adding and not CaseInformation.objects.filter(prisoner_id=instance.prisoner_id).exists():
            CaseInformation.objects.bulk_create(
                [
                    CaseInformationFactory.build(
                        prisoner_id=instance.prisoner_id, local_delivery_unit=None, probation_region=""
                    )
                ]
            )

    pre_save.connect(insert_first, sender=CaseInformation, dispatch_uid="someone-else-first")
    yield
    pre_save.disconnect(sender=CaseInformation, dispatch_uid="someone-else-first")


def test_a_race_on_a_real_form_is_a_clear_message_and_nothing_half_saved(client, homd_user, prison, someone_else_first):
    prisoner = PrisonerFactory(prison=prison)
    SentenceFactory(prisoner=prisoner)
    client.force_login(homd_user)
    url = reverse(
        "allocation_missing_details_form",
        kwargs={"prison_code": prisoner.prison_id, "prison_number": prisoner.prison_number},
    )
    audits = AuditEvent.objects.count()
    data = {"tier": "B", "tier_reason": "Not in nDelius yet", "rosh_level": "high", "mappa_level": "2"}
    response = client.post(url, {**data, "enhanced_resourcing": "yes"}, HTTP_REFERER=f"http://testserver{url}")
    assert response.status_code == 303
    assert response["Location"] == f"http://testserver{url}"
    assert AuditEvent.objects.count() == audits  # the whole request was rolled back
    assert not CaseInformation.objects.filter(prisoner=prisoner).exists()  # the race's row went with it
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="govuk-error-summary"' in html
    assert "Case details: someone else added this case&#x27;s details meanwhile" in html


def test_a_foreign_referer_is_not_followed(client, homd_user, prison, someone_else_first):
    prisoner = PrisonerFactory(prison=prison)
    SentenceFactory(prisoner=prisoner)
    client.force_login(homd_user)
    url = reverse(
        "allocation_missing_details_form",
        kwargs={"prison_code": prisoner.prison_id, "prison_number": prisoner.prison_number},
    )
    data = {
        "tier": "B",
        "tier_reason": "By hand",
        "rosh_level": "high",
        "mappa_level": "2",
        "enhanced_resourcing": "no",
    }
    response = client.post(url, data, HTTP_REFERER="https://evil.example/")
    assert response.status_code == 303
    assert response["Location"] == url
