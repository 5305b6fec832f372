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
