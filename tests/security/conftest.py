"""The estate the permission matrix walk runs over, built once per test function.

Two prisons. In ours: one user per role (a POM with a POM profile and a case of their own, a key worker with a
profile and an allocated prisoner), national viewer and service admin (no prisons), and ``case``, a case that is
not the walking POM's (another POM's, with a handover checklist to tick, a recall placement to decide, a sensitive
key work note by another key worker, a parole review, a task and an oversight audit). In the other prison: one
user per prison role, each of whom must get 404 for every prison page of ours.
"""

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from api.client_services import api_client_register
from cases.models import PomAllocation
from handover.models import SweepRun, SweepRunPrison
from integration.models import InboundEvent, WebhookDelivery, WebhookSubscription
from omic.permission_matrix import PRISON_ROLES, ROLES
from oversight.models import ANSWER_FIELDS, OversightAudit
from tests.factories import PrisonerFactory, PrisonFactory, StaffProfileFactory, UserFactory
from tests.factories.cases import PomProfileFactory
from tests.factories.handover import CalculatedHandoverFactory
from tests.factories.keywork_recording import (
    KeyworkAllocationFactory,
    KeyWorkerProfileFactory,
    KeyworkSessionFactory,
)
from tests.url_walk import build_case_records, prison_samples

SENSITIVE_TEXT = "Disclosed a risk to a named member of staff"
ORDINARY_TEXT = "Talked about getting onto the kitchen course"


@dataclass
class Estate:
    prison: object
    other_prison: object
    case: object  # not the walking POM's case
    own_case: object  # the walking POM's case
    users: dict  # role -> user in our prison (national viewer and service admin: no prison)
    outsiders: dict  # prison role -> user working only in the other prison
    samples: dict = field(default_factory=dict)
    sensitive_session: object = None

    def samples_for(self, prisoner) -> dict:
        return {**self.samples, **prison_samples(prison_code=self.prison.code, prisoner=prisoner)}


def _user(role: str, prisons, username: str):
    user = UserFactory(roles=[role], username=username)
    StaffProfileFactory(user=user, prisons=list(prisons))
    return user


def _allocate(prisoner, pom_profile):
    return PomAllocation.objects.create(
        prisoner=prisoner, pom=pom_profile, role=PomAllocation.Role.PRIMARY, allocated_at=timezone.now()
    )


def _service_records(prison) -> dict:
    now = timezone.now()
    event = InboundEvent.objects.create(
        event_id="matrix-event-1",
        client_pk=0,
        event_type="prisoner.released",
        prison_number="A9999ZZ",
        occurred_at=now,
        received_at=now,
        received_from="tests",
        status="parked",
    )
    subscription = WebhookSubscription.objects.create(
        name="Matrix receiver",
        url="https://receiver.example.com/hook",
        secret="s" * 40,
        event_types=["allocation.changed"],
        created_at=now,
        created_by="tests",
    )
    delivery = WebhookDelivery.objects.create(
        subscription=subscription,
        event_type="allocation.changed",
        prison_number="A9999ZZ",
        payload={},
        status="failed",
        next_attempt_at=now,
        created_at=now,
    )
    client, _secret = api_client_register(name="Matrix client", scopes=["read_allocations"], actor_label="tests")
    # an unfinished fanned-out sweep (started an hour ago, its one prison not done): the resume action has work
    sweep_run = SweepRun.objects.create(
        started_at=now - dt.timedelta(hours=1), calculated_on=now.date(), fanout=True, prisons_total=1
    )
    SweepRunPrison.objects.create(run=sweep_run, prison=prison)
    return {
        "pk": event.pk,  # the integration pages' own records
        "subscription_pk": subscription.pk,
        "delivery_pk": delivery.pk,
        "deliveryId": delivery.delivery_id,
        "key": "initial_oasys_determinate",  # a task timescale
        "client_id": client.client_id,
        "eventId": "matrix-event-1",
        "run_id": sweep_run.pk,
    }


@pytest.fixture
def estate(db, settings) -> Estate:
    # Passwords are not under test here (every user signs in with force_login): a fast hasher saves seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    prison = PrisonFactory(code="LEI", name="HMP Leeds")
    other_prison = PrisonFactory(code="MDI", name="HMP Moorland")
    users = {role: _user(role, [prison] if role in PRISON_ROLES else [], f"matrix-{role}") for role in ROLES}
    pom_profile = PomProfileFactory(user=users["pom"], prison=prison)
    kw_profile = KeyWorkerProfileFactory(user=users["key_worker"], prison=prison)

    case = PrisonerFactory(prison=prison, legal_status="recall")
    build_case_records(case)  # its POM is another POM of the prison
    case_pom = case.oversight_audits.get().pom
    StaffProfileFactory(user=case_pom.user, prisons=[prison])
    _allocate(case, case_pom)
    CalculatedHandoverFactory(prisoner=case)
    other_key_worker = _user("key_worker", [prison], "matrix-other-kw")
    KeyworkAllocationFactory(prisoner=case, key_worker=KeyWorkerProfileFactory(user=other_key_worker, prison=prison))
    sensitive = KeyworkSessionFactory(
        prisoner=case,
        key_worker=other_key_worker,
        notes=SENSITIVE_TEXT,
        is_sensitive=True,
        session_date=dt.date.today(),
    )
    KeyworkSessionFactory(prisoner=case, key_worker=other_key_worker, notes=ORDINARY_TEXT, session_date=dt.date.today())

    own_case = PrisonerFactory(prison=prison)
    build_case_records(own_case)
    _allocate(own_case, pom_profile)
    own_case.oversight_audits.update(pom=pom_profile)  # its oversight audit is of the walking POM's work
    answers = {n: OversightAudit.Answer.values[0] for n in ANSWER_FIELDS}
    for prisoner in (case, own_case):  # both audits completed: the POM sees the outcome and its actions
        prisoner.oversight_audits.update(completed_at=timezone.now(), **answers)
    CalculatedHandoverFactory(prisoner=own_case)
    KeyworkAllocationFactory(prisoner=own_case, key_worker=kw_profile)

    elsewhere = PrisonerFactory(prison=other_prison)
    build_case_records(elsewhere)
    outsiders = {role: _user(role, [other_prison], f"outsider-{role}") for role in PRISON_ROLES}
    estate = Estate(prison, other_prison, case, own_case, users, outsiders, sensitive_session=sensitive)
    estate.samples = {
        **_service_records(prison),
        "prisonNumber": case.prison_number,
        "code": prison.code,
        "crn": case.case_information.crn,
        # The Django admin's parameters: any value reaches its sign-in gate.
        "object_id": "1",
        "content_type_id": "1",
        "id": "1",
        "url": "anything/",
        "app_label": "cases",
    }
    estate.elsewhere = elsewhere
    return estate
