"""History on the key models: every save through the app keeps the row's earlier versions, with who made them."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseInformation, EarlyAllocation, ParoleReview, PomAllocation, Prisoner, Sentence
from casework.models import CaseTask
from handover.models import CalculatedHandover, CalculatedHandoverHistory, ResponsibilityOverride

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model",
    [
        Prisoner,
        Sentence,
        CaseInformation,
        PomAllocation,
        EarlyAllocation,
        ParoleReview,
        CaseTask,
        ResponsibilityOverride,
    ],  # fmt: skip
)
def test_the_key_models_keep_their_history(model):
    assert hasattr(model, "history"), f"{model.__name__} has no simple_history HistoricalRecords"


def test_calculated_handovers_and_tier_records_keep_their_own_history():
    """CalculatedHandover writes CalculatedHandoverHistory (bulk, with the sweep); a tier is never changed in place:
    each new tier is a new TierRecord and the old one stops being current, so the table is its own history."""
    from tiering.models import TierRecord

    assert CalculatedHandoverHistory._meta.get_field("prisoner").related_model is Prisoner
    assert CalculatedHandover._meta.get_field("prisoner")
    assert {"current", "recorded_at"} <= {f.name for f in TierRecord._meta.get_fields()}


def test_a_parole_review_saved_through_a_page_has_history_naming_the_user(client, prison):
    from tests.casework.parole_setup import isp_case, pom_for

    pom = pom_for(prison)
    prisoner, _ = isp_case(prison=prison, today=timezone.localdate(), pom=pom, store=False)
    client.force_login(pom.user)
    url = reverse("parole_case", kwargs={"prison_code": prison.code, "prison_number": prisoner.pk})
    assert client.post(url, {"target_hearing_date": "2028-01-10", "review_type": "Oral hearing"}).status_code == 302
    review = ParoleReview.objects.get(prisoner=prisoner, target_hearing_date=dt.date(2028, 1, 10))
    (created,) = review.history.all()
    assert (created.history_type, created.history_user, created.review_type) == ("+", pom.user, "Oral hearing")
