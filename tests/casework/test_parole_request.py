"""Recording an outcome changes the stored handover within the request itself: a real commit (transactional test),
with the queued on-change job switched off, so only the parole service's after-commit recalculation can do it.
Runs on SQLite and on PostgreSQL with Redis as the broker (where nothing would run the queued job anyway)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from handover.models import CalculatedHandover
from tests.casework.parole_setup import isp_case

pytestmark = pytest.mark.django_db(transaction=True)


def test_recording_a_not_release_outcome_changes_the_stored_handover_before_the_response_returns(
    client, prison, homd_user, monkeypatch
):
    monkeypatch.setattr("handover.signals.recalculation_queue", lambda *args, **kwargs: None)
    today = timezone.localdate()
    prisoner, past = isp_case(prison=prison, today=today)
    assert CalculatedHandover.objects.get(prisoner=prisoner).responsibility == "CustodyOnly"
    client.force_login(homd_user)
    url = reverse(
        "parole_review_outcome", kwargs={"prison_code": prison.code, "prison_number": prisoner.pk, "review_pk": past.pk}
    )
    response = client.post(url, {"hearing_outcome": "No release", "hearing_outcome_received_on": today.isoformat()})
    assert response.status_code == 302
    stored = CalculatedHandover.objects.get(prisoner=prisoner)
    assert (stored.reason, stored.responsibility) == ("thd_over_12_months", "CustodyWithCom")
    assert prisoner.handover_history.latest("id").trigger == "parole review"
