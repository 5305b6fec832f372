"""``{% keywork_home_figures %}``: key work figures on a home page. A key worker sees their prisoners, how many are
due a session this week and how many are overdue; a head of OMU sees this week's and this month's delivery (sessions
held against the sessions the model projects, from the KPI selectors) with a link to the dashboard. Anyone else, or
a prison where key work is off, sees nothing."""

from django import template
from django.utils import timezone

from keywork.kpi_selectors import prison_kpis_this_week_and_month
from keywork.recording_selectors import caseload_for_key_worker
from keywork.selectors import configuration_for_prison

register = template.Library()


@register.inclusion_tag("keywork/includes/home_figures.html", takes_context=True)
def keywork_home_figures(context):
    prison, user = context["prison"], context["user"]
    today = timezone.localdate()
    if user.has_perm("keywork.view_dashboard", prison):
        config = configuration_for_prison(prison=prison)
        if not config.is_enabled:
            return {"show": False}
        week, month = prison_kpis_this_week_and_month(prison=prison, today=today, config=config)
        return {"show": True, "manager": True, "prison": prison, "week": week, "month": month}
    if user.has_perm("keywork.view_own_caseload", prison):
        caseload = caseload_for_key_worker(user=user, prison=prison, today=today)
        return {"show": True, "manager": False, "prison": prison, "caseload": caseload}
    return {"show": False}
