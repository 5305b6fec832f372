"""Casework pages: case tasks (DECISIONS.md D-12) and their timescales."""

from django.urls import path

from casework import task_views

PRISON = "prisons/<prison:prison_code>/"
CASE = PRISON + "prisoners/<str:prison_number>/tasks/"

urlpatterns: list = [
    path(PRISON + "tasks/", task_views.task_list_page, name="task_list"),
    path(PRISON + "tasks/overdue/", task_views.task_overdue_summary, name="task_overdue_summary"),
    path(CASE, task_views.case_tasks, name="case_tasks"),
    path(CASE + "<int:task_id>/", task_views.case_task_update, name="case_task_update"),
    path("tasks/timescales/", task_views.task_timescales, name="task_timescales"),
    path("tasks/timescales/<str:key>/", task_views.task_timescale_change, name="task_timescale_change"),
]
