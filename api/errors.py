"""Errors as JSON problem details (RFC 9457, ``application/problem+json``), naming the field at fault.

Every error the API returns has this body::

    {"type": "about:blank", "title": "Bad Request", "status": 400,
     "detail": "prisonNumber: Enter a prison number in the format A1234BC ...",
     "instance": "/api/v1/allocation/X",
     "errors": [{"field": "prisonNumber", "detail": "Enter a prison number ...", "code": "invalid_prison_number"}]}

``errors`` is there only for validation errors (400); ``field`` is the input's name as the client wrote it (a query
or body parameter, or a path parameter). Raise ``invalid_field(field, message)`` (or a DRF ``ValidationError`` with a
dict) from a view; Django's ``Http404``/``PermissionDenied``/``ValidationError`` are translated too.

``exception_handler`` is DRF's ``EXCEPTION_HANDLER``; ``ApiProblemMiddleware`` turns what Django itself answers
under /api/ (an unknown address, the NUL-character 400, a 500) into the same shape.
"""

import json
from http import HTTPStatus

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error

PROBLEM_CONTENT_TYPE = "application/problem+json"
API_PREFIX = "/api/"


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _flatten(detail, prefix: str = "") -> list[dict]:
    """DRF's nested error detail as a flat list of {field, detail, code}; ``field`` is dotted for nested input."""
    found = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            nested = f"{prefix}.{key}" if prefix else str(key)
            name = prefix if key in ("non_field_errors", "__all__") else nested
            found.extend(_flatten(value, name))
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            for item in detail:
                found.append({"field": prefix, "detail": str(item), "code": getattr(item, "code", "invalid")})
        else:
            for index, item in enumerate(detail):
                found.extend(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
    else:
        found.append({"field": prefix, "detail": str(detail), "code": getattr(detail, "code", "invalid")})
    return found


def problem_body(*, status: int, detail: str, instance: str = "", errors: list[dict] | None = None) -> dict:
    body = {"type": "about:blank", "title": _title(status), "status": status, "detail": detail}
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    return body


def problem_response(
    *, status: int, detail: str, instance: str = "", errors=None, headers=None, extra: dict | None = None
) -> Response:
    body = problem_body(status=status, detail=detail, instance=instance, errors=errors) | (extra or {})
    return Response(body, status=status, headers=headers, content_type=PROBLEM_CONTENT_TYPE)


def invalid_field(field: str, message: str, code: str = "invalid") -> exceptions.ValidationError:
    """A 400 naming ``field``: ``raise invalid_field("prisonNumber", "Enter a prison number ...")``."""
    return exceptions.ValidationError({field: [exceptions.ErrorDetail(message, code=code)]})


def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: every error a view raises becomes a problem-details response."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or "Not found")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    if not isinstance(exc, exceptions.APIException):
        return None  # a bug: Django's 500, which ApiProblemMiddleware turns into a problem

    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    request = context.get("request")
    instance = request.path if request is not None else ""

    errors = None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        detail = "; ".join(f"{e['field']}: {e['detail']}" if e["field"] else e["detail"] for e in errors)
        detail = detail or "The request is not valid"
    elif isinstance(exc.detail, dict | list):
        errors = _flatten(exc.detail)
        detail = "; ".join(e["detail"] for e in errors)
    else:
        detail = str(exc.detail)
    if request is not None and request.method not in ("GET", "HEAD", "OPTIONS"):
        from rest_framework.views import set_rollback  # late: rest_framework.views reads the settings naming this

        set_rollback()  # the view's transaction (ATOMIC_REQUESTS) must not commit a half-write before the error
    return problem_response(status=exc.status_code, detail=detail, instance=instance, errors=errors, headers=headers)


class ApiProblemMiddleware:
    """Under /api/, an error Django answers by itself (no view: unknown address, NUL-character 400, 500) is turned
    into problem details, so every API response is JSON. Place it near the top of MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and request.path_info.startswith(API_PREFIX)
            and not response.get("Content-Type", "").startswith((PROBLEM_CONTENT_TYPE, "application/json"))
        ):
            status = response.status_code
            detail = {404: "There is nothing at this address", 400: "The request is not valid"}.get(
                status, _title(status)
            )
            body = problem_body(status=status, detail=detail, instance=request.path)
            new = HttpResponse(json.dumps(body), status=status, content_type=PROBLEM_CONTENT_TYPE)
            for header in ("WWW-Authenticate", "Retry-After", "Allow"):
                if response.has_header(header):
                    new[header] = response[header]
            return new
        return response


class ProblemFieldSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="The input at fault, as the client named it (e.g. prisonNumber).")
    detail = serializers.CharField()
    code = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details, for the schema."""

    type = serializers.CharField(default="about:blank")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField(required=False)
    errors = ProblemFieldSerializer(many=True, required=False)


def problem(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=ProblemSerializer, description=description)


def problem_responses(*codes: int) -> dict:
    """The documented error responses of an operation: ``responses={200: Out, **problem_responses(400, 404)}``.

    400, 401, 403 and 429 are added to every operation (any address or query carrying a NUL character is a 400,
    ``omic.middleware.RejectNulCharacters``); the media type is ``application/problem+json``.
    """
    descriptions = {
        400: "Invalid input: the problem names the field",
        401: "No valid bearer token or session",
        403: "The client lacks the scope this operation needs",
        404: "Not found, or outside the client's prisons",
        405: "Method not allowed",
        409: "Conflict with the current state",
        413: "Request too large",
        415: "Unsupported media type",
        429: "Rate limit exceeded; see Retry-After",
    }
    wanted = sorted({*codes, 400, 401, 403, 429})
    return {(code, PROBLEM_CONTENT_TYPE): problem(descriptions.get(code, _title(code))) for code in wanted}
