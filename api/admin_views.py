"""Service admin pages for API clients: list, register, change, rotate the secret, deactivate and reactivate.

A new or rotated secret is shown once, on the page that answers the POST (never stored in the clear, never in
the session), with ``Cache-Control: no-store``.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from api.admin_forms import ApiClientCreateForm, ApiClientForm
from api.client_selectors import api_client_list
from api.client_services import (
    api_client_register,
    api_client_rotate_secret,
    api_client_set_active,
    api_client_update,
)
from api.models import ApiClient
from cases.scoping import role_page

PERM = "cases.manage_service"


def _secret_page(request, client, secret, *, new: bool):
    response = render(request, "api/client_secret.html", {"client": client, "secret": secret, "new": new})
    response["Cache-Control"] = "no-store"
    return response


@role_page(perm=PERM)
def client_list(request):
    return render(request, "api/client_list.html", {"clients": api_client_list()})


@never_cache
@require_http_methods(["GET", "POST"])
@role_page(perm=PERM)
def client_create(request):
    form = ApiClientCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            client, secret = api_client_register(
                name=data["name"], scopes=data["scopes"], prisons=list(data["prisons"]),
                rate_limit_per_minute=data["rate_limit_per_minute"], actor=request.user,
            )  # fmt: skip
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return _secret_page(request, client, secret, new=True)
    return render(request, "api/client_form.html", {"form": form, "client": None})


@require_http_methods(["GET", "POST"])
@role_page(perm=PERM)
def client_edit(request, client_id: str):
    client = get_object_or_404(ApiClient, client_id=client_id)
    initial = {
        "scopes": client.scopes,
        "prisons": client.prisons.all(),
        "rate_limit_per_minute": client.rate_limit_per_minute,
    }
    form = ApiClientForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            api_client_update(
                client=client, scopes=data["scopes"], prisons=list(data["prisons"]),
                rate_limit_per_minute=data["rate_limit_per_minute"], actor=request.user,
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{client.name} changed. Its tokens were revoked: it must get a new token.")
            return redirect("api_client_list")
    return render(request, "api/client_form.html", {"form": form, "client": client})


@never_cache
@require_POST
@role_page(perm=PERM)
def client_rotate(request, client_id: str):
    client = get_object_or_404(ApiClient, client_id=client_id)
    secret = api_client_rotate_secret(client=client, actor=request.user)
    return _secret_page(request, client, secret, new=False)


@require_POST
@role_page(perm=PERM)
def client_set_active(request, client_id: str):
    client = get_object_or_404(ApiClient, client_id=client_id)
    active = request.POST.get("active") == "1"
    api_client_set_active(client=client, active=active, actor=request.user)
    messages.success(request, f"{client.name} {'reactivated' if active else 'deactivated: its tokens were revoked'}")
    return redirect("api_client_list")
