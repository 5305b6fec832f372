"""Walk every URL pattern of the project, and fill in its parameters from sample values.

Shared by the prison scoping walk (tests/omic/test_prison_scoping.py), the permission matrix walk
(tests/security/test_permission_matrix.py) and the CSRF walk: a new page is covered the day it is added, and a
new URL parameter without a sample value fails those tests until one is given here.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cases.models import PomProfile
from oversight.models import OversightAction

PRISON_ROLES = ["pom", "homd", "homs", "case_admin", "key_worker"]
METHODS = ["get", "post", "put", "patch", "delete", "head", "options"]


@dataclass(frozen=True)
class UrlEntry:
    route: str  # the whole route, e.g. "prisons/<prison:prison_code>/staff/"
    name: str | None  # the URL name, with its namespace ("admin:index"); None (or "admin:") when unnamed
    params: tuple[str, ...]  # every parameter the route takes, outer resolvers' included
    pattern: URLPattern

    @property
    def is_prison_page(self) -> bool:
        return "<prison:prison_code>" in self.route

    @property
    def callback(self):
        return self.pattern.callback

    def url(self, samples: dict) -> str:
        missing = [p for p in self.params if p not in samples]
        assert not missing, f"No sample value for URL parameter(s) {missing} of {self.name}: add one to the samples"
        return reverse(self.name, kwargs={p: samples[p] for p in self.params})


def _params(pattern) -> tuple[str, ...]:
    converters = getattr(pattern.pattern, "converters", None)
    if converters:
        return tuple(converters)
    return tuple(pattern.pattern.regex.groupindex)


def _walk(patterns, prefix="", namespace="", params=()):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}".strip(":") if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner, params + _params(entry))
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name or ''}" if namespace else entry.name  # "admin:" if unnamed
            yield UrlEntry(prefix + str(entry.pattern), name, params + _params(entry), entry)


def url_entries() -> list[UrlEntry]:
    """Every URL pattern of the project's URLconf (including the Django admin's)."""
    return list(_walk(get_resolver().url_patterns))


def prison_url_patterns() -> list[tuple[str, URLPattern]]:
    return [(e.route, e.pattern) for e in url_entries() if e.is_prison_page]


def prison_samples(*, prison_code: str, prisoner) -> dict:
    """Sample values for the parameters of prison pages: the case's own records, made by the estate's builder."""
    samples = {"prison_code": prison_code, "prison_number": prisoner.prison_number}
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
    return samples


def sample_kwargs(pattern: URLPattern, *, prison_code: str, prisoner) -> dict:
    """The keyword arguments of a prison page's URL (used by the prison scoping walk)."""
    samples = prison_samples(prison_code=prison_code, prisoner=prisoner)
    names = list(pattern.pattern.converters)
    missing = [n for n in names if n not in samples]
    assert not missing, f"No sample value for URL parameter(s) {missing} of {pattern.name}: add one to prison_samples"
    return {n: samples[n] for n in names}


def build_case_records(prisoner) -> None:
    """Give a case the records the prison pages' URLs point at: sentence, case information, a POM at the prison,
    a parole review, a case task and an oversight audit with an action."""
    from django.utils import timezone

    from oversight.models import OversightAudit
    from tests.factories import CaseInformationFactory, PomProfileFactory, SentenceFactory
    from tests.factories.casework import CaseTaskFactory, ParoleReviewFactory

    SentenceFactory(prisoner=prisoner)
    CaseInformationFactory(prisoner=prisoner)
    pom = PomProfileFactory(prison=prisoner.prison)
    ParoleReviewFactory(prisoner=prisoner)
    CaseTaskFactory(prisoner=prisoner)
    now = timezone.now()
    month = timezone.localdate().replace(day=1)
    audit = OversightAudit.objects.create(prison=prisoner.prison, prisoner=prisoner, pom=pom, month=month, added_at=now)
    OversightAction.objects.create(audit=audit, description="Book a contact", due_date=month, created_at=now)
