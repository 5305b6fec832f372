"""Read API lists: a prison's caseload, a prison's handovers in a date range, and case notes since a time.

Lists are paginated (``page``, ``pageSize``; api/pagination.py) and scoped to the caller's prisons. Filters are
validated by an input serializer: a bad value is a 400 problem naming the query parameter.
"""

import datetime as dt
from heapq import merge

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from api import read_selectors as selectors
from api import scopes
from api.errors import invalid_field, problem_responses
from api.pagination import page_of
from api.permissions import principal_for, prison_for_api
from api.read_serializers import (
    CaseloadRowSerializer,
    CaseNoteSerializer,
    DateRangeInputSerializer,
    HandoverListRowSerializer,
    PageInputSerializer,
    paged,
)
from cases.models import PomProfile
from cases.validators import PRISON_CODE_PATTERN

PRISON_CODE = OpenApiParameter(
    "code",
    str,
    OpenApiParameter.PATH,
    pattern=PRISON_CODE_PATTERN,
    examples=[OpenApiExample("A prison code", value="LEI")],
    description="Prison code: 3 capital letters, like LEI.",
)
PAGING = [
    OpenApiParameter("page", int, description="Page number, from 1."),
    OpenApiParameter("pageSize", int, description="Rows per page, 1 to 500 (100 by default)."),
]
CaseloadPage = paged("CaseloadPage", CaseloadRowSerializer)
HandoverListPage = paged("HandoverListPage", HandoverListRowSerializer)
CaseNotePage = paged("CaseNotePage", CaseNoteSerializer)


class CaseloadListApi(APIView):
    required_scopes = (scopes.READ_ALLOCATIONS,)

    class FilterSerializer(serializers.Serializer):
        pom = serializers.IntegerField(min_value=1, max_value=999_999_999, required=False)

    @extend_schema(
        operation_id="prison_caseload_list",
        summary="The prison's allocated cases, optionally one POM's",
        parameters=[
            PRISON_CODE,
            OpenApiParameter("pom", int, description="A POM's staff id at this prison: only their cases."),
            *PAGING,
        ],
        responses={200: CaseloadPage, **problem_responses(400, 404)},
        tags=["allocations"],
    )
    def get(self, request, code: str):
        prison = prison_for_api(request, code)
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        pom_id = filters.validated_data.get("pom")
        if pom_id is not None and not PomProfile.objects.filter(prison=prison, pk=pom_id).exists():
            raise invalid_field("pom", "There is no POM with this staff id at this prison", "not_found")
        qs = selectors.caseload_for_prison(prison=prison, pom_id=pom_id)
        return Response(CaseloadPage(page_of(request, qs, selectors.caseload_row)).data)


HandoverRangeInput = type(
    "HandoverRangeInput",
    (DateRangeInputSerializer,),
    {
        "from": serializers.DateField(source="date_from", required=False),
        "to": serializers.DateField(source="date_to", required=False),
        "from_field": "from",
        "to_field": "to",
    },
)


class HandoverListApi(APIView):
    required_scopes = (scopes.READ_HANDOVERS,)

    @extend_schema(
        operation_id="prison_handover_list",
        summary="The prison's handovers with a handover date in a range",
        description="Stored handover results with a handover date from ``from`` to ``to`` inclusive (by default "
        "today to three months ahead; at most two years apart).",
        parameters=[
            PRISON_CODE,
            OpenApiParameter("from", dt.date, description="First handover date (YYYY-MM-DD); today by default."),
            OpenApiParameter("to", dt.date, description="Last handover date; three months after from by default."),
            *PAGING,
        ],
        responses={200: HandoverListPage, **problem_responses(400, 404)},
        tags=["handovers"],
    )
    def get(self, request, code: str):
        prison = prison_for_api(request, code)
        dates = HandoverRangeInput(data=request.query_params)
        dates.is_valid(raise_exception=True)
        start = dates.validated_data.get("date_from") or timezone.localdate()
        end = dates.validated_data.get("date_to") or start + relativedelta(months=3)
        HandoverRangeInput().validate({"date_from": start, "date_to": end})
        qs = selectors.handover_list_for_prison(prison=prison, date_from=start, date_to=end)
        return Response(HandoverListPage(page_of(request, qs, selectors.handover_list_row)).data)


SESSION_TYPES = {"session": "key_work_session", "attempted": "key_work_attempted", "entry": "key_work_entry"}
MAX_CASE_NOTE_ROWS = 10_000


def _session_note(s) -> dict:
    return {
        "id": f"kw-{s.pk}",
        "type": SESSION_TYPES.get(s.session_type, "key_work_entry"),
        "prisonNumber": s.prisoner_id,
        "prisonCode": s.prison_id,
        "occurredOn": s.session_date,
        "createdAt": s.created_at,
        "authorName": s.key_worker.get_full_name(),
        "text": s.notes,
        "sensitive": s.is_sensitive,
    }


def _contact_note(c) -> dict:
    return {
        "id": f"pc-{c.pk}",
        "type": "pom_contact",
        "prisonNumber": c.prisoner_id,
        "prisonCode": c.prison_id,
        "occurredOn": c.contact_date,
        "createdAt": c.created_at,
        "authorName": c.pom.get_full_name(),
        "text": c.summary,
        "sensitive": False,
    }


class CaseNoteListApi(APIView):
    required_scopes = (scopes.READ_CASE_NOTES,)

    class FilterSerializer(serializers.Serializer):
        since = serializers.DateTimeField(help_text="Only notes recorded at or after this time (ISO 8601).")

    @extend_schema(
        operation_id="case_note_list",
        summary="Key work sessions and POM contacts recorded since a time, oldest first",
        description="Sensitive key work notes are left out unless the client also holds read_sensitive_notes.",
        parameters=[
            OpenApiParameter("since", dt.datetime, required=True, description="ISO 8601 date and time."),
            *PAGING,
        ],
        responses={200: CaseNotePage, **problem_responses(400)},
        tags=["case notes"],
    )
    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        paging = PageInputSerializer(data=request.query_params)
        paging.is_valid(raise_exception=True)
        page, size = paging.validated_data["page"], paging.validated_data["pageSize"]
        if page * size > MAX_CASE_NOTE_ROWS:
            raise invalid_field("page", f"Pages reach at most {MAX_CASE_NOTE_ROWS} notes: give a later since")
        principal = principal_for(request)
        since = filters.validated_data["since"]
        sessions = selectors.session_notes_since(
            prison_codes=principal.prison_codes, since=since, sensitive=principal.has_scope(scopes.READ_SENSITIVE_NOTES)
        )
        contacts = selectors.pom_contacts_since(prison_codes=principal.prison_codes, since=since)
        end = page * size
        rows = merge(
            (_session_note(s) for s in sessions[:end]),
            (_contact_note(c) for c in contacts[:end]),
            key=lambda r: r["createdAt"],
        )
        items = list(rows)[end - size : end]
        count = sessions.count() + contacts.count()
        base = request.query_params.copy()

        def link(number):
            base["page"], base["pageSize"] = str(number), str(size)
            return request.build_absolute_uri(f"{request.path}?{base.urlencode()}")

        body = {
            "count": count,
            "page": page,
            "pageSize": size,
            "next": link(page + 1) if end < count else None,
            "previous": link(page - 1) if page > 1 else None,
            "results": items,
        }
        return Response(CaseNotePage(body).data)
