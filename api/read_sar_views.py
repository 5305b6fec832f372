"""GET /api/v1/subject-access-request: all data held about a person over a date range (the HMPPS SAR pattern:
200 with ``content``, 204 when nothing is held about the person). Every read is recorded on the audit trail."""

import datetime as dt

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from api import scopes
from api.errors import invalid_field, problem_responses
from api.permissions import crn_for_api, principal_for, prisoner_number_for_api
from api.read_serializers import DateRangeInputSerializer
from api.sar_selectors import subject_access_content
from api.sar_services import subject_access_record
from cases.models import Prisoner

SarInput = type(
    "SubjectAccessInput",
    (DateRangeInputSerializer,),
    {
        "prn": serializers.CharField(required=False, max_length=40),
        "crn": serializers.CharField(required=False, max_length=40),
        "fromDate": serializers.DateField(source="date_from", required=False),
        "toDate": serializers.DateField(source="date_to", required=False),
        "from_field": "fromDate",
        "to_field": "toDate",
    },
)


class SubjectAccessOutput(serializers.Serializer):
    content = serializers.DictField(help_text="One section per kind of record, each a list of rows, newest first.")


class SubjectAccessRequestApi(APIView):
    required_scopes = (scopes.READ_SUBJECT_ACCESS,)

    @extend_schema(
        operation_id="subject_access_request",
        summary="Everything held about a person (subject access request)",
        description="Give ``prn`` (prison number) or ``crn``; ``fromDate`` and ``toDate`` (inclusive) limit the "
        "records to those made in the range. 204 when nothing is held about the person. Audited. Records from every "
        "prison are returned (the request is about the person), but the text of a sensitive key work note "
        "(``keyWorkSessions``: ``notes``) is null unless the client also holds read_sensitive_notes.",
        parameters=[
            OpenApiParameter("prn", str, description="Prison number, like A1234BC."),
            OpenApiParameter("crn", str, description="CRN, like X123456."),
            OpenApiParameter("fromDate", dt.date),
            OpenApiParameter("toDate", dt.date),
        ],
        responses={
            200: SubjectAccessOutput,
            204: OpenApiResponse(description="Nothing is held about this person"),
            **problem_responses(400),
        },
        tags=["subject access"],
    )
    def get(self, request):
        params = SarInput(data=request.query_params)
        params.is_valid(raise_exception=True)
        prn, crn = params.validated_data.get("prn"), params.validated_data.get("crn")
        if not prn and not crn:
            raise invalid_field("prn", "Give prn (a prison number) or crn", "required")
        qs = Prisoner.objects.all()
        if prn:
            qs = qs.filter(prison_number=prisoner_number_for_api(request, prn, field="prn"))
        if crn:
            qs = qs.filter(case_information__crn=crn_for_api(request, crn, field="crn"))
        codes = principal_for(request).prison_codes
        if codes is not None:
            qs = qs.filter(prison_id__in=codes)
        prisoner = qs.first()
        if prisoner is None:
            return Response(status=204)
        start, end = params.validated_data.get("date_from"), params.validated_data.get("date_to")
        sensitive = principal_for(request).has_scope(scopes.READ_SENSITIVE_NOTES)
        content = subject_access_content(prisoner=prisoner, date_from=start, date_to=end, sensitive_notes=sensitive)
        subject_access_record(
            prisoner=prisoner, actor=request.user, actor_label=principal_for(request).label, date_from=start,
            date_to=end, sections=content.keys(), sensitive_notes=sensitive,
        )  # fmt: skip
        return Response({"content": content})
