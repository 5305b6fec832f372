"""The oversight pages: the HOMD's overview with results and CSV, the audit form, actions, a case added by hand, the
sample size, and the POM's own page. Scoping (another prison 404s, a POM sees only their own audits) and pinned
query counts that do not grow with the rows."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse

from oversight.models import OversightAction, OversightAudit
from oversight.services import oversight_action_add, oversight_case_add, oversight_sample_draw
from tests.oversight.conftest import NOW, TODAY, complete, make_pom

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


def _url(name, prison, **kwargs):
    return reverse(name, kwargs={"prison_code": prison.code, **kwargs})


@pytest.fixture
def drawn(prison, homd_user):
    """Two POMs with cases, this month's sample drawn, one audit completed with an action."""
    adams = make_pom(prison=prison, cases=3, username="adams", first_name="Ann", last_name="Adams")
    brown = make_pom(prison=prison, cases=2, username="brown", first_name="Bob", last_name="Brown")
    oversight_sample_draw(prison=prison, today=TODAY, now=NOW)
    audit = complete(
        OversightAudit.objects.filter(pom=adams).first(), auditor=homd_user, risk_work="partly", overall="no"
    )
    action = oversight_action_add(
        audit=audit,
        description="Review the risk management plan",
        due_date=TODAY + dt.timedelta(days=7),
        actor=homd_user,
        today=TODAY,
        now=NOW,
    )
    return {"adams": adams, "brown": brown, "audit": audit, "action": action}


def test_the_homd_sees_each_poms_sample_with_its_status_and_the_results(client, prison, homd_user, drawn):
    client.force_login(homd_user)
    response = client.get(_url("oversight_home", prison))
    html = response.content.decode()
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(r["name"], r["case_count"], len(r["audits"]), r["completed"]) for r in rows] == [
        ("Ann Adams", 3, 2, 1),
        ("Bob Brown", 2, 2, 0),
    ]
    assert "Audited: No" in html
    assert html.count("Not audited") == 3
    assert "1 open action" in html
    (result,) = response.context["results"]
    assert (result["name"], result["completed"], result["mean_score"]) == ("Ann Adams", 1, 88)
    totals = {t["label"]: t["result"] for t in response.context["totals"]}
    assert (totals["Risk work"].partly, totals["Overall judgement"].no, totals["Sufficient contact"].yes) == (1, 1, 1)
    assert "Draw this month&#x27;s sample" in html or "Draw this month's sample" in html


def test_the_results_download_as_csv_per_pom_with_a_total_row(client, prison, homd_user, drawn):
    client.force_login(homd_user)
    response = client.get(_url("oversight_home", prison), {"month": "2026-11", "months": "3", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["pom"] for r in rows] == ["Ann Adams", "All POMs"]
    assert rows[0]["from_month"] == "2026-09"
    assert rows[0]["to_month"] == "2026-11"
    assert (rows[0]["risk_work_partly"], rows[0]["overall_no"], rows[0]["mean_score"]) == ("1", "1", "88")
    assert rows[1]["audits_completed"] == "1"


def test_a_month_or_period_that_makes_no_sense_falls_back_to_this_month(client, prison, homd_user, drawn):
    client.force_login(homd_user)
    for query in ({"month": "2099-01"}, {"month": "nonsense", "months": "7"}, {"months": "x"}):
        response = client.get(_url("oversight_home", prison), query)
        assert response.status_code == 200
        assert response.context["month"] == dt.date(2026, 11, 1)
        assert response.context["period"] == 1
    last_month = client.get(_url("oversight_home", prison), {"month": "2026-10"})
    assert last_month.context["results"] == []
    assert not last_month.context["is_this_month"]


def test_the_homd_completes_an_audit_with_errors_shown_first(client, prison, homd_user, drawn):
    audit = OversightAudit.objects.filter(pom=drawn["brown"]).first()
    client.force_login(homd_user)
    url = _url("oversight_audit", prison, audit_id=audit.pk)
    page = client.get(url)
    assert page.status_code == 200
    assert "Is information shared well" in page.content.decode()
    response = client.post(url, {"sufficient_contact": "yes", "risk_work": "maybe"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Select a valid choice" in html
    assert "Answer “Overall, is the POM" in html
    answers = dict.fromkeys(audit.answers(), "yes") | {"handover_preparation": "partly"}
    response = client.post(url, {**answers, "handover_preparation_notes": "No COM contact yet."})
    assert response.status_code == 302
    assert response.url == url
    audit.refresh_from_db()
    assert audit.is_completed
    assert audit.auditor == homd_user
    assert audit.handover_preparation_notes == "No COM contact yet."


def test_the_homd_sets_an_action_with_a_due_date(client, prison, homd_user, drawn):
    audit = drawn["audit"]
    client.force_login(homd_user)
    url = _url("oversight_action_add", prison, audit_id=audit.pk)
    response = client.post(url, {"description": "Meet the COM", "due_date": "2026-11-01"})
    assert "The due date must be today or in the future" in response.content.decode()
    response = client.post(url, {"description": "", "due_date": "2026-02-30"})
    assert "Enter the action for the POM" in response.content.decode()
    assert "Enter a real due date" in response.content.decode()
    response = client.post(url, {"description": "Meet the COM", "due_date": "2026-12-10"})
    assert response.status_code == 302
    assert audit.actions.filter(description="Meet the COM", due_date=dt.date(2026, 12, 10)).exists()


def test_the_homd_adds_a_case_by_hand(client, prison, homd_user, drawn):
    client.force_login(homd_user)
    url = _url("oversight_add_case", prison)
    assert "For example, A1234BC" in client.get(url).content.decode()
    response = client.post(url, {"prison_number": "A12BC"})
    assert "Enter a prison number in the format A1234BC" in response.content.decode()
    response = client.post(url, {"prison_number": "A1234BCD"})
    assert "Enter a prison number like A1234BC" in response.content.decode()
    in_sample = drawn["audit"].prisoner_id
    response = client.post(url, {"prison_number": in_sample})
    assert "is already in the audits for November 2026" in response.content.decode()
    extra = next(
        a.prisoner_id
        for a in drawn["adams"].allocations.all()
        if not OversightAudit.objects.filter(prisoner=a.prisoner)
    )
    response = client.post(url, {"prison_number": extra.lower()})
    audit = OversightAudit.objects.get(prisoner_id=extra)
    assert response.status_code == 302
    assert response.url == _url("oversight_audit", prison, audit_id=audit.pk)


def test_the_homd_draws_the_sample_and_sets_the_sample_size(client, prison, homd_user):
    make_pom(prison=prison, cases=5)
    client.force_login(homd_user)
    assert client.get(_url("oversight_draw", prison)).status_code == 405
    client.post(_url("oversight_settings", prison), {"sample_size": "3"})
    response = client.post(_url("oversight_draw", prison), follow=True)
    assert "Sample drawn for 1 POM" in response.content.decode()
    assert OversightAudit.objects.count() == 3
    response = client.post(_url("oversight_draw", prison), follow=True)
    assert "Nothing new to sample" in response.content.decode()
    response = client.post(_url("oversight_settings", prison), {"sample_size": "11"})
    assert "Audit at most 10 cases" in response.content.decode()


def test_the_pom_sees_only_their_own_completed_audits_and_marks_an_action_done(client, prison, drawn):
    adams, brown = drawn["adams"], drawn["brown"]
    client.force_login(adams.user)
    response = client.get(_url("oversight_home", prison))
    html = response.content.decode()
    assert [a.pk for a in response.context["audits"]] == [drawn["audit"].pk]  # not the one still to audit
    assert "Review the risk management plan" in html
    assert "You have 1 action to do." in html
    assert "Good work." in html
    assert "Due 1 December 2026" in html
    assert client.get(_url("oversight_mine", prison)).context["audits"] == response.context["audits"]

    client.force_login(brown.user)
    done_url = _url("oversight_action_done", prison, action_id=drawn["action"].pk)
    assert client.post(done_url).status_code == 404  # another POM's action
    assert client.get(_url("oversight_home", prison)).context["audits"] == []

    client.force_login(adams.user)
    response = client.post(done_url)
    assert response.status_code == 302
    assert response.url == _url("oversight_mine", prison) + f"#audit-{drawn['audit'].pk}"
    assert OversightAction.objects.get().done_by == adams.user
    assert "You have no actions to do." in client.get(_url("oversight_mine", prison)).content.decode()


@pytest.mark.parametrize(
    ("role", "expected"),
    [("pom", [200, 403, 403, 403]), ("homs", [200, 403, 403, 403]), ("case_admin", [403, 403, 403, 403])],
)
def test_who_may_open_which_page(client, prison, staff_user_factory, drawn, role, expected):
    client.force_login(staff_user_factory(roles=[role], prisons=[prison]))
    audit = drawn["audit"]
    urls = [
        _url("oversight_home", prison),
        _url("oversight_audit", prison, audit_id=audit.pk),
        _url("oversight_add_case", prison),
        _url("oversight_settings", prison),
    ]
    assert [client.get(u).status_code for u in urls] == expected


def test_another_prisons_staff_get_404_for_every_page(client, prison, other_prison, staff_user_factory, drawn):
    homd_elsewhere = staff_user_factory(roles=["homd"], prisons=[other_prison])
    client.force_login(homd_elsewhere)
    audit, action = drawn["audit"], drawn["action"]
    for url in (
        _url("oversight_home", prison),
        _url("oversight_audit", prison, audit_id=audit.pk),
        _url("oversight_action_add", prison, audit_id=audit.pk),
        _url("oversight_add_case", prison),
    ):
        assert client.get(url).status_code == 404
    assert client.post(_url("oversight_action_done", prison, action_id=action.pk)).status_code == 404
    # An audit of this prison reached through the HOMD's own prison is not found either.
    assert client.get(_url("oversight_audit", other_prison, audit_id=audit.pk)).status_code == 404


def test_the_overview_has_a_fixed_number_of_queries(client, prison, homd_user, drawn, django_assert_num_queries):
    client.force_login(homd_user)
    url = _url("oversight_home", prison)
    client.get(url)
    # Session, user, prisons, roles, sample size, results, caseloads, samples, audits, POMs, session update and the
    # two savepoint pairs of the request transaction: 15, however many POMs, cases and audits.
    with django_assert_num_queries(15):
        client.get(url)
    for n in range(4):
        pom = make_pom(prison=prison, cases=3, username=f"more{n}", last_name=f"Z{n}")
        oversight_sample_draw(prison=prison, today=TODAY, now=NOW)
        for audit in OversightAudit.objects.filter(pom=pom):
            complete(audit, auditor=homd_user)
    with django_assert_num_queries(15):
        response = client.get(url)
    assert len(response.context["rows"]) == 6
    assert len(response.context["results"]) == 5


def test_the_poms_page_has_a_fixed_number_of_queries(client, prison, homd_user, drawn, django_assert_num_queries):
    adams = drawn["adams"]
    client.force_login(adams.user)
    url = _url("oversight_mine", prison)
    client.get(url)
    # Session, user, prisons, roles, audits, actions, session update and the two savepoint pairs: 11.
    with django_assert_num_queries(11):
        client.get(url)
    for audit in OversightAudit.objects.filter(pom=adams, completed_at=None):
        audit = complete(audit, auditor=homd_user)
        oversight_action_add(audit=audit, description="More", due_date=TODAY, actor=homd_user, today=TODAY, now=NOW)
    for n in range(3):
        make_pom(prison=prison, cases=0, username=f"idle{n}")
    prisoner = adams.allocations.exclude(prisoner__oversight_audits__isnull=False).first().prisoner
    complete(
        oversight_case_add(prison=prison, prison_number=prisoner.pk, today=TODAY, now=NOW, actor=homd_user),
        auditor=homd_user,
    )
    with django_assert_num_queries(11):
        response = client.get(url)
    assert len(response.context["audits"]) == 3


def test_the_audit_page_has_a_fixed_number_of_queries(client, prison, homd_user, drawn, django_assert_num_queries):
    audit = drawn["audit"]
    client.force_login(homd_user)
    url = _url("oversight_audit", prison, audit_id=audit.pk)
    client.get(url)
    # Session, user, prisons, roles, audit (with case, POM, auditor), actions, session update, savepoints: 11.
    with django_assert_num_queries(11):
        client.get(url)
    for n in range(5):
        oversight_action_add(
            audit=audit, description=f"Action {n}", due_date=TODAY, actor=homd_user, today=TODAY, now=NOW
        )
    with django_assert_num_queries(11):
        response = client.get(url)
    assert len(response.context["actions"]) == 6


def test_the_audit_and_its_action_show_on_the_case_timeline(client, prison, homd_user, drawn):
    client.force_login(homd_user)
    prisoner = drawn["audit"].prisoner
    response = client.get(_url("allocation_timeline", prison, prison_number=prisoner.pk))
    titles = [entry.title for entry in response.context["entries"]]
    assert "Sampled for oversight: OversightAudit" in titles
    assert "Oversight audit completed: OversightAudit" in titles
    assert "Oversight action set: OversightAction" in titles


def test_bad_input_gets_a_clear_error_never_a_500(client, prison, homd_user, drawn):
    client.force_login(homd_user)
    audit = drawn["audit"]
    assert client.get(_url("oversight_audit", prison, audit_id=999999)).status_code == 404
    answers = dict.fromkeys(audit.answers(), "yes")
    response = client.post(_url("oversight_audit", prison, audit_id=audit.pk), {**answers, "risk_work_notes": "a\x00b"})
    assert response.status_code == 400  # the project's middleware refuses NUL characters before any view
    audit.refresh_from_db()
    assert audit.risk_work_notes == ""
    response = client.post(_url("oversight_audit", prison, audit_id=audit.pk), {**answers, "overall_notes": "x" * 4001})
    assert "Notes must be 4000 characters or fewer" in response.content.decode()
    response = client.post(_url("oversight_settings", prison), {"sample_size": "two"})
    assert "Enter a whole number" in response.content.decode()
    response = client.post(_url("oversight_action_add", prison, audit_id=audit.pk), {"description": "x" * 1001})
    assert "Keep the action to 1000 characters" in response.content.decode()
    assert "Enter the due date" in response.content.decode()
