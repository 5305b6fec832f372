"""The service admin's integration pages: inbound events needing attention (with retry), merges to review, and
webhook subscriptions with their delivery logs (make, stop, retry a failed delivery). Service admins only."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cases.scoping import role_page
from integration.event_services import event_retry
from integration.forms import EventFilterForm, SubscriptionForm
from integration.models import WebhookDelivery
from integration.selectors import (
    delivery_by_pk,
    delivery_list,
    event_by_pk,
    event_list,
    event_status_counts,
    merge_list,
    subscription_get,
    subscription_list,
)
from integration.webhook_services import delivery_retry, subscription_create, subscription_deactivate

PERM = "cases.manage_service"
PAGE_SIZE = 50


@role_page(perm=PERM)
def event_list_view(request):
    form = EventFilterForm(request.GET or None)
    status, search = "", ""
    if form.is_valid():
        status, search = form.cleaned_data["status"], form.cleaned_data["q"].strip()
    page = Paginator(event_list(status=status, search=search), PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in (("status", status), ("q", search)) if v})
    context = {
        "form": form,
        "page": page,
        "query": query,
        "counts": event_status_counts(),
        "merges": merge_list(),
        "status": status,
    }
    return render(request, "integration/events.html", context)


@role_page(perm=PERM)
@require_POST
def event_retry_view(request, pk: int):
    event = event_by_pk(pk=pk)
    if event is None:
        raise Http404("No such event")
    event_retry(event=event, actor=request.user)
    messages.success(request, f"Event {event.event_id} will be processed again")
    return redirect("integration_events")


@role_page(perm=PERM)
def subscription_list_view(request):
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            subscription = subscription_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(
                request,
                f"Subscription made. Its signing secret, shown only now: {subscription.secret}",
            )
            return redirect("integration_webhook", pk=subscription.pk)
    context = {"form": form, "subscriptions": list(subscription_list())}
    return render(request, "integration/webhooks.html", context, status=400 if form.errors else 200)


@role_page(perm=PERM)
def subscription_detail(request, pk: int):
    subscription = subscription_get(pk=pk)
    if subscription is None:
        raise Http404("No such subscription")
    status = request.GET.get("status", "")
    if status not in WebhookDelivery.Status.values:
        status = ""
    page = Paginator(delivery_list(subscription=subscription, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "subscription": subscription,
        "page": page,
        "status": status,
        "statuses": WebhookDelivery.Status.choices,
        "query": urlencode({"status": status}) if status else "",
    }
    return render(request, "integration/webhook.html", context)


@role_page(perm=PERM)
@require_POST
def subscription_stop(request, pk: int):
    subscription = subscription_get(pk=pk)
    if subscription is None:
        raise Http404("No such subscription")
    subscription_deactivate(subscription=subscription, actor=request.user)
    messages.success(request, f"{subscription.name} will get no more deliveries")
    return redirect("integration_webhook", pk=pk)


@role_page(perm=PERM)
@require_POST
def delivery_retry_view(request, pk: int):
    delivery = delivery_by_pk(pk=pk)
    if delivery is None:
        raise Http404("No such delivery")
    try:
        delivery_retry(delivery=delivery, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The delivery will be sent again")
    return redirect("integration_webhook", pk=delivery.subscription_id)
