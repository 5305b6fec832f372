"""Prison scoping (DECISIONS.md D-17): a user asking for a prison they do not work in gets 404, for every URL
and every method. The walk covers every URL pattern that takes a prison code, so a new page is covered the day
it is added; a new URL parameter without a sample value below fails the test until one is given."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from cases.models import PomProfile
from oversight.models import OversightAction, OversightAudit
from tests.factories import CaseInformationFactory, PomProfileFactory, PrisonerFactory, SentenceFactory
from tests.factories.casework import CaseTaskFactory, ParoleReviewFactory

pytestmark = pytest.mark.django_db

ALL_PRISON_ROLES = ["pom", "homd", "homs", "case_admin", "key_worker"]
METHODS = ["get", "post", "put", "patch", "delete", "head", "options"]


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def prison_url_patterns() -> list[tuple[str, URLPattern]]:
    return [(route, p) for route, p in _walk(get_resolver().url_patterns) if "<prison:prison_code>" in route]


def _sample_kwargs(pattern: URLPattern, *, prison_code: str, prisoner) -> dict:
    samples = {"prison_code": prison_code, "prison_number": prisoner.prison_number}
    # The case's own records (parole review, task, oversight audit and action), made by the estate fixture.
    samples["review_pk"] = prisoner.parole_reviews.values_list("pk", flat=True).first()
    samples["task_id"] = prisoner.case_tasks.values_list("pk", flat=True).first()
    samples["audit_id"] = prisoner.oversight_audits.values_list("pk", flat=True).first()
    samples["action_id"] = OversightAction.objects.filter(audit__prisoner=prisoner).values_list("pk", flat=True).first()
    samples["pom_id"] = PomProfile.objects.filter(prison_id=prisoner.prison_id).values_list("pk", flat=True).first()
    samples["user_id"] = (  # a key worker at the prison (keywork pages), or any id where there is none
        get_user_model()
        .objects.filter(groups__name="key_worker", staff_profile__prisons=prisoner.prison_id)
        .values_list("pk", flat=True)
        .first()
        or 0
    )
    names = list(pattern.pattern.converters)
    missing = [n for n in names if n not in samples]
    assert not missing, f"No sample value for URL parameter(s) {missing} of {pattern.name}: add one to _sample_kwargs"
    return {n: samples[n] for n in names}


@pytest.fixture
def estate(prison, other_prison, staff_user_factory):
    here = PrisonerFactory(prison=prison)
    elsewhere = PrisonerFactory(prison=other_prison)
    for p in (here, elsewhere):
        SentenceFactory(prisoner=p)
        CaseInformationFactory(prisoner=p)
        pom = PomProfileFactory(prison=p.prison)
        ParoleReviewFactory(prisoner=p)
        CaseTaskFactory(prisoner=p)
        now = timezone.now()
        month = timezone.localdate().replace(day=1)
        audit = OversightAudit.objects.create(prison=p.prison, prisoner=p, pom=pom, month=month, added_at=now)
        OversightAction.objects.create(audit=audit, description="Book a contact", due_date=month, created_at=now)
    user = staff_user_factory(roles=ALL_PRISON_ROLES, prisons=[prison], username="allroles")
    return {"user": user, "here": here, "elsewhere": elsewhere}


def test_the_walk_finds_the_prison_pages():
    names = {p.name for _, p in prison_url_patterns()}
    assert {"prison_home", "prisoner_list", "prisoner_detail", "staff_list"} <= names


@pytest.mark.parametrize("method", METHODS)
def test_every_prison_url_is_404_for_a_user_of_another_prison(client, estate, other_prison, method):
    client.force_login(estate["user"])
    for route, pattern in prison_url_patterns():
        kwargs = _sample_kwargs(pattern, prison_code=other_prison.code, prisoner=estate["elsewhere"])
        url = reverse(pattern.name, kwargs=kwargs)
        response = getattr(client, method)(url)
        assert response.status_code == 404, f"{method.upper()} {url} ({route}) gave {response.status_code}, not 404"


def test_a_prison_that_does_not_exist_is_404_too(client, estate):
    client.force_login(estate["user"])
    for _, pattern in prison_url_patterns():
        kwargs = _sample_kwargs(pattern, prison_code="ZZZ", prisoner=estate["elsewhere"])
        assert client.get(reverse(pattern.name, kwargs=kwargs)).status_code == 404


def test_every_prison_url_answers_for_a_user_of_that_prison(client, estate, prison):
    client.force_login(estate["user"])
    for route, pattern in prison_url_patterns():
        kwargs = _sample_kwargs(pattern, prison_code=prison.code, prisoner=estate["here"])
        response = client.get(reverse(pattern.name, kwargs=kwargs))
        # An action that only takes a POST (drawing a sample, marking an action done) answers GET with 405: it was
        # found and scoped, not refused as another prison's. Everything else must render.
        allowed = {200, 405} if "POST" in response.get("Allow", "") else {200}
        assert response.status_code in allowed, f"GET {route} gave {response.status_code}"


def test_a_prisoner_held_elsewhere_is_404_through_your_own_prison(client, estate, prison):
    client.force_login(estate["user"])
    url = reverse("prisoner_detail", kwargs={"prison_code": prison.code, "prison_number": estate["elsewhere"].pk})
    assert client.get(url).status_code == 404


def test_signed_out_users_are_sent_to_sign_in(client, estate, prison):
    response = client.get(reverse("prison_home", kwargs={"prison_code": prison.code}))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_prison_switcher_refuses_another_prison(client, estate, other_prison):
    client.force_login(estate["user"])
    assert client.post(reverse("prison_switch"), {"prison": other_prison.code}).status_code == 404


def test_the_prison_switcher_moves_to_another_of_your_prisons(client, staff_user_factory, prison, other_prison):
    user = staff_user_factory(roles=["homd"], prisons=[prison, other_prison])
    client.force_login(user)
    response = client.post(reverse("prison_switch"), {"prison": other_prison.code})
    assert response.status_code == 302
    assert response.url == reverse("prison_home", kwargs={"prison_code": other_prison.code})
    assert client.get(reverse("home")).url == reverse("prison_home", kwargs={"prison_code": other_prison.code})


def test_search_lists_only_this_prisons_people(client, estate, prison):
    client.force_login(estate["user"])
    response = client.get(reverse("prisoner_list", kwargs={"prison_code": prison.code}))
    numbers = [p.prison_number for p in response.context["page"].object_list]
    assert numbers == [estate["here"].prison_number]
