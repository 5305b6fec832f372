"""The records layer: prisons, prisoners, sentences, probation case information, staff and the audit trail."""

from cases.models.allocations import PomAllocation
from cases.models.audit import AuditEvent
from cases.models.casework import EarlyAllocation, ParoleReview
from cases.models.notices import Alert, SentEmail
from cases.models.prisoners import CaseInformation, Prisoner, Sentence
from cases.models.prisons import LocalDeliveryUnit, Prison
from cases.models.staff import CommunityOffenderManager, PomProfile, Role, StaffProfile

__all__ = [
    "Alert",
    "PomAllocation",
    "SentEmail",
    "AuditEvent",
    "CaseInformation",
    "CommunityOffenderManager",
    "EarlyAllocation",
    "LocalDeliveryUnit",
    "PomProfile",
    "Prison",
    "ParoleReview",
    "Prisoner",
    "Role",
    "Sentence",
    "StaffProfile",
]
