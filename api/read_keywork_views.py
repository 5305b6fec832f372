"""Read API: a case's key work (current key worker and latest session) and a tier by CRN."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from api import read_selectors as selectors
from api import scopes
from api.errors import problem_responses
from api.permissions import crn_for_api, principal_for, prisoner_for_api
from api.read_serializers import KeyWorkSerializer, TierSerializer
from api.read_views import PRISON_NUMBER
from cases.validators import CRN_PATTERN


class KeyWorkGetApi(APIView):
    required_scopes = (scopes.READ_CASE_NOTES,)

    @extend_schema(
        operation_id="key_work_get",
        summary="The case's current key worker and latest key work session",
        description="A sensitive session is left out (the latest other one is given) unless the client also holds "
        "read_sensitive_notes.",
        parameters=[PRISON_NUMBER],
        responses={200: KeyWorkSerializer, **problem_responses(400, 404)},
        tags=["key work"],
    )
    def get(self, request, prisonNumber: str):
        prisoner = prisoner_for_api(request, prisonNumber)
        sensitive = principal_for(request).has_scope(scopes.READ_SENSITIVE_NOTES)
        found = selectors.key_work_for_case(prisoner=prisoner, sensitive=sensitive)
        allocation, session = found.allocation, found.latest_session
        body = {
            "prisonNumber": prisoner.prison_number,
            "keyWorker": None
            if allocation is None
            else {
                "staffId": allocation.key_worker.user_id,
                "name": allocation.key_worker.user.get_full_name(),
                "allocatedAt": allocation.allocated_at,
            },
            "latestSession": None
            if session is None
            else {
                "sessionDate": session.session_date,
                "durationMinutes": session.duration_minutes,
                "keyWorkerName": session.key_worker.get_full_name(),
            },
        }
        return Response(KeyWorkSerializer(body).data)


class TierGetApi(APIView):
    required_scopes = (scopes.READ_ALLOCATIONS,)

    @extend_schema(
        operation_id="tier_get",
        summary="The current tier of the case with this CRN",
        parameters=[
            OpenApiParameter(
                "crn", str, OpenApiParameter.PATH, pattern=CRN_PATTERN, description="CRN: a letter then 6 digits."
            )
        ],
        responses={200: TierSerializer, **problem_responses(400, 404)},
        tags=["tiers"],
    )
    def get(self, request, crn: str):
        crn_for_api(request, crn)
        found = selectors.tier_for_crn(crn=crn, prison_codes=principal_for(request).prison_codes)
        if found is None:
            raise Http404("No case with this CRN in the prisons this client may see")
        case, record = found
        body = {
            "crn": case.crn,
            "prisonNumber": case.prisoner_id,
            "tier": (record.tier if record else case.tier) or None,
            "score": record.score if record else None,
            "model": (record.model or None) if record else None,
            "source": (record.source if record else case.tier_source) or None,
            "provisional": bool(record and record.provisional),
            "calculatedOn": record.calculated_on if record else case.tier_date,
        }
        return Response(TierSerializer(body).data)
