"""Ingest API: PUT a prisoner (with the current sentence) and PUT a case's case information (issue #8).

Both are idempotent: the services compare and write only what differs, so the same PUT twice answers "unchanged"
the second time and writes nothing (no audit or history rows). Bad input is a 400 problem naming the field; a
prisoner held in a prison outside the client's prisons is a 404, whether or not they exist.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from api import scopes
from api.errors import problem_responses
from api.ingest_serializers import IngestResultSerializer, api_errors
from api.parsers import FiniteJSONParser
from api.permissions import check_prison_visible, principal_for, prisoner_number_for_api
from integration.ingest_services import (
    CREATED,
    PrisonerNotFound,
    case_information_put,
    prisoner_find,
    prisoner_put,
)
from integration.payloads import CaseInformationSerializer, PrisonerSerializer

PRISON_NUMBER = OpenApiParameter(
    "prisonNumber", str, OpenApiParameter.PATH, description="Prison number (NOMIS offender number), like A1234BC."
)


def _visible_prisoner_or_404(request, number: str):
    """The stored prisoner (None if new); 404 if they are held in a prison the client may not see."""
    prisoner = prisoner_find(prison_number=number)
    if prisoner is not None:
        check_prison_visible(request, prisoner.prison_id)
    return prisoner


CRN_IN_USE = "This CRN is already in use"


def _neutral(errors: dict) -> dict:
    """A CRN held by another prisoner is refused without naming them (they may be in a prison the client may not
    see): the service's message names the holder."""
    if "crn" in errors:
        errors["crn"] = [CRN_IN_USE if "already belongs" in m else m for m in errors["crn"]]
    return errors


class WriteConflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Someone else changed this case at the same time: send the request again"
    default_code = "conflict"


def _write(write):
    """Run a service; its field-named refusals become 400 problems naming the API field. A write refused by the
    database because another writer stored the same row at the same moment (two identical PUTs at once) is tried
    once more in a fresh transaction, which then sees the other write; refused again, it is a 409."""
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                return write()
        except DjangoValidationError as error:
            raise exceptions.ValidationError(_neutral(api_errors(error))) from None
        except IntegrityError:
            if attempt == 2:
                raise WriteConflict() from None
    raise AssertionError("unreachable")


class PrisonerPutApi(APIView):
    required_scopes = (scopes.WRITE_PRISONERS,)
    parser_classes = [FiniteJSONParser]

    @extend_schema(
        operation_id="prisoner_put",
        summary="Create or update a prisoner: details, prison, legal status, location and the current sentence",
        description=(
            "Idempotent. A field left out is stored as not known; ``sentence`` left out keeps the stored sentence. "
            "201 when the prisoner was created, 200 otherwise (``outcome`` says whether anything changed). Moving "
            "the prisoner to another prison ends their POM allocations (trigger transfer). The prison must be one "
            "of the client's prisons (404 otherwise)."
        ),
        parameters=[PRISON_NUMBER],
        request=PrisonerSerializer,
        responses={200: IngestResultSerializer, 201: IngestResultSerializer, **problem_responses(400, 404, 409)},
        tags=["ingest"],
    )
    def put(self, request, prisonNumber: str):
        number = prisoner_number_for_api(request, prisonNumber)
        _visible_prisoner_or_404(request, number)
        serializer = PrisonerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        check_prison_visible(request, serializer.validated_data["prisoner"]["prison"].pk)
        label = principal_for(request).label
        outcome = _write(
            lambda: prisoner_put(
                prison_number=number, data=serializer.validated_data, actor_label=label, actor=request.user
            )
        )
        code = status.HTTP_201_CREATED if outcome == CREATED else status.HTTP_200_OK
        return Response({"prisonNumber": number, "outcome": outcome}, status=code)


class CaseInformationPutApi(APIView):
    required_scopes = (scopes.WRITE_PROBATION,)
    parser_classes = [FiniteJSONParser]

    @extend_schema(
        operation_id="prisoner_case_information_put",
        summary="Store what probation holds about a case: CRN, tier inputs, RoSH, MAPPA, delivery unit and COM",
        description=(
            "Idempotent. A field left out is stored as not known (``com`` left out or null: no COM allocated); "
            "``tierInputs`` left out keeps the stored tier inputs, sent ones recalculate the tier. 404 for a "
            "prisoner not known here (PUT the prisoner first) or outside the client's prisons."
        ),
        parameters=[PRISON_NUMBER],
        request=CaseInformationSerializer,
        responses={200: IngestResultSerializer, **problem_responses(400, 404, 409)},
        tags=["ingest"],
    )
    def put(self, request, prisonNumber: str):
        number = prisoner_number_for_api(request, prisonNumber)
        if _visible_prisoner_or_404(request, number) is None:
            raise Http404("No such person in the prisons this client may see: PUT the prisoner first")
        serializer = CaseInformationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        label = principal_for(request).label
        try:
            outcome = _write(
                lambda: case_information_put(
                    prison_number=number,
                    data=serializer.validated_data,
                    actor_label=label,
                    today=timezone.localdate(),
                    actor=request.user,
                )
            )
        except PrisonerNotFound:
            raise Http404("No such person: PUT the prisoner first") from None
        return Response({"prisonNumber": number, "outcome": outcome})
