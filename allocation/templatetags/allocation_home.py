"""``{% allocation_home_counts %}``: the allocation figures on a head of OMU's home page (one query)."""

from django import template

from allocation.list_selectors import ALLOCATED, MISSING_DETAILS, TO_ALLOCATE, allocation_list_counts

register = template.Library()


@register.inclusion_tag("allocation/_home_counts.html", takes_context=True)
def allocation_home_counts(context):
    prison, user = context["prison"], context["user"]
    if not user.has_perm("allocation.view_allocations"):
        return {"show": False}
    counts = allocation_list_counts(prison=prison)
    return {
        "show": True,
        "prison": prison,
        "to_allocate": counts[TO_ALLOCATE],
        "missing_details": counts[MISSING_DETAILS],
        "allocated": counts[ALLOCATED],
    }
