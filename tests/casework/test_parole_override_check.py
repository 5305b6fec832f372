"""D-06 checked end to end through the pages: a HOMD overrides responsibility to the COM with a reason and removes
it with a reason; the LDU mailbox and the POM are emailed both times (logged on the case); a POM cannot do either."""

import pytest
from django.core import mail
from django.urls import reverse

from cases.models import SentEmail
from handover.models import ResponsibilityOverride
from tests.casework.parole_setup import isp_case, pom_for

pytestmark = pytest.mark.django_db


def test_a_homd_overrides_and_removes_with_reasons_and_the_ldu_and_pom_are_emailed_both_times(
    client, prison, homd_user, django_capture_on_commit_callbacks
):
    pom = pom_for(prison, email="pom.case@justice.example.gov.uk")
    prisoner, _ = isp_case(prison=prison, pom=pom, store=False)
    ldu_email = prisoner.case_information.local_delivery_unit.email
    kwargs = {"prison_code": prison.code, "prison_number": prisoner.pk}
    client.force_login(homd_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("handover_override_create", kwargs=kwargs), {"reason": "other", "reason_text": "Agreed with LDU"}
        )
    assert response.status_code == 302
    override = ResponsibilityOverride.objects.get(prisoner=prisoner, removed_at__isnull=True)
    assert (override.reason, override.reason_text, override.created_by) == ("other", "Agreed with LDU", homd_user)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([ldu_email, "pom.case@justice.example.gov.uk"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("handover_override_remove", kwargs=kwargs), {"removal_reason": "  "})
    assert response.status_code == 200  # a removal needs a reason
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("handover_override_remove", kwargs=kwargs), {"removal_reason": "Back to POM"})
    assert response.status_code == 302
    override.refresh_from_db()
    assert (override.removal_reason, override.removed_by) == ("Back to POM", homd_user)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([ldu_email, "pom.case@justice.example.gov.uk"])
    kinds = sorted(SentEmail.objects.filter(prisoner=prisoner).values_list("kind", flat=True))
    assert kinds == ["responsibility_override"] * 2 + ["responsibility_override_removed"] * 2


def test_a_pom_can_neither_override_nor_remove(client, prison):
    pom = pom_for(prison)
    prisoner, _ = isp_case(prison=prison, pom=pom, store=False)
    kwargs = {"prison_code": prison.code, "prison_number": prisoner.pk}
    client.force_login(pom.user)
    assert client.post(reverse("handover_override_create", kwargs=kwargs), {"reason": "recalled"}).status_code == 403
    ResponsibilityOverride.objects.create(prisoner=prisoner, reason="recalled", created_at="2026-11-01T09:00Z")
    assert client.post(reverse("handover_override_remove", kwargs=kwargs), {"removal_reason": "x"}).status_code == 403
    assert ResponsibilityOverride.objects.get(prisoner=prisoner).removed_at is None
