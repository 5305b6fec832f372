"""Key worker pages: the list of key workers with their caseloads, a key worker's profile and its edit page, with
a confirmation step before a key worker who is made inactive or unavailable loses their prisoners."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date

from cases.scoping import prison_page
from keywork.forms import KeyWorkerProfileForm
from keywork.models import KeyWorkerStatus
from keywork.selectors import configuration_for_prison, key_worker_caseload, key_worker_list_for_prison
from keywork.services import key_worker_profile_update


def _key_worker(prison, user_id: int):
    row = next((r for r in key_worker_list_for_prison(prison=prison) if r.id == user_id), None)
    if row is None:
        raise Http404("No such key worker at this prison")
    return row


@prison_page(perm="keywork.manage_key_workers")
def key_worker_list(request):
    config = configuration_for_prison(prison=request.prison)
    rows = key_worker_list_for_prison(prison=request.prison, config=config)
    return render(
        request,
        "keywork/key_worker_list.html",
        {
            "prison": request.prison,
            "config": config,
            "rows": rows,
            "active_count": sum(1 for r in rows if r.is_active),
            "allocated_total": sum(r.allocated for r in rows),
        },
    )


@prison_page(perm="keywork.manage_key_workers")
def key_worker_detail(request, user_id: int):
    row = _key_worker(request.prison, user_id)
    return render(
        request,
        "keywork/key_worker_detail.html",
        {
            "prison": request.prison,
            "row": row,
            "caseload": key_worker_caseload(prison=request.prison, user_id=user_id),
        },
    )


LOSES_PRISONERS = {
    KeyWorkerStatus.INACTIVE,
    KeyWorkerStatus.LONG_TERM_ABSENCE,
    KeyWorkerStatus.NO_PRISONER_CONTACT,
    KeyWorkerStatus.ANNUAL_LEAVE,
}


@prison_page(perm="keywork.manage_key_workers")
def key_worker_edit(request, user_id: int):
    row = _key_worker(request.prison, user_id)
    today = timezone.localdate()
    initial = {
        "status": row.status,
        "return_date": row.return_date,
        "capacity": row.profile.capacity if row.profile else None,
        "allow_auto_allocation": row.allow_auto_allocation,
    }
    form = KeyWorkerProfileForm(request.POST or None, initial=initial, today=today)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["status"] in LOSES_PRISONERS and row.allocated and data["status"] != row.status:
            # Ask first: keep their prisoners, or deallocate them all.
            query = urlencode({name: request.POST.get(name, "") for name in form.fields if name in request.POST})
            url = reverse("keywork_key_worker_confirm", kwargs={"prison_code": request.prison.code, "user_id": user_id})
            return redirect(f"{url}?{query}")
        _save(request, row, data, deallocate=False)
        return redirect("keywork_key_worker", prison_code=request.prison.code, user_id=user_id)
    return render(request, "keywork/key_worker_edit.html", {"prison": request.prison, "row": row, "form": form})


def _save(request, row, data, *, deallocate: bool):
    try:
        _, removed = key_worker_profile_update(
            prison=request.prison,
            user=row.user,
            values={
                "status": data["status"],
                "return_date": data.get("return_date"),
                "capacity": data.get("capacity"),
                "allow_auto_allocation": data.get("allow_auto_allocation", False),
            },
            actor=request.user,
            deallocate=deallocate,
        )
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
        return
    text = f"{row.name}'s profile saved"
    if removed:
        text += f"; {removed} prisoner{'s' if removed != 1 else ''} deallocated"
    messages.success(request, text)


@prison_page(perm="keywork.manage_key_workers")
def key_worker_confirm(request, user_id: int):
    """Confirm a change of status for a key worker who has prisoners: keep them, or deallocate them all."""
    row = _key_worker(request.prison, user_id)
    today = timezone.localdate()
    source = request.POST if request.method == "POST" else request.GET
    form = KeyWorkerProfileForm(source, today=today)
    if not form.is_valid():
        # Nothing (or something wrong) to confirm: back to the edit form, with the errors.
        return render(request, "keywork/key_worker_edit.html", {"prison": request.prison, "row": row, "form": form})
    choice_error = None
    if request.method == "POST":
        choice = request.POST.get("prisoners")
        if choice in ("keep", "deallocate"):
            _save(request, row, form.cleaned_data, deallocate=choice == "deallocate")
            return redirect("keywork_key_worker", prison_code=request.prison.code, user_id=user_id)
        choice_error = "Choose whether to keep or deallocate their prisoners"
    return render(
        request,
        "keywork/key_worker_confirm.html",
        {
            "prison": request.prison,
            "row": row,
            "form": form,
            "status_label": KeyWorkerStatus(form.cleaned_data["status"]).label,
            "return_date": parse_date(str(form.cleaned_data.get("return_date") or "")),
            "caseload": key_worker_caseload(prison=request.prison, user_id=user_id),
            "choice_error": choice_error,
        },
    )
