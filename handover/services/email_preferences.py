"""A POM's opt-outs from the three handover reminder emails. Each change is audited."""

from django.db import transaction

from cases.audit import audit_record
from handover.models import HandoverEmailPreference

PREFERENCE_FIELDS = ("upcoming_handover", "handover_date", "com_allocation_overdue")


@transaction.atomic
def handover_email_preference_update(*, user, wanted: dict[str, bool]) -> HandoverEmailPreference:
    """Store which reminder emails the POM wants. Saves (and audits) only what changed."""
    preference = HandoverEmailPreference.objects.select_for_update().filter(user=user).first()
    created = preference is None
    preference = preference or HandoverEmailPreference(user=user)
    changes = {
        name: (getattr(preference, name), bool(wanted[name]))
        for name in PREFERENCE_FIELDS
        if name in wanted and getattr(preference, name) != bool(wanted[name])
    }
    if not changes and not created:
        return preference
    for name, (_, new) in changes.items():
        setattr(preference, name, new)
    preference.save()
    audit_record(
        action="handover_email_preferences_updated",
        obj=preference,
        before=None if created else {name: old for name, (old, _) in changes.items()},
        after={name: new for name, (_, new) in changes.items()},
        actor=user,
    )
    return preference
