"""Demo allocations for ``seed_demo``: a realistic share of the demo cases get a POM, some a co-working POM too.

Demo data, not a workflow: rows are bulk-created (no audit events, no emails), like the rest of the demo estate.
About three in four cases that are ready to allocate get a primary POM of the recommended type where one is active
(otherwise the other type, with the override reason "no staff"), the least loaded first, and one in twenty of
those a co-working POM. The rest stay on the To allocate list, waiting.
"""

import datetime as dt
import random

from django.utils import timezone

from allocation.list_selectors import TO_ALLOCATE, allocation_list
from allocation.selectors import handover_for, is_immigration_case
from cases.models import PomAllocation, PomProfile, Prison
from tiering.selectors import recommended_pom_type

ALLOCATED_SHARE = 0.75
CO_WORKING_SHARE = 0.05


def demo_allocations_make(*, rng: random.Random, prison_codes, today: dt.date) -> int:
    """Allocate demo cases in the given prisons; returns how many allocations were made."""
    made = []
    now = timezone.now()
    for prison in Prison.objects.filter(code__in=list(prison_codes)):
        poms = list(PomProfile.objects.filter(prison=prison, status=PomProfile.Status.ACTIVE).order_by("pk"))
        if len(poms) < 2:
            continue
        load = dict.fromkeys((p.pk for p in poms), 0)
        for prisoner in allocation_list(prison=prison, which=TO_ALLOCATE, sort="name"):
            if rng.random() >= ALLOCATED_SHARE:
                continue
            handover = handover_for(prisoner)
            recommended, _ = recommended_pom_type(
                tier=prisoner.case_information.tier,
                pom_responsible=handover is None or handover.responsibility != "Community",
                immigration_case=is_immigration_case(prisoner),
            )
            matching = [p for p in poms if p.pom_type == recommended] or poms
            pom = min(matching, key=lambda p: (load[p.pk] / float(p.working_pattern), p.pk))
            load[pom.pk] += 1
            held = (today - prisoner.prison_arrival_date).days if prisoner.prison_arrival_date else 30
            since = now - dt.timedelta(days=rng.randint(0, max(0, min(400, held))))
            made.append(
                PomAllocation(
                    prisoner=prisoner,
                    pom=pom,
                    role=PomAllocation.Role.PRIMARY,
                    allocated_at=since,
                    recommended_pom_type=recommended,
                    override_reason="" if pom.pom_type == recommended else PomAllocation.OverrideReason.NO_STAFF,
                )
            )
            if rng.random() < CO_WORKING_SHARE:
                co = rng.choice([p for p in poms if p.pk != pom.pk])
                made.append(
                    PomAllocation(prisoner=prisoner, pom=co, role=PomAllocation.Role.CO_WORKING, allocated_at=since)
                )
    PomAllocation.objects.bulk_create(made, batch_size=500)
    return len(made)
