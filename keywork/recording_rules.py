"""Permissions for key work recording (loaded by ``keywork/rules.py``, which django-rules autodiscovers).

Who may read a sensitive session note: OMU staff (the HOMD, the HOMS and case administrators), the prisoner's POM
(primary or co-working, while allocated) and the key worker who held the session. Everyone else who can see the case
sees that the session happened, not what was written.
"""

import rules

from cases.rules import is_case_admin, is_homd, is_homs, is_key_worker, is_omu_manager, is_pom, is_prison_staff


@rules.predicate
def is_case_pom(user, prisoner) -> bool:
    """The user is the prisoner's POM now (an active primary or co-working allocation)."""
    if prisoner is None or not user.is_authenticated:
        return False
    return prisoner.pom_allocations.filter(ended_at__isnull=True, pom__user=user).exists()


@rules.predicate
def is_session_author(user, session) -> bool:
    return session is not None and user.is_authenticated and session.key_worker_id == user.pk


is_omu_sensitive_reader = is_omu_manager | is_case_admin


@rules.predicate
def can_read_sensitive_notes_of_case(user, prisoner) -> bool:
    return is_omu_sensitive_reader(user) or is_case_pom(user, prisoner)


@rules.predicate
def can_read_session_note(user, session) -> bool:
    if session is None:
        return False
    if not session.is_sensitive:
        return True
    return is_session_author(user, session) or can_read_sensitive_notes_of_case(user, session.prisoner)


rules.add_perm("keywork.view_own_caseload", is_key_worker)
rules.add_perm("keywork.view_case_key_work", is_prison_staff)
rules.add_perm("keywork.record_session", is_key_worker)
rules.add_perm("keywork.record_pom_contact", is_key_worker | is_pom)
rules.add_perm("keywork.manage_progression_plan", is_key_worker | is_pom)
# The same for one case (checked with the prisoner on POST): a key worker records for any prisoner of the prison
# (they cover each other's sessions), a POM only for the cases allocated to them (issue #9: a POM does not change
# another POM's case).
rules.add_perm("keywork.record_case_pom_contact", is_key_worker | (is_pom & is_case_pom))
rules.add_perm("keywork.manage_case_progression_plan", is_key_worker | (is_pom & is_case_pom))
rules.add_perm("keywork.read_session_note", can_read_session_note)
# A custodial manager or the HOMS reviews key work entries (WF-03); the HOMD quality-assures key work too.
rules.add_perm("keywork.review_quality", is_homs | is_homd)
