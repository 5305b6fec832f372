"""The key work pages: settings, key workers, manual and automatic allocation, with their permissions."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.html import escape

from cases.models import AuditEvent, CaseInformation, Prison
from keywork.models import DeallocationReason, KeyworkAllocation, KeyworkConfiguration, KeyWorkerStatus
from tests.factories import CaseInformationFactory, PrisonerFactory
from tests.factories.keywork import KeyworkAllocationFactory, KeyWorkerProfileFactory

pytestmark = pytest.mark.django_db


def url(name, prison, **kwargs):
    return reverse(name, kwargs={"prison_code": prison.code, **kwargs})


class TestConfiguration:
    def test_defaults_without_a_row_switch_key_work_off_in_the_male_open_estate(self, client, homs_user, prison):
        from keywork.selectors import configuration_for_prison

        assert configuration_for_prison(prison=prison).is_enabled
        assert not configuration_for_prison(prison=prison).allow_auto_allocation
        open_prison = Prison(code="HDI", name="HMP Hatfield", estate=Prison.Estate.MENS_OPEN)
        assert not configuration_for_prison(prison=open_prison).is_enabled

    def test_the_homs_changes_the_standard_and_it_is_audited(self, client, homs_user, prison):
        client.force_login(homs_user)
        page = client.get(url("keywork_configuration", prison))
        assert page.status_code == 200
        response = client.post(
            url("keywork_configuration", prison),
            {
                "is_enabled": "on",
                "allow_auto_allocation": "on",
                "frequency_weeks": "2",
                "session_minutes": "90",
                "target_caseload": "5",
                "maximum_caseload": "8",
                "fortnightly_approval": "PGD North, 3 March 2026",
            },
        )
        assert response.status_code == 302
        config = KeyworkConfiguration.objects.get(prison=prison)
        assert (config.frequency_weeks, config.session_minutes, config.target_caseload) == (2, 90, 5)
        event = AuditEvent.objects.get(action="keywork_configuration_created")
        assert event.actor == homs_user
        assert event.after["frequency_weeks"] == 2

    def test_errors_name_their_field(self, client, homs_user, prison):
        client.force_login(homs_user)
        response = client.post(
            url("keywork_configuration", prison),
            {"frequency_weeks": "2", "session_minutes": "90", "target_caseload": "6", "maximum_caseload": "4"},
        )
        assert response.status_code == 200
        content = response.content.decode()
        assert "The maximum caseload must be at least the target caseload" in content
        assert "Say who approved fortnightly sessions" in content
        assert 'href="#id_maximum_caseload"' in content
        assert not KeyworkConfiguration.objects.exists()

    @pytest.mark.parametrize("role", ["homd", "pom", "case_admin", "key_worker"])
    def test_only_the_homs_may_change_it(self, client, staff_user_factory, prison, role):
        client.force_login(staff_user_factory(roles=[role], prisons=[prison]))
        assert client.get(url("keywork_configuration", prison)).status_code == 403
        assert client.post(url("keywork_configuration", prison), {}).status_code == 403


class TestPermissions:
    @pytest.mark.parametrize(
        ("role", "name", "status"),
        [
            ("homs", "keywork_dashboard", 200),
            ("homd", "keywork_dashboard", 200),
            ("pom", "keywork_dashboard", 403),
            ("key_worker", "keywork_dashboard", 403),
            ("case_admin", "keywork_allocations", 200),
            ("pom", "keywork_allocations", 200),
            ("key_worker", "keywork_allocations", 403),
            ("case_admin", "keywork_auto_allocation", 403),
            ("homd", "keywork_auto_allocation", 200),
            ("pom", "keywork_key_workers", 403),
            ("key_worker", "keywork_home", 200),
        ],
    )
    def test_roles(self, client, staff_user_factory, prison, role, name, status):
        client.force_login(staff_user_factory(roles=[role], prisons=[prison]))
        assert client.get(url(name, prison)).status_code == status

    def test_another_prisons_pages_are_404(self, client, homs_user, other_prison):
        client.force_login(homs_user)
        for name in ("keywork_dashboard", "keywork_auto_allocation", "keywork_allocations", "keywork_configuration"):
            assert client.get(url(name, other_prison)).status_code == 404
            assert client.post(url(name, other_prison)).status_code == 404


class TestManualAllocation:
    def test_allocate_change_and_deallocate_with_history(self, client, homs_user, prison, config):
        first = KeyWorkerProfileFactory(prison=prison)
        second = KeyWorkerProfileFactory(prison=prison)
        prisoner = PrisonerFactory(prison=prison)
        client.force_login(homs_user)
        page = url("keywork_prisoner", prison, prison_number=prisoner.pk)
        assert client.post(page, {"action": "allocate", "key_worker": first.user_id}).status_code == 302
        assert client.post(page, {"action": "allocate", "key_worker": second.user_id}).status_code == 302
        old, new = KeyworkAllocation.objects.order_by("pk")
        assert old.deallocation_reason == DeallocationReason.STAFF_CHANGE
        assert old.ended_at is not None
        assert new.key_worker == second
        assert new.is_active
        assert new.allocation_type == "manual"
        response = client.post(page, {"action": "deallocate", "end-reason": "other", "end-detail": ""})
        assert response.status_code == 200
        assert "Say why the key worker is being deallocated" in response.content.decode()
        client.post(page, {"action": "deallocate", "end-reason": "prisoner_request", "end-detail": ""})
        assert not KeyworkAllocation.objects.filter(ended_at__isnull=True).exists()
        history = client.get(page).content.decode()
        assert "Prisoner request" in history
        assert "Staff change" in history
        actions = list(AuditEvent.objects.filter(prison_number=prisoner.pk).values_list("action", flat=True))
        assert actions.count("key_worker_allocated") == 2
        assert actions.count("key_worker_deallocated") == 2

    def test_the_same_key_worker_again_changes_nothing(self, client, homs_user, prison, config):
        allocation = KeyworkAllocationFactory(key_worker=KeyWorkerProfileFactory(prison=prison))
        client.force_login(homs_user)
        page = url("keywork_prisoner", prison, prison_number=allocation.prisoner_id)
        client.post(page, {"action": "allocate", "key_worker": allocation.key_worker.user_id})
        assert KeyworkAllocation.objects.count() == 1

    def test_high_complexity_women_are_excluded_and_told_why(self, client, homs_user, prison, config):
        kw = KeyWorkerProfileFactory(prison=prison)
        prisoner = PrisonerFactory(prison=prison)
        CaseInformationFactory(prisoner=prisoner, womens_complexity=CaseInformation.Complexity.HIGH)
        client.force_login(homs_user)
        page = url("keywork_prisoner", prison, prison_number=prisoner.pk)
        assert "high complexity of need" in client.get(page).content.decode()
        client.post(page, {"action": "allocate", "key_worker": kw.user_id})
        assert not KeyworkAllocation.objects.exists()
        listing = client.get(url("keywork_allocations", prison) + "?show=excluded").content.decode()
        assert prisoner.pk in listing
        assert "Not eligible" in listing

    def test_inactive_key_workers_cannot_be_allocated(self, client, homs_user, prison, config):
        kw = KeyWorkerProfileFactory(prison=prison, status=KeyWorkerStatus.INACTIVE)
        prisoner = PrisonerFactory(prison=prison)
        client.force_login(homs_user)
        client.post(
            url("keywork_prisoner", prison, prison_number=prisoner.pk), {"action": "allocate", "key_worker": kw.user_id}
        )
        assert not KeyworkAllocation.objects.exists()

    def test_a_pom_sees_but_cannot_allocate(self, client, pom_user, prison, config):
        kw = KeyWorkerProfileFactory(prison=prison)
        prisoner = PrisonerFactory(prison=prison)
        client.force_login(pom_user)
        page = url("keywork_prisoner", prison, prison_number=prisoner.pk)
        assert client.get(page).status_code == 200
        assert client.post(page, {"action": "allocate", "key_worker": kw.user_id}).status_code == 403


class TestKeyWorkerProfiles:
    def test_making_inactive_asks_first_and_can_deallocate(self, client, homs_user, prison, config):
        kw = KeyWorkerProfileFactory(prison=prison)
        KeyworkAllocationFactory.create_batch(2, key_worker=kw)
        client.force_login(homs_user)
        edit = url("keywork_key_worker_edit", prison, user_id=kw.user_id)
        response = client.post(edit, {"status": "inactive", "allow_auto_allocation": ""})
        assert response.status_code == 302
        assert "/confirm/?" in response["Location"]
        confirm = client.get(response["Location"])
        assert "What happens to their 2 prisoners?" in confirm.content.decode()
        kw.refresh_from_db()
        assert kw.status == KeyWorkerStatus.ACTIVE  # nothing saved before confirming
        done = client.post(
            url("keywork_key_worker_confirm", prison, user_id=kw.user_id),
            {
                "status": "inactive",
                "return_date": "",
                "capacity": "",
                "allow_auto_allocation": "False",
                "prisoners": "deallocate",
            },
        )
        assert done.status_code == 302
        kw.refresh_from_db()
        assert kw.status == KeyWorkerStatus.INACTIVE
        assert not kw.allow_auto_allocation
        assert set(KeyworkAllocation.objects.values_list("deallocation_reason", flat=True)) == {"key_worker_inactive"}

    def test_annual_leave_needs_a_future_return_date(self, client, homs_user, prison, config):
        kw = KeyWorkerProfileFactory(prison=prison)
        client.force_login(homs_user)
        response = client.post(url("keywork_key_worker_edit", prison, user_id=kw.user_id), {"status": "annual_leave"})
        assert "Enter the date they return from annual leave" in response.content.decode()
        future = (dt.date.today() + dt.timedelta(days=10)).isoformat()
        response = client.post(
            url("keywork_key_worker_edit", prison, user_id=kw.user_id),
            {"status": "annual_leave", "return_date": future, "capacity": "4", "allow_auto_allocation": "on"},
        )
        assert response.status_code == 302
        kw.refresh_from_db()
        assert (kw.status, kw.return_date.isoformat(), kw.capacity) == ("annual_leave", future, 4)

    def test_a_key_worker_without_a_profile_is_listed_as_active(self, client, homs_user, prison, staff_user_factory):
        user = staff_user_factory(roles=["key_worker"], prisons=[prison], username="kwnew")
        client.force_login(homs_user)
        content = client.get(url("keywork_key_workers", prison)).content.decode()
        assert escape(user.last_name) in content  # as the page prints it: O'Connor is O&#x27;Connor
        assert "Active" in content
