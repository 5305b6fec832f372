"""The audit search page for service admins: filters, date validation, pages, newest first, CSV, query count."""

import csv
import datetime as dt
import io
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from cases.models import AuditEvent
from tests.factories import PrisonerFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
URL = "/service-admin/audit/"


def _event(at: dt.datetime, *, actor="alice.pom", action="updated", number="", reason="", request="") -> AuditEvent:
    with mock.patch("django.utils.timezone.now", return_value=at):
        return AuditEvent.objects.create(actor_label=actor, action=action, prison_number=number, reason=reason,
                                         object_type="cases.CaseInformation", object_id="1", after={"tier": "B"},
                                         request_id=request)  # fmt: skip


def _day(y, m, d, h=12) -> dt.datetime:
    return dt.datetime(y, m, d, h, tzinfo=LONDON)


@pytest.fixture
def admin(client, staff_user_factory):
    client.force_login(staff_user_factory(roles=["service_admin"], username="svcadmin"))
    return client


def _rows(response) -> list[str]:
    return [row.split("</td>")[0] for row in response.content.decode().split('<tr class="govuk-table__row">')[2:]]


def test_the_page_is_named_and_linked_from_the_service_admin_navigation(admin):
    assert reverse("audit_search") == URL
    assert reverse("audit_export").startswith(URL)
    home = admin.get(reverse("service_admin_home")).content.decode()
    assert f'href="{URL}"' in home


@pytest.mark.parametrize("role", ["pom", "homd", "homs", "case_admin", "key_worker", "national_viewer"])
def test_only_service_admins_may_search_or_export(client, staff_user_factory, prison, role):
    client.force_login(staff_user_factory(roles=[role], prisons=[prison]))
    assert client.get(URL).status_code == 403
    assert client.get(reverse("audit_export")).status_code == 403


def test_signed_out_users_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_filters_by_person_prisoner_action_and_days_newest_first(admin, prison):
    prisoner = PrisonerFactory(prison=prison)
    _event(_day(2025, 3, 1), actor="alice.pom", number=prisoner.pk, action="allocated", reason="why-alpha")
    _event(_day(2025, 3, 2), actor="bob.homd", number=prisoner.pk, action="updated", reason="why-bravo")
    _event(_day(2025, 3, 3, 23), actor="alice.pom", number="B1111BB", action="updated", reason="why-charlie")
    _event(_day(2025, 3, 4, 0), actor="ALICE.pom", number=prisoner.pk, action="updated", reason="why-delta")
    page = admin.get(URL)
    text = page.content.decode()
    assert text.index("why-delta") < text.index("why-charlie") < text.index("why-bravo") < text.index("why-alpha")
    assert "4 events" in text
    assert '<option value="allocated">allocated</option>' in text
    assert "1 event<" in admin.get(URL, {"person": "bob"}).content.decode()
    alice = admin.get(URL, {"person": "alice"}).content.decode()
    assert "3 events" in alice
    assert "why-bravo" not in alice
    by_prisoner = admin.get(URL, {"prisoner": prisoner.pk.lower()}).content.decode()
    assert "3 events" in by_prisoner
    assert "why-charlie" not in by_prisoner
    assert "1 event<" in admin.get(URL, {"action": "allocated"}).content.decode()
    # Both ends of the range are whole days in London: 3 March 23:00 is in, 4 March 00:00 is out.
    dates = {"date_from_day": "2", "date_from_month": "3", "date_from_year": "2025"}
    dates |= {"date_to_day": "3", "date_to_month": "3", "date_to_year": "2025"}
    days = admin.get(URL, dates).content.decode()
    assert "2 events" in days
    assert "why-bravo" in days
    assert "why-charlie" in days


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from_day": "31", "date_from_month": "2", "date_from_year": "2025"}, "Date from must be a real date"),
        ({"date_to_day": "1", "date_to_year": "2025"}, "Date to must include a month"),
        ({"date_from_day": "x", "date_from_month": "1", "date_from_year": "2025"}, "Date from must be a real date"),
        (
            {
                "date_from_day": "2",
                "date_from_month": "3",
                "date_from_year": "2025",
                "date_to_day": "1",
                "date_to_month": "3",
                "date_to_year": "2025",
            },
            "Date to must be the same as or after date from",
        ),  # fmt: skip
        ({"prisoner": "nope"}, "Prison number must be a letter, 4 digits and 2 letters"),
        ({"action": "not_an_action"}, "Select a valid choice"),
    ],
)
def test_bad_filters_show_clear_errors_naming_the_field(admin, params, message):
    _event(_day(2025, 3, 1))
    response = admin.get(URL, params)
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text
    assert message in text
    assert "govuk-error-message" in text
    assert 'data-testid="audit-table"' not in text
    assert admin.get(reverse("audit_export"), params).status_code == 400


def test_the_error_summary_links_to_the_day_box(admin):
    text = admin.get(URL, {"date_from_day": "40", "date_from_month": "1", "date_from_year": "2025"}).content.decode()
    assert 'href="#id_date_from_day"' in text
    assert 'id="id_date_from_day"' in text
    assert 'value="40"' in text  # what was typed is kept


def test_pages_of_fifty_keep_the_filters(admin):
    for i in range(55):
        _event(_day(2025, 1, 1) + dt.timedelta(minutes=i), actor="carol", reason=f"r{i:02d}")
    first = admin.get(URL, {"person": "carol"}).content.decode()
    assert "55 events" in first
    assert "r54" in first
    assert "r04" not in first
    assert "person=carol&amp;page=2" in first
    second = admin.get(URL, {"person": "carol", "page": "2"}).content.decode()
    assert "r04" in second
    assert "r00" in second
    assert "r54" not in second


def test_the_csv_has_every_filtered_row_with_the_request_id(admin, prison):
    for i in range(60):
        _event(_day(2025, 1, 1) + dt.timedelta(minutes=i), actor="dave", reason=f"r{i:02d}", request=f"req-{i}")
    _event(_day(2025, 1, 2), actor="erin", reason="=cmd()")
    response = admin.get(reverse("audit_export"), {"person": "dave"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][-1] == "request_id"
    assert len(rows) == 61
    assert rows[1][1] == "dave"
    assert rows[1][-1] == "req-59"
    assert rows[-1][-1] == "req-0"
    erin = list(csv.reader(io.StringIO(b"".join(admin.get(reverse("audit_export"), {"person": "erin"})
                                                .streaming_content).decode())))  # fmt: skip
    assert erin[1][8] == "'=cmd()"  # no spreadsheet formula


AUDIT_SEARCH_QUERIES = 12


def test_the_page_costs_the_same_queries_however_many_events(admin, django_assert_num_queries):
    """Session, user, the user's roles; the action choices; the count; the layout's prisons; the page of events; the
    session save; and the two savepoints (and releases) of ATOMIC_REQUESTS."""
    _event(_day(2025, 1, 1))
    admin.get(URL)
    with django_assert_num_queries(AUDIT_SEARCH_QUERIES):
        admin.get(URL, {"person": "a"})
    for i in range(120):
        _event(_day(2025, 2, 1) + dt.timedelta(minutes=i), action=f"action_{i % 7}")
    with django_assert_num_queries(AUDIT_SEARCH_QUERIES):
        admin.get(URL, {"person": "a", "page": "2"})
