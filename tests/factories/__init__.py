"""factory-boy factories, one module per app. ``seed_demo`` builds the demo estate from these too."""

from tests.factories.cases import (
    CaseInformationFactory,
    CommunityOffenderManagerFactory,
    LocalDeliveryUnitFactory,
    PomProfileFactory,
    PrisonerFactory,
    PrisonFactory,
    SentenceFactory,
    StaffProfileFactory,
    UserFactory,
)

__all__ = [
    "CaseInformationFactory",
    "CommunityOffenderManagerFactory",
    "LocalDeliveryUnitFactory",
    "PomProfileFactory",
    "PrisonFactory",
    "PrisonerFactory",
    "SentenceFactory",
    "StaffProfileFactory",
    "UserFactory",
]
