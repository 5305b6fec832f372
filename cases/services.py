"""Writes of the records layer.

``prisoner_upsert`` is the write behind ``import_prisoners``: it compares the imported values with what is stored and
saves only what differs, one AuditEvent per changed object. An unchanged row writes nothing at all, so re-running an
import adds no history and no audit rows.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from cases.audit import audit_record
from cases.bulk import insert_rows
from cases.importing import rule_errors
from cases.models import AuditEvent, CaseInformation, CommunityOffenderManager, Prisoner, Sentence

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


def prisoner_lock(prison_number: str) -> None:
    """Lock one prisoner's row until the transaction ends: the lock the case services take first, so two changes to
    one case run one after the other. It is the prisoner's row, not the row being changed, because that row may not
    exist yet (a first plan, override or tier): a ``select_for_update`` that finds no row locks nothing."""
    Prisoner.objects.select_for_update().filter(pk=prison_number).values_list("pk").first()


def _prisoner_find(*, prison_number: str) -> Prisoner | None:
    # A private read: cases/selectors.py holds the user-scoped reads, and an import acts for no user.
    return Prisoner.objects.select_related("sentence", "case_information").filter(pk=prison_number).first()


def _crn_holder(*, crn: str, prison_number: str) -> str | None:
    """The prison number of another prisoner who already has this CRN, if any."""
    others = CaseInformation.objects.filter(crn=crn).exclude(prisoner_id=prison_number)
    return others.values_list("prisoner_id", flat=True).first()


def _com_find(*, email: str) -> CommunityOffenderManager | None:
    return CommunityOffenderManager.objects.filter(email__iexact=email).first()


def _changes(instance: models.Model, values: dict) -> dict[str, tuple]:
    """Field name -> (stored value, new value) for each value that differs. Foreign keys compare by key."""
    changes = {}
    for name, new in values.items():
        old = getattr(instance, instance._meta.get_field(name).attname)
        new_key = new.pk if isinstance(new, models.Model) else new
        if new_key != old or (isinstance(new, models.Model) and new.pk is None):
            changes[name] = (old, new)
    return changes


def _apply(instance: models.Model, changes: dict[str, tuple]) -> None:
    for name, (_, new) in changes.items():
        setattr(instance, name, new)


def _values(instance: models.Model | None) -> dict:
    if instance is None:
        return {}
    return {f.name: getattr(instance, f.attname) for f in instance._meta.concrete_fields if f.name != "id"}


def _com_resolve(*, com_data: dict, ldu) -> tuple[CommunityOffenderManager, dict[str, tuple]]:
    """The COM with this email, with a name change if the row names them differently; or a new, unsaved COM."""
    com = _com_find(email=com_data["email"])
    if com is None:
        if not com_data["name"]:
            raise ValidationError({"com_name": f"Enter the COM's name: no COM has the email {com_data['email']} yet"})
        return CommunityOffenderManager(email=com_data["email"], name=com_data["name"], local_delivery_unit=ldu), {}
    return com, _changes(com, {"name": com_data["name"]}) if com_data["name"] else {}


def _check(*, prisoner: Prisoner, sentence: Sentence | None, case: CaseInformation | None) -> None:
    """Refuse, naming the field, what the database would refuse: cross-field rules and a CRN held by someone else."""
    errors = rule_errors({**_values(prisoner), **_values(sentence), **_values(case)})
    if case is not None and case.crn:
        holder = _crn_holder(crn=case.crn, prison_number=prisoner.pk)
        if holder:
            errors["crn"] = f"CRN {case.crn} already belongs to prisoner {holder}"
    if errors:
        raise ValidationError(errors)


def _save(obj: models.Model, changes: dict[str, tuple], *, is_new: bool, prisoner: Prisoner, audit: dict) -> None:
    """Save a new object, or only the changed fields of a stored one, and record the change in the audit trail.

    A new object is inserted, never updated: a prisoner's key is their prison number, and Django's plain ``save()``
    would UPDATE first, quietly taking over a row another writer committed since this one looked (two identical PUTs
    at once both reported "created"). Inserted, the loser is refused by the key and the caller tries again."""
    if is_new:
        obj.save(force_insert=True)
    else:
        extra = ["updated_at"] if any(f.name == "updated_at" for f in obj._meta.concrete_fields) else []
        obj.save(update_fields=[*changes, *extra])
    audit_record(
        action="created" if is_new else "updated",
        obj=obj,
        before=None if is_new else {name: old for name, (old, _) in changes.items()},
        after={name: new for name, (_, new) in changes.items()},
        prisoner=prisoner,
        **audit,
    )


def _part(prisoner: Prisoner, *, name: str, model: type[models.Model], values: dict | None, created: bool):
    """The stored sentence or case information (or a new one) and its changes; (None, {}) if the row has none."""
    if values is None:
        return None, {}, False
    stored = None if created else getattr(prisoner, name, None)
    obj = stored or model(prisoner=prisoner)
    return obj, _changes(obj, values), stored is None


@transaction.atomic
def prisoner_upsert(*, data: dict, actor_label: str, actor=None, reason: str = "") -> str:
    """Create or update a prisoner, their sentence and case information, and the COM, from cleaned import values.

    ``data`` is what ``cases.importing.validate_row`` returns. Only the fields in it are compared and written.
    Returns "created", "updated" or "unchanged"; when unchanged nothing is saved. Raises ValidationError naming the
    field when the row breaks a rule, and then nothing of the row is saved.
    """
    number = data["prisoner"]["prison_number"]
    stored = _prisoner_find(prison_number=number)
    created = stored is None
    prisoner = stored or Prisoner(prison_number=number)
    prisoner_changes = _changes(prisoner, data["prisoner"])
    sentence, sentence_changes, new_sentence = _part(
        prisoner, name="sentence", model=Sentence, values=data.get("sentence"), created=created
    )
    case_values = dict(data.get("case_information") or {})
    com, com_changes = None, {}
    if data.get("com"):
        com, com_changes = _com_resolve(com_data=data["com"], ldu=case_values.get("local_delivery_unit"))
        case_values["com"] = com
    case, case_changes, new_case = _part(
        prisoner,
        name="case_information",
        model=CaseInformation,
        values=case_values if data.get("case_information") is not None else None,
        created=created,
    )
    new_com = com is not None and com.pk is None
    if new_com:
        com_changes = {"name": ("", com.name), "email": ("", com.email)}
    parts = (prisoner_changes, sentence_changes, case_changes, com_changes)
    if not (created or new_sentence or new_case or any(parts)):
        return UNCHANGED
    for obj, changes in ((prisoner, prisoner_changes), (sentence, sentence_changes), (case, case_changes)):
        if obj is not None:
            _apply(obj, changes)
    _check(prisoner=prisoner, sentence=sentence, case=case)
    audit = {"actor": actor, "actor_label": actor_label, "reason": reason}
    if created or prisoner_changes:
        _save(prisoner, prisoner_changes, is_new=created, prisoner=prisoner, audit=audit)
    if com is not None and com_changes:
        _apply(com, com_changes)
        _save(com, com_changes, is_new=new_com, prisoner=prisoner, audit=audit)
    for obj, changes, is_new in ((sentence, sentence_changes, new_sentence), (case, case_changes, new_case)):
        if obj is not None and (is_new or changes):
            _save(obj, changes, is_new=is_new, prisoner=prisoner, audit=audit)
    return CREATED if created else UPDATED


# The tier fields of a case (set by the tiering engine through these two functions, never directly).
TIER_FIELDS = ("tier", "tier_source", "tier_date")


def _tier_values(tier: str, tier_source: str, tier_date) -> dict:
    """The three tier fields, all set or all blank (CaseInformation's constraint), refused naming the field."""
    if not tier:
        if tier_source or tier_date is not None:
            raise ValidationError({"tier": "Enter the tier, or leave its source and date blank too"})
        return {"tier": "", "tier_source": "", "tier_date": None}
    errors = {}
    if tier not in CaseInformation.Tier.values:
        errors["tier"] = f"Tier {tier!r} is not one of {', '.join(CaseInformation.Tier.values)}"
    if tier_source not in CaseInformation.TierSource.values:
        errors["tier_source"] = (
            f"Tier source {tier_source!r} is not one of {', '.join(CaseInformation.TierSource.values)}"
        )
    if tier_date is None:
        errors["tier_date"] = "Enter the date the tier was set"
    if errors:
        raise ValidationError(errors)
    return {"tier": tier, "tier_source": tier_source, "tier_date": tier_date}


@transaction.atomic
def case_tier_set(
    *, prisoner: Prisoner, tier: str, tier_source: str, tier_date, actor=None, actor_label: str = "", reason: str = ""
) -> CaseInformation | None:
    """Set a case's tier, its source and date (all three, or all blank to clear them), creating the case information
    if there is none; audited. Writes nothing when they are already so (or when clearing a case with no case
    information, which is then returned as None). Raises ValidationError naming the field for a partial tier."""
    wanted = _tier_values(tier, tier_source, tier_date)
    case = CaseInformation.objects.filter(prisoner=prisoner).first()
    if case is None:
        if not wanted["tier"]:
            return None
        case, before = CaseInformation.objects.create(prisoner=prisoner, **wanted), None
    else:
        before = {name: getattr(case, name) for name in TIER_FIELDS}
        if before == wanted:
            return case
        for name, value in wanted.items():
            setattr(case, name, value)
        case.save(update_fields=[*TIER_FIELDS, "updated_at"])
    audit_record(
        action="created" if before is None else "updated",
        obj=case,
        before=before,
        after=wanted,
        actor=actor,
        actor_label=actor_label,
        prisoner=prisoner,
        reason=reason,
    )
    return case


def _tier_audit(*, case_id: int, prison_number: str, action: str, before, after, actor_label: str, reason: str):
    def clean(values):
        return None if values is None else {k: v.isoformat() if v is not None and k == "tier_date" else v
                                            for k, v in values.items()}  # fmt: skip

    return AuditEvent(
        actor_label=actor_label,
        action=action,
        prisoner_id=prison_number,
        prison_number=prison_number,
        object_type=CaseInformation._meta.label,
        object_id=str(case_id),
        before=clean(before),
        after=clean(after),
        reason=reason,
    )


def case_tiers_set(*, tiers: dict[str, tuple], actor_label: str, reason: str = "") -> dict[str, int]:
    """``case_tier_set`` for many cases at once: ``tiers`` maps prison numbers to (tier, tier_source, tier_date).

    For a bulk job (no user). A constant number of queries whatever the size: one read of the stored values, one
    UPDATE per distinct (tier, source, date), one INSERT of the missing case information and one of the audit events.
    Returns the counts created, updated and unchanged. Raises ValidationError (nothing written) for a partial tier.
    """
    wanted = {number: _tier_values(*values) for number, values in tiers.items()}
    # All or nothing, inside the caller's transaction when there is one (no savepoint: a bulk job's chunk).
    with transaction.atomic(savepoint=False):
        stored = {
            row[0]: row[1:]
            for row in CaseInformation.objects.filter(prisoner_id__in=wanted).values_list(
                "prisoner_id", "pk", *TIER_FIELDS
            )
        }
        groups: dict[tuple, list[int]] = {}
        new, audits, counts = [], [], {CREATED: 0, UPDATED: 0, UNCHANGED: 0}
        for number, values in wanted.items():
            if number not in stored:
                if values["tier"]:
                    new.append(CaseInformation(prisoner_id=number, **values))
                else:
                    counts[UNCHANGED] += 1
                continue
            pk, *old = stored[number]
            before = dict(zip(TIER_FIELDS, old, strict=True))
            if before == values:
                counts[UNCHANGED] += 1
                continue
            groups.setdefault(tuple(values.values()), []).append(pk)
            audit = {"actor_label": actor_label, "reason": reason, "prison_number": number}
            audits.append(_tier_audit(case_id=pk, action=UPDATED, before=before, after=values, **audit))
            counts[UPDATED] += 1
        # One UPDATE per distinct value (a handful: seven letters), cheaper than bulk_update's CASE over every row.
        now = timezone.now()
        for (tier, source, date), pks in groups.items():
            CaseInformation.objects.filter(pk__in=pks).update(
                tier=tier, tier_source=source, tier_date=date, updated_at=now
            )
        for case in CaseInformation.objects.bulk_create(new):
            after = {name: getattr(case, name) for name in TIER_FIELDS}
            audit = {"actor_label": actor_label, "reason": reason, "prison_number": case.prisoner_id}
            audits.append(_tier_audit(case_id=case.pk, action=CREATED, before=None, after=after, **audit))
            counts[CREATED] += 1
        stamp = timezone.now()
        for audit in audits:
            audit.created_at = stamp  # auto_now_add is not applied by COPY
        insert_rows(AuditEvent, audits)
        return counts
