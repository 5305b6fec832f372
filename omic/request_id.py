"""The request id: one token per web request, carried into the Celery jobs it queues, written on every audit row.

``RequestIdMiddleware`` takes ``X-Request-ID`` from the request when it is a sane token (at most 64 characters of
letters, digits, ``.``, ``_`` and ``-``), otherwise makes a new one, keeps it in a context variable for the length of
the request and returns it in the ``X-Request-ID`` response header. A task queued during the request carries the id
in a message header; the worker sets it again while the task runs, so the job's audit rows name the request that
caused them. Outside a request (commands, scheduled jobs) the id is blank.
"""

import re
import uuid
from contextvars import ContextVar

from celery.signals import before_task_publish, task_postrun, task_prerun

HEADER = "X-Request-ID"
META_KEY = "HTTP_X_REQUEST_ID"
TASK_HEADER = "omic_request_id"
SANE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

_current: ContextVar[str] = ContextVar("omic_request_id", default="")


def current_request_id() -> str:
    """The id of the request (or of the request that queued the running job); blank when there is none."""
    return _current.get()


def clean_request_id(value: str | None) -> str:
    """``value`` when it is a sane token, otherwise a new uuid4 hex."""
    if value and SANE.match(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = clean_request_id(request.META.get(META_KEY))
        request.request_id = request_id
        token = _current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request_id
        return response


@before_task_publish.connect(dispatch_uid="omic.request_id.publish")
def _add_header(headers=None, **kwargs):
    request_id = _current.get()
    if request_id and headers is not None:
        headers[TASK_HEADER] = request_id


_task_tokens: dict[str, object] = {}


@task_prerun.connect(dispatch_uid="omic.request_id.prerun")
def _enter_task(task_id=None, task=None, **kwargs):
    if task is None or task.request.is_eager:
        return  # an eager task runs inside the caller, whose id is already set
    request_id = getattr(task.request, TASK_HEADER, None) or (task.request.headers or {}).get(TASK_HEADER)
    value = request_id if request_id and SANE.match(request_id) else ""
    _task_tokens[task_id] = _current.set(value)


@task_postrun.connect(dispatch_uid="omic.request_id.postrun")
def _leave_task(task_id=None, **kwargs):
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        try:
            _current.reset(token)
        except ValueError:  # set in another context: clear it instead
            _current.set("")
