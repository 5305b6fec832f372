"""Demo oversight for ``seed_demo``: three months of samples at each demo prison, the past months audited by the
prison's HOMD and about half of this month, with actions for the POMs after the weaker audits.

Demo data through the services (so the audits show on the case timelines). The answers follow the inspection's
baselines loosely: management oversight effective in under a quarter of cases (omic-requirements.md 6.6).
"""

import datetime as dt
import random
from collections import Counter

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.utils import timezone

from cases.models import Prison, Role
from oversight.models import ANSWER_FIELDS, OversightAudit
from oversight.services import (
    oversight_action_add,
    oversight_action_done,
    oversight_audit_complete,
    oversight_sample_draw,
)

ANSWER_WEIGHTS = {"yes": 4, "partly": 3, "no": 3}
OVERALL_WEIGHTS = {"yes": 2, "partly": 4, "no": 4}
ACTIONS = (
    "Update the risk management plan and share it with the COM",
    "Record a face-to-face contact with the person this month",
    "Contact the COM to start preparing the handover",
    "Share the latest key work and security information with the COM",
)


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def demo_oversight_make(*, rng: random.Random, prison_codes, today: dt.date) -> Counter:
    tally: Counter = Counter()
    now = timezone.now()
    users = get_user_model().objects
    for prison in Prison.objects.filter(code__in=list(prison_codes)).order_by("code"):
        homd = users.filter(groups__name=Role.HOMD, staff_profile__prisons=prison).order_by("pk").first()
        for back in (2, 1, 0):
            month_day = today - relativedelta(months=back)
            tally["oversight samples"] += len(
                oversight_sample_draw(prison=prison, today=month_day, now=now, actor_label="seed_demo")
            )
            if homd is None:
                continue
            audits = OversightAudit.objects.filter(prison=prison, month=month_day.replace(day=1), completed_at=None)
            for audit in audits.select_related("prisoner", "pom"):
                if back == 0 and rng.random() < 0.5:
                    continue
                answers = {name: _pick(rng, ANSWER_WEIGHTS) for name in ANSWER_FIELDS[:-1]}
                answers["overall"] = _pick(rng, OVERALL_WEIGHTS)
                audit = oversight_audit_complete(
                    audit=audit, answers=answers, notes={"overall_notes": "Demo audit."}, auditor=homd, now=now
                )
                tally["oversight audits"] += 1
                if answers["overall"] != "yes":
                    action = oversight_action_add(
                        audit=audit,
                        description=rng.choice(ACTIONS),
                        due_date=today + dt.timedelta(days=rng.randint(0, 28)),
                        actor=homd,
                        today=today,
                        now=now,
                    )
                    tally["oversight actions"] += 1
                    if back == 2 and rng.random() < 0.6:
                        oversight_action_done(action=action, user=audit.pom.user, now=now)
    return tally
