"""API operations: read. Reads need no transaction, so each view opts out of ATOMIC_REQUESTS (except the subject
access request, which records the read on the audit trail)."""

from django.db import transaction
from django.urls import path

from api.read_keywork_views import KeyWorkGetApi, TierGetApi
from api.read_list_views import CaseloadListApi, CaseNoteListApi, HandoverListApi
from api.read_sar_views import SubjectAccessRequestApi
from api.read_views import AllocationGetApi, HandoverGetApi, OffenderGetApi, PrimaryPomGetApi


def _read(view):
    return transaction.non_atomic_requests(view.as_view())


urlpatterns = [
    path("allocation/<str:prisonNumber>", _read(AllocationGetApi), name="api_allocation"),
    path("allocation/<str:prisonNumber>/primary-pom", _read(PrimaryPomGetApi), name="api_allocation_primary_pom"),
    path("handovers/<str:prisonNumber>", _read(HandoverGetApi), name="api_handover"),
    path("offenders/<str:prisonNumber>", _read(OffenderGetApi), name="api_offender"),
    path("prisons/<str:code>/caseload", _read(CaseloadListApi), name="api_prison_caseload"),
    path("prisons/<str:code>/handovers", _read(HandoverListApi), name="api_prison_handovers"),
    path("key-work/<str:prisonNumber>", _read(KeyWorkGetApi), name="api_key_work"),
    path("case-notes", _read(CaseNoteListApi), name="api_case_notes"),
    path("tiers/<str:crn>", _read(TierGetApi), name="api_tier"),
    path("subject-access-request", SubjectAccessRequestApi.as_view(), name="api_subject_access_request"),
]
