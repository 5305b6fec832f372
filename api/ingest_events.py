"""Domain events in: POST /api/v1/events stores the event and answers 202; Celery processes it (issue #8).

Idempotent by ``eventId`` per client (another client's ids are neither seen nor refused): the same id again is
stored once (200, ``duplicate: true``); the same id with other content is a 409. Numbers must be finite. The scope
depends on the event type: prisoner events need "write prisoner data", probation events (COM allocated, tier
changed) "write probation data". A client limited to some prisons may send events only about people held in them
(and, for a move, into them); 404 otherwise.
"""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from api import scopes
from api.errors import problem_responses
from api.ingest_serializers import EventAcceptedSerializer, EventInSerializer, EventOutSerializer
from api.parsers import FiniteJSONParser
from api.permissions import check_prison_visible, principal_for
from integration.event_services import EventConflict, event_receive
from integration.ingest_services import prisoner_find
from integration.models import EventType
from integration.selectors import event_get

PROBATION_EVENTS = {EventType.COM_ALLOCATED, EventType.TIER_CHANGED}
EVENT_TYPES_HELP = """
``additionalInformation`` by ``eventType`` (camelCase; dates YYYY-MM-DD):

- ``prisoner.received``, ``prisoner.transferred``: ``prisonId`` (required), ``arrivalDate``. A move ends the POM
  allocations (trigger transfer) and the key work allocation.
- ``prisoner.released``: ``releasedOn`` (default: the day it occurred), ``reason``. Records the release and ends the
  POM allocations (trigger release) and the key work allocation.
- ``prisoner.sentence.changed``: ``sentence`` (optional, as in PUT /prisoners/{prisonNumber}). The handover is
  recalculated, debounced per prisoner.
- ``probation.com.allocated``: ``com`` {``name``, ``email``} (required), ``lduCode``.
- ``probation.tier.changed``: ``tierInputs`` (required), ``tierModel``. The tier is recalculated.
- ``parole.outcome``: ``hearingOutcome`` (required), ``reviewId``, ``targetHearingDate``, ``custodyReportDue``,
  ``reviewType``, ``reviewStatus``, ``hearingOutcomeReceivedOn``.
- ``prisoner.merged``: ``removedPrisonNumber`` (required). Recorded for a service admin to review.

An event that fails is retried with backoff and then parked on the service admin's integration page.
"""


class EventIdConflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "eventId: an event with this id is already stored with other content"
    default_code = "conflict"


def _scope_for(event_type: str) -> str:
    return scopes.WRITE_PROBATION if event_type in PROBATION_EVENTS else scopes.WRITE_PRISONERS


class EventsApi(APIView):
    # Any authenticated caller gets in; the scope each event type needs is checked in the view.
    parser_classes = [FiniteJSONParser]
    required_scopes = ()

    @extend_schema(
        operation_id="event_post",
        summary="Send a domain event (stored, then processed asynchronously)",
        description=EVENT_TYPES_HELP,
        request=EventInSerializer,
        responses={
            202: EventAcceptedSerializer,
            200: EventAcceptedSerializer,
            **problem_responses(400, 404, 409),
        },
        tags=["events"],
    )
    def post(self, request):
        principal = principal_for(request)
        serializer = EventInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        number = data["personReference"]
        needed = _scope_for(data["eventType"])
        if not principal.prison_codes and not principal.has_scope(needed):  # no prisons at all: plainly refused
            raise exceptions.PermissionDenied(f"Your client does not have the scope this event needs: {needed}")
        # Another prison's person is 404 before the scope is checked: a caller of another prison always gets 404.
        if principal.prison_codes is not None:
            prisoner = prisoner_find(prison_number=number)
            if prisoner is None:
                raise Http404("No such person in the prisons this client may see")
            check_prison_visible(request, prisoner.prison_id)
        if data["prison_code"]:
            check_prison_visible(request, data["prison_code"])
        if not principal.has_scope(needed):
            raise exceptions.PermissionDenied(f"Your client does not have the scope this event needs: {needed}")
        try:
            event, created = event_receive(
                event_id=data["eventId"],
                event_type=data["eventType"],
                prison_number=number,
                occurred_at=data["occurredAt"],
                payload=request.data.get("additionalInformation") or {},
                received_from=principal.label,
                client_pk=principal.client_pk or 0,
            )
        except EventConflict:
            raise EventIdConflict() from None
        body = {**EventOutSerializer(event).data, "duplicate": not created}
        return Response(body, status=status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK)


class EventGetApi(APIView):
    required_scopes = ()

    @extend_schema(
        operation_id="event_get",
        summary="An event this client sent: whether it has been processed, and what it did",
        parameters=[OpenApiParameter("eventId", str, OpenApiParameter.PATH)],
        responses={200: EventOutSerializer, **problem_responses(404)},
        tags=["events"],
    )
    def get(self, request, eventId: str):
        principal = principal_for(request)
        event = event_get(event_id=eventId[:100], client_pk=principal.client_pk) if principal.is_client else None
        if event is None:
            raise Http404("No such event from this client")
        return Response(EventOutSerializer(event).data)
