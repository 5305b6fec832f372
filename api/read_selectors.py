"""Reads behind the read API. Each takes a prisoner or prison the caller was already scoped to
(``api.permissions``), so nothing here widens what a caller can see. Query counts are constant per operation.

The handover of one case is "computed or stored, never missing for an OMiC case": the stored result where the
engine has one, else the engine runs on the fly for today (nothing is saved by a read).
"""

import datetime as dt
import functools
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import QuerySet

from cases.models import (
    CaseInformation,
    CommunityOffenderManager,
    LocalDeliveryUnit,
    PomAllocation,
    PomProfile,
    Prison,
    Prisoner,
)
from casework.early_allocation_selectors import early_allocation_latest_for_case, early_allocation_status
from handover.calculations import calculate
from handover.facts import facts_for
from handover.models import CalculatedHandover, Responsibility, ResponsibilityOverride
from handover.selectors import effective_responsibility
from handover.services.stored import result_values
from keywork.models import KeyworkAllocation, KeyworkSession, PomContact
from tiering.models import TierRecord

Role = PomAllocation.Role
POM, COM = "POM", "COM"


HANDOVER_FIELDS = (
    "inside_omic_policy",
    "responsibility",
    "handover_start_date",
    "handover_date",
    "reason",
    "handover_type",
    "policy",
    "earliest_release_type",
    "earliest_release_date",
    "calculated_on",
)
_COLUMNS = ("prison_number", "prison_code", "overridden", "pom_first_name", "pom_last_name", "pom_email", "com_name",
            "com_email", "ldu_name", "ldu_email", "stored", *HANDOVER_FIELDS)  # fmt: skip


@functools.cache
def _handover_sql(prison_count: int) -> str:
    # One hand-written query: the read API's busiest operation (issue #8 asks for 300 requests a second on two
    # cores), and compiling the equivalent ORM query (four joins, an EXISTS) cost more than running it.
    t = {m.__name__: m._meta.db_table for m in (Prisoner, CalculatedHandover, CaseInformation, PomAllocation)}
    override, com, ldu = (ResponsibilityOverride._meta.db_table, CommunityOffenderManager._meta.db_table,
                          LocalDeliveryUnit._meta.db_table)  # fmt: skip
    profile, user = PomProfile._meta.db_table, get_user_model()._meta.db_table
    handover = ", ".join(f"h.{name}" for name in HANDOVER_FIELDS)
    prisons = f" AND p.prison_id IN ({', '.join(['%s'] * prison_count)})" if prison_count else ""
    return f"""
        SELECT p.prison_number, p.prison_id,
               EXISTS(SELECT 1 FROM {override} o WHERE o.prisoner_id = p.prison_number AND o.removed_at IS NULL),
               u.first_name, u.last_name, u.email, com.name, com.email, ldu.name, ldu.email,
               h.prisoner_id IS NOT NULL, {handover}
        FROM {t["Prisoner"]} p
        LEFT JOIN {t["CalculatedHandover"]} h ON h.prisoner_id = p.prison_number
        LEFT JOIN {t["CaseInformation"]} ci ON ci.prisoner_id = p.prison_number
        LEFT JOIN {com} com ON com.id = ci.com_id
        LEFT JOIN {ldu} ldu ON ldu.id = ci.local_delivery_unit_id
        LEFT JOIN {t["PomAllocation"]} a ON a.prisoner_id = p.prison_number AND a.ended_at IS NULL AND a.role = %s
        LEFT JOIN {profile} pp ON pp.id = a.pom_id
        LEFT JOIN {user} u ON u.id = pp.user_id
        WHERE p.prison_number = %s{prisons}
    """  # noqa: S608 (table names from the models; every value is a parameter)


@functools.cache
def _prepared_cursor_class():
    from django.db.backends.postgresql.base import ServerBindingCursor  # psycopg 3 (pyproject.toml)

    class PreparedCursor(ServerBindingCursor):
        def execute(self, query, params=None, **kwargs):
            return super().execute(query, params, prepare=True, **kwargs)

    return PreparedCursor


def _prepared_cursor_factory():
    """On PostgreSQL, a cursor that binds its parameters on the server and prepares its statement.

    Planning the handover query (eight tables) cost PostgreSQL about 1.5 ms, four times running it; prepared, the
    plan is kept on the connection (CONN_MAX_AGE keeps it open) and PostgreSQL reuses a generic plan after five
    runs. None elsewhere (SQLite), or behind PgBouncer in transaction pooling (``DATABASE_PGBOUNCER``), where a
    statement prepared on one server connection may be run on another."""
    if connection.vendor != "postgresql" or connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS"):
        return None
    return _prepared_cursor_class()


def handover_row(*, prison_number: str, prison_codes) -> dict | None:
    """What the handover of one case shows, in one query; None if no such person in ``prison_codes`` (None: any)."""
    codes = sorted(prison_codes) if prison_codes is not None else []
    if prison_codes is not None and not codes:
        return None
    sql, params = _handover_sql(len(codes)), [Role.PRIMARY, prison_number, *codes]
    with connection.cursor() as cursor:  # Django's: the connection, its health check, query logging and wrappers
        # Not while queries are logged (DEBUG, assertNumQueries): Django logs a prepared run's SQL as None.
        factory = None if cursor.db.queries_logged else _prepared_cursor_factory()
        if factory is None:
            cursor.execute(sql, params)
            found = cursor.fetchone()
        else:
            raw = connection.connection
            threshold = raw.prepare_threshold  # None (Django's default) turns preparing off for the connection
            raw.prepare_threshold = threshold if threshold is not None else 5
            try:
                with type(cursor)(factory(raw), cursor.db) as prepared:
                    prepared.execute(sql, params)
                    found = prepared.fetchone()
            finally:
                raw.prepare_threshold = threshold
    return None if found is None else dict(zip(_COLUMNS, found, strict=True))


def _responsible(responsibility: str) -> str | None:
    if responsibility == Responsibility.COMMUNITY:
        return COM
    if responsibility in (Responsibility.CUSTODY_ONLY, Responsibility.CUSTODY_WITH_COM):
        return POM
    return None


def _com_contact(row: dict) -> dict | None:
    if row["com_name"] is not None:
        return {"kind": "COM", "name": row["com_name"], "email": row["com_email"] or None}
    if row["ldu_name"] is not None:  # no COM named yet: the delivery unit's functional mailbox is the contact
        return {"kind": "LDU", "name": row["ldu_name"], "email": row["ldu_email"] or None}
    return None


def handover_for_case(*, row: dict, today: dt.date) -> dict:
    """The handover of one case from a ``handover_row``: stored, or calculated now if none is stored."""
    if row["stored"]:
        values = {name: row[name] for name in HANDOVER_FIELDS}
        source = "stored"
    else:
        facts = facts_for(row["prison_number"], today)
        values = {**result_values(facts, calculate(facts, today)), "calculated_on": today}
        source = "calculated"
    inside = bool(values["inside_omic_policy"])
    overridden = inside and bool(row["overridden"])
    responsibility = Responsibility.COMMUNITY if overridden else (values["responsibility"] or "")
    responsible = _responsible(responsibility) if inside else None
    person = None
    if responsible == POM and row["pom_last_name"] is not None:
        name = f"{row['pom_first_name']} {row['pom_last_name']}".strip()
        person = {"kind": "POM", "name": name, "email": row["pom_email"] or None}
    elif responsible == COM:
        person = _com_contact(row)
    return {
        "prison_number": row["prison_number"],
        "prison_code": row["prison_code"],
        "inside_omic_policy": inside,
        "handover_start_date": values["handover_start_date"],
        "handover_date": values["handover_date"],
        "responsibility": responsible,
        "responsibility_detail": responsibility or None,
        "com_supporting": responsibility == Responsibility.CUSTODY_WITH_COM,
        "responsibility_overridden": overridden,
        "responsible_person": person,
        "com": _com_contact(row),
        "reason": values["reason"],
        "policy": values["policy"],
        "handover_type": values["handover_type"],
        "earliest_release_date": values["earliest_release_date"],
        "earliest_release_type": values["earliest_release_type"] or None,
        "source": source,
        "calculated_on": values["calculated_on"],
    }


def _pom(allocation: PomAllocation | None) -> dict | None:
    if allocation is None:
        return None
    user = allocation.pom.user
    return {
        "staff_id": allocation.pom_id,
        "name": user.get_full_name(),
        "email": user.email or None,
        "pom_type": allocation.pom.pom_type,
        "allocated_at": allocation.allocated_at,
        "prison_code": allocation.pom.prison_id,
    }


def allocation_for_case(*, prisoner: Prisoner) -> dict:
    """The case's primary and co-working POMs (one query)."""
    rows = PomAllocation.objects.filter(prisoner=prisoner, ended_at__isnull=True).select_related("pom__user")
    active = {a.role: a for a in rows}
    return {
        "prison_number": prisoner.prison_number,
        "prison_code": prisoner.prison_id,
        "primary_pom": _pom(active.get(Role.PRIMARY)),
        "co_working_pom": _pom(active.get(Role.CO_WORKING)),
    }


def primary_pom_for_case(*, prisoner: Prisoner) -> dict | None:
    allocation = (
        PomAllocation.objects.filter(prisoner=prisoner, ended_at__isnull=True, role=Role.PRIMARY)
        .select_related("pom__user", "pom__prison")
        .first()
    )
    if allocation is None:
        return None
    user = allocation.pom.user
    prison = allocation.pom.prison
    return {
        "prison_number": prisoner.prison_number,
        "name": user.get_full_name(),
        "email": user.email or None,
        "prison": {"code": prison.code, "name": prison.name},
    }


def offender_for_case(*, prisoner: Prisoner) -> dict:
    assessment = early_allocation_latest_for_case(prisoner=prisoner)
    code, label = early_allocation_status(assessment)
    return {
        "prison_number": prisoner.prison_number,
        "prison_code": prisoner.prison_id,
        "early_allocation": {
            "status": code,
            "status_label": label,
            "outcome": assessment.outcome if assessment is not None else None,
            "assessed_at": assessment.created_at if assessment is not None else None,
        },
    }


def caseload_for_prison(*, prison: Prison, pom_id: int | None) -> QuerySet[PomAllocation]:
    """Active allocations in the prison (optionally one POM's), with the case, in one query per page."""
    qs = PomAllocation.objects.filter(ended_at__isnull=True, pom__prison=prison, prisoner__prison=prison)
    if pom_id is not None:
        qs = qs.filter(pom_id=pom_id)
    return (
        qs.select_related("pom__user", "prisoner__case_information", "prisoner__calculated_handover")
        .annotate(
            responsibility=effective_responsibility(
                prisoner_ref="prisoner", stored="prisoner__calculated_handover__responsibility"
            )
        )
        .order_by("prisoner__last_name", "prisoner__first_name", "prisoner_id", "role")
    )


def caseload_row(allocation: PomAllocation) -> dict:
    prisoner = allocation.prisoner
    case = getattr(prisoner, "case_information", None)
    handover = getattr(prisoner, "calculated_handover", None)
    return {
        "prison_number": prisoner.prison_number,
        "first_name": prisoner.first_name,
        "last_name": prisoner.last_name,
        "pom": {"staff_id": allocation.pom_id, "name": allocation.pom.user.get_full_name()},
        "role": allocation.role,
        "allocated_at": allocation.allocated_at,
        "tier": (case.tier or None) if case is not None else None,
        "responsibility": _responsible(allocation.responsibility or ""),
        "handover_date": handover.handover_date if handover is not None else None,
    }


def handover_list_for_prison(*, prison: Prison, date_from: dt.date, date_to: dt.date) -> QuerySet:
    """Stored handovers in the prison with a handover date from ``date_from`` to ``date_to`` inclusive."""
    return (
        CalculatedHandover.objects.filter(
            prisoner__prison=prison, inside_omic_policy=True, handover_date__gte=date_from, handover_date__lte=date_to
        )
        .select_related("prisoner")
        .annotate(effective=effective_responsibility())
        .order_by("handover_date", "prisoner_id")
    )


def handover_list_row(row: CalculatedHandover) -> dict:
    return {
        "prison_number": row.prisoner_id,
        "first_name": row.prisoner.first_name,
        "last_name": row.prisoner.last_name,
        "handover_start_date": row.handover_start_date,
        "handover_date": row.handover_date,
        "responsibility": _responsible(row.effective or ""),
        "reason": row.reason,
        "policy": row.policy,
        "handover_type": row.handover_type,
    }


@dataclass
class KeyWork:
    allocation: KeyworkAllocation | None
    latest_session: KeyworkSession | None


def key_work_for_case(*, prisoner: Prisoner, sensitive: bool = False) -> KeyWork:
    """The current key worker and the latest session held (two queries); a sensitive session only if ``sensitive``
    (the caller may read sensitive notes)."""
    allocation = (
        KeyworkAllocation.objects.filter(prisoner=prisoner, ended_at__isnull=True)
        .select_related("key_worker__user")
        .first()
    )
    sessions = KeyworkSession.objects.filter(prisoner=prisoner, session_type=KeyworkSession.Type.SESSION)
    if not sensitive:
        sessions = sessions.exclude(is_sensitive=True)
    latest = sessions.select_related("key_worker").order_by("-session_date", "-id").first()
    return KeyWork(allocation=allocation, latest_session=latest)


def session_notes_since(*, prison_codes, since: dt.datetime, sensitive: bool) -> QuerySet[KeyworkSession]:
    qs = KeyworkSession.objects.filter(created_at__gte=since).select_related("key_worker")
    if prison_codes is not None:
        qs = qs.filter(prison_id__in=prison_codes)
    if not sensitive:
        qs = qs.exclude(is_sensitive=True)
    return qs.order_by("created_at", "id")


def pom_contacts_since(*, prison_codes, since: dt.datetime) -> QuerySet[PomContact]:
    qs = PomContact.objects.filter(created_at__gte=since).select_related("pom", "key_worker")
    if prison_codes is not None:
        qs = qs.filter(prison_id__in=prison_codes)
    return qs.order_by("created_at", "id")


def tier_for_crn(*, crn: str, prison_codes) -> tuple[CaseInformation, TierRecord | None] | None:
    """The case with this CRN (if in the caller's prisons) and its current tier record: two queries."""
    qs = CaseInformation.objects.filter(crn=crn).select_related("prisoner")
    if prison_codes is not None:
        qs = qs.filter(prisoner__prison_id__in=prison_codes)
    case = qs.first()
    if case is None:
        return None
    return case, TierRecord.objects.filter(prisoner_id=case.prisoner_id, current=True).first()
