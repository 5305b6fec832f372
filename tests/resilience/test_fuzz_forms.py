"""Fuzzed form posts (hypothesis): every POST form the service renders (found by walking the URL patterns), posted
with its real field names holding random text, NUL, huge, unicode and out-of-range values. Never a 500; and when the
page answers 200 (the form again, with its errors), not one row anywhere changed."""

import os

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import PrisonerFactory
from tests.resilience.counts import changed_counts, row_counts
from tests.resilience.forms_walk import post_forms
from tests.resilience.fuzz_tally import count
from tests.url_walk import PRISON_ROLES, build_case_records

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_FORM_EXAMPLES", "10"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
NASTY = st.sampled_from(
    ["", " ", "0", "-1", "1.5", "abc", "99999999999", "2026-02-30", "9999-12-31", "x" * 5000, "Zoë 🎉", "\u202e",
     "a\x00b", "<script>alert(1)</script>", "' OR 1=1 --", "A1234BC", "LEI", "true", "on"]
)  # fmt: skip


def _values(form):
    """A dict of the form's own field names: each left out, a real choice, or something nasty."""
    fields = {}
    for name, choices in sorted(form.fields.items()):
        options = [NASTY, st.text(max_size=40)] + ([st.sampled_from(choices)] if choices else [])
        fields[name] = st.one_of(st.none(), *options)
    return st.fixed_dictionaries(fields).map(lambda d: {k: v for k, v in d.items() if v is not None})


@pytest.fixture
def walker(client, prison, staff_user_factory):
    prisoner = PrisonerFactory(prison=prison)
    build_case_records(prisoner)
    user = staff_user_factory(roles=[*PRISON_ROLES, "service_admin"], prisons=[prison], username="everything")
    client.force_login(user)
    return prisoner


def test_every_post_form_survives_fuzzed_input(client, walker, prison):
    pom = prison.pom_profiles.get()  # build_case_records' POM
    case = {"prison_code": prison.code, "prison_number": walker.pk}
    extra = [
        reverse("task_timescale_change", kwargs={"key": "recall_meeting"}),
        reverse("allocation_confirm", kwargs=case) + f"?pom={pom.pk}",
    ]
    forms = post_forms(client, prison_code=prison.code, prisoner=walker, extra_pages=extra)
    assert len(forms) >= 10, [str(f) for f in forms]  # the walk really found the service's forms
    statuses = {}
    for form in forms:
        _fuzz(client, form, statuses)
    print(f"{len(forms)} POST forms fuzzed; answers: {dict(sorted(statuses.items()))}")
    print("\n".join(str(form) for form in forms))


def _fuzz(client, form, statuses: dict) -> None:
    @FUZZ
    @given(data=_values(form))
    def post(data):
        before = row_counts()
        response = client.post(form.action, data)  # an exception in the view fails the test here
        assert response.status_code != 500, f"POST {form.action} {data!r}"
        if response.status_code == 200:
            changed = changed_counts(before, row_counts())
            assert changed == {}, f"POST {form.action} answered 200 but changed {changed}"
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        count(f"form posts ({response.status_code})")

    post()
