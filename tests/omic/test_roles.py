"""Each role lands on its own home page, sees the navigation for its role, and is refused the others' pages."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "template", "heading"),
    [
        ("pom", "home/pom.html", "Your work"),
        ("homd", "home/homd.html", "Your unit"),
        ("homs", "home/homs.html", "Offender management services"),
        ("case_admin", "home/case_admin.html", "Case administration"),
        ("key_worker", "home/key_worker.html", "Key work"),
    ],
)
def test_each_prison_role_has_its_home_page(client, staff_user_factory, prison, role, template, heading):
    client.force_login(staff_user_factory(roles=[role], prisons=[prison]))
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("prison_home", kwargs={"prison_code": prison.code})
    assert template in [t.name for t in response.templates]
    assert heading in response.content.decode()


def test_the_senior_role_decides_the_home_page(client, staff_user_factory, prison):
    client.force_login(staff_user_factory(roles=["pom", "homd"], prisons=[prison]))
    response = client.get(reverse("prison_home", kwargs={"prison_code": prison.code}))
    assert "home/homd.html" in [t.name for t in response.templates]


def test_national_viewer_goes_to_the_national_view(client, staff_user_factory, prison):
    client.force_login(staff_user_factory(roles=["national_viewer"]))
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("national_home")
    assert prison.name in response.content.decode()
    assert client.get(reverse("prison_home", kwargs={"prison_code": prison.code})).status_code == 404


def test_national_view_exports_csv(client, staff_user_factory, prison):
    client.force_login(staff_user_factory(roles=["national_viewer"]))
    response = client.get(reverse("national_home") + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("prison_code,prison_name")
    assert lines[1].startswith(f"{prison.code},{prison.name}")


def test_service_admin_goes_to_the_service_admin_page(client, staff_user_factory):
    client.force_login(staff_user_factory(roles=["service_admin"]))
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("service_admin_home")


@pytest.mark.parametrize("role", ["pom", "case_admin", "key_worker"])
def test_staff_list_is_for_heads_of_unit_only(client, staff_user_factory, prison, role):
    client.force_login(staff_user_factory(roles=[role], prisons=[prison]))
    assert client.get(reverse("staff_list", kwargs={"prison_code": prison.code})).status_code == 403


@pytest.mark.parametrize("role", ["pom", "homd", "key_worker"])
def test_prison_staff_are_refused_national_and_admin_pages(client, staff_user_factory, prison, role):
    client.force_login(staff_user_factory(roles=[role], prisons=[prison]))
    assert client.get(reverse("national_home")).status_code == 403
    assert client.get(reverse("service_admin_home")).status_code == 403


def test_navigation_follows_the_role(client, staff_user_factory, prison):
    client.force_login(staff_user_factory(roles=["key_worker"], prisons=[prison]))
    response = client.get(reverse("prison_home", kwargs={"prison_code": prison.code}))
    labels = [item["label"] for item in response.context["nav_items"]]
    assert labels == ["Home", "Prisoners", "Search", "Key work"]
    client.force_login(staff_user_factory(roles=["homd"], prisons=[prison]))
    response = client.get(reverse("prison_home", kwargs={"prison_code": prison.code}))
    labels = [item["label"] for item in response.context["nav_items"]]
    assert labels == [
        "Home", "Dashboard", "Caseload", "Prisoners", "Search", "Allocations", "Handovers", "Parole", "Tasks",
        "Key work", "Staff", "Oversight", "Community pipeline",
    ]  # fmt: skip


def test_a_user_without_prisons_or_roles_is_told_what_to_do(client, staff_user_factory):
    client.force_login(staff_user_factory(roles=[]))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Ask a service admin" in response.content.decode()


def test_a_django_model_permission_does_not_stand_in_for_a_role(client, staff_user_factory, prison):
    """cases.view_prison is also Django's own model permission; granting it in the admin must not open the pages."""
    from django.contrib.auth.models import Permission

    user = staff_user_factory(roles=[], prisons=[prison])
    user.user_permissions.add(Permission.objects.get(content_type__app_label="cases", codename="view_prison"))
    user = type(user).objects.get(pk=user.pk)  # a fresh object: Django caches permissions on the instance
    assert not user.has_perm("cases.view_prison")
    client.force_login(user)
    assert client.get(reverse("prison_home", kwargs={"prison_code": prison.code})).status_code == 403
    nav_labels = [item["label"] for item in client.get(reverse("home"), follow=True).context["nav_items"]]
    assert "Home" not in nav_labels


@pytest.mark.parametrize("role", ["homd", "homs"])
def test_the_heads_of_unit_see_poms_over_capacity_and_needing_attention(
    client, staff_user_factory, prison, role, settings
):
    from cases.models import PomAllocation, PomProfile
    from tests.factories import PomProfileFactory
    from tests.factories.allocation import PomAllocationFactory, ready_case

    settings.POM_CAPACITY_PER_FTE = "2"
    busy = PomProfileFactory(prison=prison, working_pattern="0.5")  # 2 tier C cases at 0.5 FTE: 4 per FTE
    away = PomProfileFactory(prison=prison, status=PomProfile.Status.AWAY)
    for pom in (busy, busy, away):
        PomAllocationFactory(prisoner=ready_case(prison=prison, tier="C"), pom=pom, role=PomAllocation.Role.PRIMARY)
    PomProfileFactory(prison=prison)  # no cases: neither
    client.force_login(staff_user_factory(roles=[role], prisons=[prison]))
    response = client.get(reverse("prison_home", kwargs={"prison_code": prison.code}))
    assert response.context["pom_attention"] == {"attention": 1, "over_capacity": 1}
    page = " ".join(response.content.decode().split())
    assert "1 POM needs attention" in page
    assert "1 POM over capacity" in page
    assert "more than 2 per full-time equivalent" in page
