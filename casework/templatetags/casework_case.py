"""Panels for the prisoner profile: ``{% case_tasks_panel prisoner today %}`` (the case's open tasks, soonest due
first, with a link to all of them) and ``{% service_level_panel prisoner today %}`` (D-11: full case management or
not, and why). Load with ``{% load casework_case %}``."""

from django import template

from casework.models import TaskKind
from casework.task_selectors import open_tasks_for_prisoner, service_level_for

register = template.Library()
KIND_LABELS = dict(TaskKind.choices)
PANEL_ROWS = 5


@register.inclusion_tag("casework/tasks/_case_tasks_panel.html")
def case_tasks_panel(prisoner, today):
    tasks = open_tasks_for_prisoner(prisoner=prisoner, limit=PANEL_ROWS)
    return {
        "prisoner": prisoner,
        "rows": [
            {"task": task, "label": KIND_LABELS[task.kind], "state": "overdue" if task.due_date < today else "due"}
            for task in tasks
        ],
    }


@register.inclusion_tag("casework/tasks/_service_level_panel.html")
def service_level_panel(prisoner, today):
    return {"level": service_level_for(prisoner=prisoner, today=today)}
