"""POST /api/oauth/token: a registered client exchanges its id and secret for a short-lived bearer token.

OAuth 2.0 client credentials (RFC 6749 section 4.4): ``grant_type=client_credentials`` with the id and secret either
in HTTP Basic authentication or as ``client_id``/``client_secret`` in the form (or JSON) body. Errors are problem
details that also carry OAuth's ``error`` code (``invalid_request``, ``invalid_client``, ``unsupported_grant_type``).
"""

import base64
import binascii

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from api.client_services import api_client_check_secret, api_token_issue
from api.errors import PROBLEM_CONTENT_TYPE, problem, problem_response
from api.throttling import (
    TokenEndpointThrottle,
    token_failure_count,
    token_failures_exceeded,
    token_failures_wait,
)


class TokenApi(APIView):
    authentication_classes: list = []
    permission_classes: list = []
    throttle_classes = [TokenEndpointThrottle]
    parser_classes = [FormParser, JSONParser]

    class InputSerializer(serializers.Serializer):
        grant_type = serializers.ChoiceField(choices=["client_credentials"])
        client_id = serializers.CharField(required=False, max_length=64)
        client_secret = serializers.CharField(required=False, max_length=256)

    class OutputSerializer(serializers.Serializer):
        access_token = serializers.CharField()
        token_type = serializers.CharField(default="Bearer")
        expires_in = serializers.IntegerField(help_text="Seconds until the token expires.")
        scope = serializers.CharField(help_text="The client's scopes, space-separated.")

    @extend_schema(
        operation_id="oauth_token",
        summary="Exchange a client id and secret for a bearer token",
        auth=[{"clientBasic": []}, {}],
        request={
            "application/x-www-form-urlencoded": InputSerializer,
            "application/json": InputSerializer,
        },
        responses={
            200: OutputSerializer,
            (400, PROBLEM_CONTENT_TYPE): problem("Invalid request or unsupported grant type (OAuth error code)"),
            (401, PROBLEM_CONTENT_TYPE): problem("Unknown client or wrong secret (invalid_client)"),
            (415, PROBLEM_CONTENT_TYPE): problem("Unsupported media type"),
            (429, PROBLEM_CONTENT_TYPE): problem(
                "Too many token requests from this address, or failed attempts for this client id"
            ),
        },
        tags=["authentication"],
    )
    def post(self, request):
        data = request.data
        if not hasattr(data, "get"):
            return self._error(400, "invalid_request", "The body must be a form or a JSON object", request)
        serializer = self.InputSerializer(data=data)
        if not serializer.is_valid():
            field = next(iter(serializer.errors))
            code = "unsupported_grant_type" if field == "grant_type" and data.get("grant_type") else "invalid_request"
            message = f"{field}: {serializer.errors[field][0]}"
            return self._error(400, code, message, request, errors=[{"field": field, "detail": message, "code": code}])
        client_id, secret = self._basic_credentials(request)
        client_id = client_id or serializer.validated_data.get("client_id", "")
        secret = secret or serializer.validated_data.get("client_secret", "")
        if not client_id or not secret:
            return self._error(401, "invalid_client", "Give client_id and client_secret (or HTTP Basic)", request)
        if token_failures_exceeded(client_id):
            raise exceptions.Throttled(wait=token_failures_wait(), detail="Too many failed attempts for this client")
        client = api_client_check_secret(client_id=client_id, client_secret=secret)
        if client is None:
            token_failure_count(client_id)
            return self._error(401, "invalid_client", "Unknown client, wrong secret or inactive client", request)
        issued = api_token_issue(client=client)
        body = {
            "access_token": issued.access_token,
            "token_type": "Bearer",
            "expires_in": issued.expires_in,
            "scope": " ".join(issued.scopes),
        }
        return Response(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})

    @staticmethod
    def _basic_credentials(request) -> tuple[str, str]:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header.lower().startswith("basic "):
            return "", ""
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return "", ""
        client_id, _, secret = decoded.partition(":")
        return client_id, secret

    @staticmethod
    def _error(status: int, code: str, detail: str, request, errors=None) -> Response:
        headers = {"WWW-Authenticate": 'Basic realm="api"'} if status == 401 else None
        return problem_response(
            status=status, detail=detail, instance=request.path, errors=errors, headers=headers, extra={"error": code}
        )
