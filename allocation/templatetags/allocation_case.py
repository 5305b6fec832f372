"""``{% manage_case prisoner %}``: on the prisoner page, who works with the case (POM, co-working POM, COM and key
worker) and where each thing about the case is changed, each link shown only to those allowed to use it.

The prisoner page belongs to the records layer (``cases``), which never imports the engines or allocation: this tag
does the reads (two queries: the POM allocations and the key work allocation), as ``handover_panel`` does for the
handover.
"""

from django import template

from allocation.selectors import active_allocations_for_case
from keywork.selectors import allocation_active_for_prisoner

register = template.Library()


@register.inclusion_tag("allocation/_manage_case.html", takes_context=True)
def manage_case(context, prisoner):
    allocations = active_allocations_for_case(prisoner=prisoner)
    case_information = getattr(prisoner, "case_information", None)
    key_work = allocation_active_for_prisoner(prisoner=prisoner)
    return {
        "request": context["request"],
        "user": context["request"].user,
        "prisoner": prisoner,
        "prison": context.get("prison", prisoner.prison),
        "primary": allocations.get("primary"),
        "co_working": allocations.get("co_working"),
        "com": getattr(case_information, "com", None),
        "key_worker": key_work.key_worker if key_work else None,
    }
