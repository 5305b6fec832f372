"""Key work reads: a prison's key work standard, its key workers, who has whom, and the auto-allocation inputs.

Every read takes the prison the page was scoped to (cases.scoping), so nothing here crosses prisons. The KPI reads
are in ``keywork.kpi_selectors``.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet

from cases.models import Prison, Prisoner, Role
from keywork import calculations as calc
from keywork.models import KeyworkAllocation, KeyworkConfiguration, KeyWorkerProfile, KeyWorkerStatus

User = get_user_model()


def configuration_for_prison(*, prison: Prison) -> KeyworkConfiguration:
    """The prison's key work standard; an unsaved default when it has none (key work off in the male open estate)."""
    config = KeyworkConfiguration.objects.filter(prison=prison).first()
    if config is None:
        config = KeyworkConfiguration(prison=prison, is_enabled=prison.estate != Prison.Estate.MENS_OPEN)
    return config


@dataclass(frozen=True)
class KeyWorkerRow:
    """A key worker at a prison: a user with the key worker role there, and their profile if they have one (no
    profile means the defaults: active, the prison's capacity, takes auto-allocation)."""

    user: object
    profile: KeyWorkerProfile | None
    capacity: int
    maximum: int
    allocated: int
    last_auto_allocated_at: dt.datetime | None

    @property
    def id(self) -> int:
        return self.user.pk

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    @property
    def list_name(self) -> str:
        if self.user.last_name:
            return f"{self.user.last_name}, {self.user.first_name}"
        return self.user.get_username()

    @property
    def status(self) -> str:
        return self.profile.status if self.profile else KeyWorkerStatus.ACTIVE

    @property
    def status_label(self) -> str:
        return KeyWorkerStatus(self.status).label

    @property
    def return_date(self) -> dt.date | None:
        return self.profile.return_date if self.profile else None

    @property
    def allow_auto_allocation(self) -> bool:
        return self.profile.allow_auto_allocation if self.profile else True

    @property
    def is_active(self) -> bool:
        return self.status == KeyWorkerStatus.ACTIVE

    @property
    def is_full(self) -> bool:
        return self.allocated >= self.maximum


def _key_worker_users(*, prison: Prison) -> QuerySet:
    return (
        User.objects.filter(is_active=True, groups__name=Role.KEY_WORKER, staff_profile__prisons=prison)
        .prefetch_related(
            Prefetch("key_worker_profiles", queryset=KeyWorkerProfile.objects.filter(prison=prison), to_attr="kw")
        )
        .order_by("last_name", "first_name", "pk")
        .distinct()
    )


def key_worker_list_for_prison(*, prison: Prison, config: KeyworkConfiguration | None = None) -> list[KeyWorkerRow]:
    """Every key worker at the prison by name, with capacity, maximum, current caseload and last auto-allocation.
    Three queries whatever the number of key workers."""
    config = config or configuration_for_prison(prison=prison)
    stats = {
        row["key_worker__user_id"]: row
        for row in KeyworkAllocation.objects.filter(prison=prison)
        .values("key_worker__user_id")
        .annotate(
            allocated=Count("pk", filter=Q(ended_at__isnull=True)),
            last_auto=Max("auto_allocated_at"),
        )
    }
    rows = []
    for user in _key_worker_users(prison=prison):
        profile = user.kw[0] if user.kw else None
        override = profile.capacity if profile else None
        stat = stats.get(user.pk, {})
        rows.append(
            KeyWorkerRow(
                user=user,
                profile=profile,
                capacity=calc.key_worker_capacity(override=override, target_caseload=config.target_caseload),
                maximum=calc.key_worker_maximum(
                    override=override,
                    target_caseload=config.target_caseload,
                    maximum_caseload=config.maximum_caseload,
                ),
                allocated=stat.get("allocated", 0),
                last_auto_allocated_at=stat.get("last_auto"),
            )
        )
    return rows


def active_key_worker_count(*, prison: Prison) -> int:
    """How many of ``key_worker_list_for_prison``'s rows are active (no profile at the prison, or an active one), in
    one query and without building the rows (the daily key work figures need only the number)."""
    inactive_here = KeyWorkerProfile.objects.filter(user=OuterRef("pk"), prison=prison).exclude(
        status=KeyWorkerStatus.ACTIVE
    )
    return _key_worker_users(prison=prison).order_by().exclude(Exists(inactive_here)).count()


def key_worker_get_for_prison(*, prison: Prison, user_id: int) -> KeyWorkerRow | None:
    return next((row for row in key_worker_list_for_prison(prison=prison) if row.id == user_id), None)


def key_worker_caseload(*, prison: Prison, user_id: int) -> QuerySet[KeyworkAllocation]:
    """A key worker's current prisoners at the prison, by name."""
    return (
        KeyworkAllocation.objects.filter(prison=prison, key_worker__user_id=user_id, ended_at__isnull=True)
        .select_related("prisoner")
        .order_by("prisoner__last_name", "prisoner__first_name", "prisoner_id")
    )


def allocation_active_for_prisoner(*, prisoner: Prisoner) -> KeyworkAllocation | None:
    return (
        KeyworkAllocation.objects.filter(prisoner=prisoner, ended_at__isnull=True)
        .select_related("key_worker__user")
        .first()
    )


def allocation_history_for_prisoner(*, prisoner: Prisoner) -> list[KeyworkAllocation]:
    """Every key work allocation the prisoner has had, newest first."""
    return list(
        KeyworkAllocation.objects.filter(prisoner=prisoner)
        .select_related("key_worker__user", "prison", "allocated_by", "ended_by")
        .order_by("-allocated_at", "-id")
    )


def exclusion_for_prisoner(*, prisoner: Prisoner, config: KeyworkConfiguration) -> str | None:
    case = getattr(prisoner, "case_information", None)
    return calc.key_work_exclusion(
        key_work_enabled=config.is_enabled, womens_complexity=case.womens_complexity if case else ""
    )


HIGH_COMPLEXITY = Q(case_information__womens_complexity="high")

ALLOCATION_FILTERS = {
    "unallocated": "Without a key worker",
    "allocated": "With a key worker",
    "excluded": "Not eligible for key work",
    "all": "Everyone",
}


def prisoner_allocation_list(*, prison: Prison, config: KeyworkConfiguration, show: str) -> QuerySet[Prisoner]:
    """The prisoners at a prison with their current key worker (``current_allocation``, a list of 0 or 1),
    filtered to those without a key worker, with one, not eligible, or everyone; by name."""
    active = KeyworkAllocation.objects.filter(ended_at__isnull=True).select_related("key_worker__user")
    qs = (
        Prisoner.objects.filter(prison=prison)
        .select_related("case_information")
        .annotate(has_key_worker=Exists(active.filter(prisoner=OuterRef("pk"))))
        .prefetch_related(Prefetch("keywork_allocations", queryset=active, to_attr="current_allocation"))
        .order_by("last_name", "first_name", "prison_number")
    )
    if show == "excluded":
        return qs if not config.is_enabled else qs.filter(HIGH_COMPLEXITY)
    if show == "unallocated":
        return qs.none() if not config.is_enabled else qs.filter(has_key_worker=False).exclude(HIGH_COMPLEXITY)
    if show == "allocated":
        return qs.filter(has_key_worker=True)
    return qs


def eligible_prisoner_count(*, prison: Prison, config: KeyworkConfiguration) -> int:
    if not config.is_enabled:
        return 0
    return Prisoner.objects.filter(prison=prison).exclude(HIGH_COMPLEXITY).count()


@dataclass(frozen=True)
class AutoAllocationInputs:
    config: KeyworkConfiguration
    prisoners: list[calc.CandidatePrisoner]
    key_workers: list[KeyWorkerRow]
    candidates: list[calc.CandidateKeyWorker]
    excluded_count: int


def auto_allocation_inputs(*, prison: Prison) -> AutoAllocationInputs:
    """What the auto-allocation proposal needs (D-16): the eligible prisoners without a key worker, each with their
    previous key workers at this prison (newest first), and the active key workers who take auto-allocation."""
    config = configuration_for_prison(prison=prison)
    key_workers = key_worker_list_for_prison(prison=prison, config=config)
    candidates = [
        calc.CandidateKeyWorker(
            id=row.id,
            name=row.name,
            capacity=row.capacity,
            maximum=row.maximum,
            allocated=row.allocated,
            last_auto_allocated_at=row.last_auto_allocated_at,
        )
        for row in key_workers
        if row.is_active and row.allow_auto_allocation
    ]
    if not config.is_enabled:
        return AutoAllocationInputs(config, [], key_workers, candidates, 0)
    unallocated = prisoner_allocation_list(prison=prison, config=config, show="unallocated")
    people = list(unallocated.values_list("prison_number", "last_name", "first_name"))
    previous: dict[str, list[int]] = {}
    history = (
        KeyworkAllocation.objects.filter(prison=prison, prisoner__in=[number for number, *_ in people])
        .order_by("-allocated_at", "-id")
        .values_list("prisoner_id", "key_worker__user_id")
    )
    for number, user_id in history.iterator(chunk_size=2000):
        previous.setdefault(number, []).append(user_id)
    prisoners = [calc.CandidatePrisoner(n, last, first, tuple(previous.get(n, ()))) for n, last, first in people]
    excluded = Prisoner.objects.filter(prison=prison).filter(HIGH_COMPLEXITY).count()
    return AutoAllocationInputs(config, prisoners, key_workers, candidates, excluded)


def proposal_for_prison(*, prison: Prison) -> tuple[AutoAllocationInputs, calc.Proposal]:
    """The auto-allocation proposal for the prison as it is now (D-16). It saves nothing."""
    inputs = auto_allocation_inputs(prison=prison)
    return inputs, calc.propose_auto_allocation(prisoners=inputs.prisoners, key_workers=inputs.candidates)
