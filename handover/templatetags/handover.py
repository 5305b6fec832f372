"""Handover template tags: the responsibility badge (with the override shown wherever responsibility is), days left
until a date, the prisoner's handover panel and the handover counts on the home pages.

Pages in the records layer (the prisoner page) load these tags, so the prisoner page shows the handover panel while
``cases`` never imports ``handover``.
"""

import datetime as dt

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from handover.models import Responsibility
from handover.panel import explanation, next_step
from handover.selectors import HandoverScope, alert_list, handover_counts, handover_panel_for_prisoner

register = template.Library()

BADGES = {
    Responsibility.CUSTODY_ONLY: ("POM responsible", "govuk-tag--blue"),
    Responsibility.CUSTODY_WITH_COM: ("POM responsible, COM supporting", "govuk-tag--light-blue"),
    Responsibility.COMMUNITY: ("COM responsible", "govuk-tag--purple"),
}


@register.simple_tag
def responsibility_badge(responsibility: str, overridden: bool = False):
    """A tag naming who is responsible; an override to the COM always says so (D-06)."""
    if overridden:
        return mark_safe('<strong class="govuk-tag govuk-tag--orange">Overridden to COM</strong>')  # noqa: S308
    label, css = BADGES.get(responsibility, ("Not known", "govuk-tag--grey"))
    return format_html('<strong class="govuk-tag {}">{}</strong>', css, label)


@register.simple_tag
def days_left(day: dt.date | None, today: dt.date):
    """'in 12 days', 'today' or 'passed 3 days ago'."""
    if day is None:
        return ""
    days = (day - today).days
    if days == 0:
        return "today"
    if days > 0:
        return f"in {days} day{'s' if days != 1 else ''}"
    return f"passed {-days} day{'s' if days != -1 else ''} ago"


@register.inclusion_tag("handover/includes/handover_panel.html", takes_context=True)
def handover_panel(context, prisoner, today: dt.date):
    """Who is responsible now and why, the two dates with the days left, the override and the checklist.

    ``today`` is the page's (the view computed it once): ``{% handover_panel prisoner today %}``."""
    request = context["request"]
    panel = handover_panel_for_prisoner(prisoner=prisoner, today=today)
    user = request.user
    case_information = getattr(prisoner, "case_information", None)
    has_com = case_information is not None and case_information.com_id is not None
    return {
        "prisoner": prisoner,
        "prison": getattr(request, "prison", prisoner.prison),
        "panel": panel,
        "today": today,
        "why": explanation(panel.calculated) if panel.calculated else None,
        "next_step": next_step(panel=panel, has_com=has_com, today=today),
        "can_override": user.has_perm("handover.override_responsibility"),
        "can_see_checklist": user.has_perm("handover.view_handover"),
    }


@register.inclusion_tag("handover/includes/home_counts.html", takes_context=True)
def handover_home_counts(context, today: dt.date, mine: bool = True):
    """The four handover list counts for a home page: the POM's own cases, or the whole prison for a manager.

    ``today`` is the page's: ``{% handover_home_counts today mine=False %}``."""
    request = context["request"]
    prison = context["prison"]
    scope = HandoverScope(prison=prison, user=request.user if mine else None)
    return {
        "prison": prison,
        "mine": mine,
        "counts": handover_counts(scope=scope, today=today),
        "alert_count": alert_list(prison=prison, user=request.user if mine else None).count(),
    }


@register.filter
def handover_value(value):
    """A stored handover value in words: a responsibility by its label, a date in full, a yes/no, else as it is."""
    if value is None or value == "":
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    if value in Responsibility.values:
        return Responsibility(value).label
    return value
