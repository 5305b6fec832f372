"""The scopes an API client can hold (issue #8). A client may also be restricted to some prisons."""

READ_ALLOCATIONS = "read_allocations"
READ_HANDOVERS = "read_handovers"
READ_CASE_NOTES = "read_case_notes"  # case notes and key work; sensitive notes need READ_SENSITIVE_NOTES too
READ_SENSITIVE_NOTES = "read_sensitive_notes"
WRITE_PRISONERS = "write_prisoners"
WRITE_PROBATION = "write_probation"
MANAGE_WEBHOOKS = "manage_webhooks"

SCOPES = {
    READ_ALLOCATIONS: "Read allocations",
    READ_HANDOVERS: "Read handovers",
    READ_CASE_NOTES: "Read case notes and key work",
    READ_SENSITIVE_NOTES: "Read sensitive case notes",
    WRITE_PRISONERS: "Write prisoner data",
    WRITE_PROBATION: "Write probation data",
    MANAGE_WEBHOOKS: "Manage webhooks",
}

# Added with the read API: a subject access request returns everything held about a person, so it has its own scope.
READ_SUBJECT_ACCESS = "read_subject_access"
SCOPES[READ_SUBJECT_ACCESS] = "Read everything held about a person (subject access requests)"

# What a signed-in member of staff may read through the API with their browser session (DECISIONS.md D-17): the
# same prisons as their pages, read-only, no sensitive notes and no subject access requests.
STAFF_SESSION_SCOPES = frozenset({READ_ALLOCATIONS, READ_HANDOVERS, READ_CASE_NOTES})
# A key worker (and no OMU role) reads only what key work needs: key work and case notes (issue #9), as on the pages.
KEY_WORKER_SESSION_SCOPES = frozenset({READ_CASE_NOTES})
