"""The approaching-parole list and a case's parole page: scoping, roles, the 10-month boundary, sorting, CSV, the
swing explained, recording an outcome, and query counts that do not grow with the rows."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from cases.models import AuditEvent, ParoleReview
from casework.parole_selectors import parole_approaching_list
from handover.models import CalculatedHandover
from tests.casework.parole_setup import isp_case, pom_for
from tests.factories import CaseInformationFactory, PrisonerFactory, SentenceFactory
from tests.factories.allocation import PomAllocationFactory
from tests.factories.casework import ParoleReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_queued_recalculation(monkeypatch):
    monkeypatch.setattr("handover.signals.recalculation_queue", lambda *args, **kwargs: None)


def _case(prison, *, pom=None, ped=None, ted=None, thd=None, **prisoner):
    p = PrisonerFactory(prison=prison, **prisoner)
    kind = "indeterminate" if ted else "determinate"
    SentenceFactory(
        prisoner=p,
        sentence_type=kind,
        sentence_start_date=dt.date(2015, 1, 1),
        parole_eligibility_date=ped,
        tariff_expiry_date=ted,
    )
    CaseInformationFactory(prisoner=p)
    if thd:
        ParoleReviewFactory(prisoner=p, target_hearing_date=thd)
    if pom:
        PomAllocationFactory(prisoner=p, pom=pom)
    return p


def _list_url(prison, **params):
    url = reverse("parole_approaching", kwargs={"prison_code": prison.code})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_the_list_holds_allocated_cases_with_a_date_from_today_to_exactly_10_months(prison):
    today = timezone.localdate()
    pom = pom_for(prison)
    edge = _case(prison, pom=pom, ped=today + relativedelta(months=10), last_name="Edge")
    _case(prison, pom=pom, ped=today + relativedelta(months=10, days=1))  # a day too far
    _case(prison, pom=pom, ped=today - relativedelta(days=1))  # passed
    _case(prison, ped=today + relativedelta(months=1))  # not allocated
    thd = _case(prison, pom=pom, ted=today - relativedelta(years=1), thd=today + relativedelta(months=2))
    ted = _case(prison, pom=pom, ted=today)
    rows = list(parole_approaching_list(prison=prison, today=today))
    assert [(r.pk, r.parole_date_type) for r in rows] == [(ted.pk, "TED"), (thd.pk, "THD"), (edge.pk, "PED")]
    assert rows[2].parole_date == today + relativedelta(months=10)


def test_the_ped_override_and_the_engines_thd_reading_are_used(prison):
    today = timezone.localdate()
    pom = pom_for(prison)
    p = _case(prison, pom=pom, ped=today + relativedelta(years=2))
    p.sentence.parole_eligibility_date_override = today + relativedelta(months=3)
    p.sentence.save()
    q = _case(prison, pom=pom, ted=today - relativedelta(years=2), thd=today + relativedelta(months=4))
    # A later review with only a custody report date hides the THD, as the engine reads it.
    ParoleReview.objects.create(prisoner=q, custody_report_due=today + relativedelta(months=5))
    assert [r.pk for r in parole_approaching_list(prison=prison, today=today)] == [p.pk]


def test_a_homd_sees_the_prison_and_filters_by_pom_and_a_pom_sees_their_own(client, prison, homd_user):
    today = timezone.localdate()
    mine, theirs = pom_for(prison, username="pom"), pom_for(prison, username="other")
    a = _case(prison, pom=mine, ped=today + relativedelta(months=1), last_name="Ashby")
    b = _case(prison, pom=theirs, ped=today + relativedelta(months=2), last_name="Brook")
    client.force_login(homd_user)
    page = client.get(_list_url(prison))
    assert page.status_code == 200
    assert [p.pk for p in page.context["page"].object_list] == [a.pk, b.pk]
    page = client.get(_list_url(prison, pom=theirs.pk))
    assert [p.pk for p in page.context["page"].object_list] == [b.pk]
    client.force_login(mine.user)
    page = client.get(_list_url(prison, pom=theirs.pk))  # the filter is not the POM's to use
    assert [p.pk for p in page.context["page"].object_list] == [a.pk]
    assert "Your cases approaching parole" in page.content.decode()


def test_sorting_and_the_csv(client, prison, homd_user):
    today = timezone.localdate()
    pom = pom_for(prison)
    z = _case(prison, pom=pom, ped=today + relativedelta(months=1), last_name="Zed", first_name="Al")
    a = _case(prison, pom=pom, ped=today + relativedelta(months=2), last_name="Abe", first_name="Bo")
    client.force_login(homd_user)
    assert [p.pk for p in client.get(_list_url(prison, sort="name")).context["page"].object_list] == [a.pk, z.pk]
    response = client.get(_list_url(prison, format="csv"))
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("prison_number,last_name,first_name,parole_date,parole_date_type")
    assert lines[1].startswith(f"{z.pk},Zed,Al,{today + relativedelta(months=1)},PED")
    assert len(lines) == 3


def test_the_list_is_prison_scoped_and_needs_a_pom_or_manager(client, prison, other_prison, staff_user_factory):
    client.force_login(staff_user_factory(roles=["homd"], prisons=[other_prison]))
    assert client.get(_list_url(prison)).status_code == 404
    client.force_login(staff_user_factory(roles=["key_worker"], prisons=[prison]))
    assert client.get(_list_url(prison)).status_code == 403


def test_the_list_takes_the_same_queries_however_many_cases(client, prison, homd_user, django_assert_num_queries):
    today = timezone.localdate()
    pom = pom_for(prison)
    _case(prison, pom=pom, ped=today + relativedelta(months=1))
    client.force_login(homd_user)
    client.get(_list_url(prison))  # warm the session
    with django_assert_num_queries(12):
        client.get(_list_url(prison))
    for n in range(6):
        _case(prison, pom=pom, ped=today + relativedelta(months=2, days=n), thd=today + relativedelta(months=3))
    with django_assert_num_queries(12):
        page = client.get(_list_url(prison))
    assert page.context["page"].paginator.count == 7


def test_a_poms_own_list_takes_the_same_queries_however_many_cases(client, prison, django_assert_num_queries):
    """The POM's own approaching-parole list (and its CSV): pinned, and not growing with the rows."""
    today = timezone.localdate()
    pom = pom_for(prison, username="own-pom")
    other = pom_for(prison, username="other-pom")
    _case(prison, pom=pom, ped=today + relativedelta(months=1))
    _case(prison, pom=other, ped=today + relativedelta(months=1))  # another POM's case: not on this list
    client.force_login(pom.user)
    client.get(_list_url(prison))  # warm the session
    with django_assert_num_queries(12):
        page = client.get(_list_url(prison))
    assert page.context["page"].paginator.count == 1
    with django_assert_num_queries(11):
        b"".join(client.get(_list_url(prison, format="csv")).streaming_content)
    for n in range(6):
        _case(prison, pom=pom, ped=today + relativedelta(months=2, days=n), thd=today + relativedelta(months=3))
    with django_assert_num_queries(12):
        page = client.get(_list_url(prison))
    assert page.context["page"].paginator.count == 7
    assert not page.context["manager"]
    with django_assert_num_queries(11):
        csv = b"".join(client.get(_list_url(prison, format="csv")).streaming_content)
    assert len(csv.decode().strip().splitlines()) == 8


# The case's parole page


def _case_url(prisoner):
    return reverse("parole_case", kwargs={"prison_code": prisoner.prison_id, "prison_number": prisoner.pk})


def test_the_parole_page_shows_the_reviews_and_explains_the_swing(
    client, prison, homd_user, django_capture_on_commit_callbacks
):
    prisoner, past = isp_case(prison=prison, today=timezone.localdate())
    client.force_login(homd_user)
    page = client.get(_case_url(prisoner)).content.decode()
    assert "Parole reviews" in page
    assert "no completed review yet" in page
    assert "No parole review for this sentence is completed yet" in page
    url = reverse(
        "parole_review_outcome",
        kwargs={"prison_code": prison.code, "prison_number": prisoner.pk, "review_pk": past.pk},
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"hearing_outcome": "No release", "hearing_outcome_received_on": timezone.localdate().isoformat()}
        )
    assert response.status_code == 302
    stored = CalculatedHandover.objects.get(prisoner=prisoner)
    assert (stored.reason, stored.responsibility) == ("thd_over_12_months", "CustodyWithCom")
    page = client.get(_case_url(prisoner)).content.decode()
    assert "This rule applies:" in page
    assert "did not release at the last review and the next hearing is 12 months" in page
    assert "POM responsible, COM supporting" in page


def test_an_outcome_errors_name_the_field_and_a_future_date_is_refused(client, prison, homd_user):
    prisoner, past = isp_case(prison=prison, today=timezone.localdate(), store=False)
    client.force_login(homd_user)
    url = reverse(
        "parole_review_outcome",
        kwargs={"prison_code": prison.code, "prison_number": prisoner.pk, "review_pk": past.pk},
    )
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    page = client.post(url, {"hearing_outcome": "No release", "hearing_outcome_received_on": tomorrow})
    assert page.status_code == 200
    assert "cannot be in the future" in page.content.decode()
    assert "hearing_outcome_received_on" in page.context["form"].errors
    page = client.post(url, {})
    assert set(page.context["form"].errors) == {"hearing_outcome", "hearing_outcome_received_on"}
    past.refresh_from_db()
    assert past.hearing_outcome == ""


def test_the_allocated_pom_adds_a_review_and_another_pom_may_only_read(client, prison, staff_user_factory):
    pom = pom_for(prison)
    prisoner, _ = isp_case(prison=prison, today=timezone.localdate(), pom=pom, store=False)
    other = staff_user_factory(roles=["pom"], prisons=[prison], username="otherpom")
    client.force_login(other)
    assert client.get(_case_url(prisoner)).status_code == 200
    assert client.post(_case_url(prisoner), {"target_hearing_date": "2028-01-10"}).status_code == 403
    client.force_login(pom.user)
    response = client.post(_case_url(prisoner), {"target_hearing_date": "2028-01-10", "review_type": "Oral hearing"})
    assert response.status_code == 302
    assert ParoleReview.objects.filter(prisoner=prisoner, target_hearing_date=dt.date(2028, 1, 10)).exists()
    assert AuditEvent.objects.filter(action="parole_review_recorded", actor=pom.user).exists()
    page = client.post(_case_url(prisoner), {"target_hearing_date": "not a date"})
    assert "Enter a real target hearing date" in page.content.decode()


def test_another_prisons_case_is_404(client, prison, other_prison, staff_user_factory):
    prisoner, past = isp_case(prison=other_prison, today=timezone.localdate(), store=False)
    client.force_login(staff_user_factory(roles=["homd"], prisons=[prison]))
    url = reverse("parole_case", kwargs={"prison_code": prison.code, "prison_number": prisoner.pk})
    assert client.get(url).status_code == 404
    url = reverse(
        "parole_review_outcome", kwargs={"prison_code": prison.code, "prison_number": prisoner.pk, "review_pk": past.pk}
    )
    assert client.post(url, {"hearing_outcome": "Release"}).status_code == 404


def test_the_parole_page_takes_the_same_queries_however_many_reviews(
    client, prison, homd_user, django_assert_num_queries
):
    prisoner, _ = isp_case(prison=prison, today=timezone.localdate())
    client.force_login(homd_user)
    client.get(_case_url(prisoner))
    with django_assert_num_queries(15):
        client.get(_case_url(prisoner))
    for n in range(8):
        ParoleReviewFactory(
            prisoner=prisoner, target_hearing_date=dt.date(2016 + n, 3, 1), hearing_outcome="No release"
        )
    with django_assert_num_queries(15):
        page = client.get(_case_url(prisoner))
    assert len(page.context["reviews"]) == 10


def test_the_list_query_agrees_with_the_pure_calculation(prison):
    """The one SQL query and casework.calculations.parole pick the same cases, dates and kinds."""
    from casework.calculations.parole import approaching_parole_date

    today = timezone.localdate()
    pom = pom_for(prison)
    offsets = [None, -30, 0, 45, 200, 304, 305, 306, 400]
    expected = {}
    for n in range(12):
        ted = today + dt.timedelta(days=offsets[n % 9]) if n % 2 and offsets[n % 9] is not None else None
        ped = today + dt.timedelta(days=offsets[(n * 5) % 9]) if offsets[(n * 5) % 9] is not None and not ted else None
        thd = today + dt.timedelta(days=offsets[(n * 7) % 9]) if offsets[(n * 7) % 9] is not None else None
        p = _case(prison, pom=pom, ted=ted, ped=ped, thd=thd)
        found = approaching_parole_date(tariff_expiry=ted, parole_eligibility=ped, target_hearing=thd, today=today)
        if found:
            expected[p.pk] = (found[1], found[0])
    rows = parole_approaching_list(prison=prison, today=today)
    assert {r.pk: (r.parole_date, r.parole_date_type) for r in rows} == expected
    assert expected  # the mix has cases on the list


def test_a_case_with_no_sentence_or_reviews_still_has_a_parole_page(client, prison, homd_user):
    prisoner = PrisonerFactory(prison=prison, legal_status="remand")
    client.force_login(homd_user)
    page = client.get(_case_url(prisoner))
    assert page.status_code == 200
    text = page.content.decode()
    assert "No parole reviews are recorded for this case." in text
    assert "No handover has been calculated for this case yet." in text


def test_a_recalled_isp_page_names_the_recall_rule_not_the_general_rules(client, prison, homd_user):
    """Review fix: with no swing, the page says the rule the engine applied (a recall: the COM), in its words."""
    today = timezone.localdate()
    prisoner, _ = isp_case(prison=prison, today=today, thd_in=relativedelta(months=6), store=False)
    prisoner.legal_status = "recall"  # recalled by legal status alone, as handover.facts reads it
    prisoner.save()
    from handover.services.recalculation import recalculate

    recalculate(prisoner.pk, today=today, trigger="test set-up")
    assert CalculatedHandover.objects.get(prisoner=prisoner).reason == "recall_case"
    client.force_login(homd_user)
    page = client.get(_case_url(prisoner))
    swing = page.context["swing"]
    assert swing.rule is None
    assert swing.summary.endswith("The rule that decides instead: A recall: the COM stays responsible.")
    html = page.content.decode()
    assert "The rule that decides instead: A recall: the COM stays responsible." in html
    assert "parole window" not in html
    assert "general rules decide" not in html
    assert not page.context["stale"]
    assert "Indeterminate, recalled" in html or ", recalled" in html
