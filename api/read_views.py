"""Read API: one case's allocation, primary POM, handover and early allocation status (issue #8).

Each view: ``required_scopes`` (api/permissions.py), the prisoner scoped to the caller's prisons (404 outside them,
400 naming ``prisonNumber`` for a malformed number, DECISIONS.md D-18), one selector, one output serializer.
"""

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from api import read_selectors as selectors
from api import scopes
from api.errors import problem_responses
from api.permissions import principal_for, prisoner_for_api, prisoner_number_for_api
from api.read_serializers import AllocationSerializer, HandoverSerializer, OffenderSerializer, PrimaryPomSerializer
from cases.validators import PRISON_NUMBER_PATTERN

PRISON_NUMBER = OpenApiParameter(
    "prisonNumber",
    str,
    OpenApiParameter.PATH,
    pattern=PRISON_NUMBER_PATTERN,
    examples=[OpenApiExample("A prison number", value="A1234BC")],
    description="Prison number (NOMIS offender number), like A1234BC. Another format is a 400 naming prisonNumber.",
)


class AllocationGetApi(APIView):
    required_scopes = (scopes.READ_ALLOCATIONS,)

    @extend_schema(
        operation_id="allocation_get",
        summary="The case's primary and co-working POMs",
        parameters=[PRISON_NUMBER],
        responses={200: AllocationSerializer, **problem_responses(400, 404)},
        tags=["allocations"],
    )
    def get(self, request, prisonNumber: str):
        prisoner = prisoner_for_api(request, prisonNumber)
        return Response(AllocationSerializer(selectors.allocation_for_case(prisoner=prisoner)).data)


class PrimaryPomGetApi(APIView):
    required_scopes = (scopes.READ_ALLOCATIONS,)

    @extend_schema(
        operation_id="allocation_primary_pom_get",
        summary="The case's primary POM: name, email and prison",
        description="404 when the case has no primary POM.",
        parameters=[PRISON_NUMBER],
        responses={200: PrimaryPomSerializer, **problem_responses(400, 404)},
        tags=["allocations"],
    )
    def get(self, request, prisonNumber: str):
        prisoner = prisoner_for_api(request, prisonNumber)
        data = selectors.primary_pom_for_case(prisoner=prisoner)
        if data is None:
            raise Http404("This case has no primary POM")
        return Response(PrimaryPomSerializer(data).data)


class HandoverGetApi(APIView):
    required_scopes = (scopes.READ_HANDOVERS,)

    @extend_schema(
        operation_id="handover_get",
        summary="The case's handover: dates, who is responsible (POM or COM), their contact, reason and policy",
        description=(
            "The stored result of the handover engine, or (when none is stored yet) the engine's result calculated "
            "for today; ``source`` says which. An active override to the COM (DECISIONS.md D-06) shows as COM "
            "responsible. Outside OMiC, ``insideOmicPolicy`` is false and there are no dates."
        ),
        parameters=[PRISON_NUMBER],
        responses={200: HandoverSerializer, **problem_responses(400, 404)},
        tags=["handovers"],
    )
    def get(self, request, prisonNumber: str):
        prisoner_number_for_api(request, prisonNumber)
        row = selectors.handover_row(prison_number=prisonNumber, prison_codes=principal_for(request).prison_codes)
        if row is None:
            raise Http404("No such person in the prisons this client may see")
        data = selectors.handover_for_case(row=row, today=timezone.localdate())
        return Response(HandoverSerializer(data).data)


class OffenderGetApi(APIView):
    required_scopes = (scopes.READ_ALLOCATIONS,)

    @extend_schema(
        operation_id="offender_get",
        summary="The case's early allocation status",
        parameters=[PRISON_NUMBER],
        responses={200: OffenderSerializer, **problem_responses(400, 404)},
        tags=["offenders"],
    )
    def get(self, request, prisonNumber: str):
        prisoner = prisoner_for_api(request, prisonNumber, select_related=("sentence",))
        return Response(OffenderSerializer(selectors.offender_for_case(prisoner=prisoner)).data)
