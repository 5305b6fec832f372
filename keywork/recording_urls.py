"""Key work recording pages, included from keywork/urls.py. URLs take only the prison code and prison number, so the
prison-scoping walk (tests/omic/test_prison_scoping.py) covers every one; a sampled entry is chosen with ?entry=."""

from django.urls import path

from keywork import recording_quality_views as quality
from keywork import recording_views as views

CASE = "prisons/<prison:prison_code>/prisoners/<str:prison_number>/key-work/"
PRISON = "prisons/<prison:prison_code>/key-work/"

urlpatterns = [
    path(PRISON + "my-prisoners/", views.my_prisoners, name="keywork_my_prisoners"),
    path(PRISON + "quality-checks/", quality.quality_list, name="keywork_quality_list"),
    path(PRISON + "quality-checks/draw/", quality.quality_draw, name="keywork_quality_draw"),
    path(PRISON + "quality-checks/check/", quality.quality_check, name="keywork_quality_check"),
    path(PRISON + "quality-checks/settings/", quality.quality_settings, name="keywork_quality_settings"),
    path(CASE, views.case_page, name="keywork_case"),
    path(CASE + "sessions/new/", views.session_new, name="keywork_session_new"),
    path(CASE + "contacts/new/", views.contact_new, name="keywork_contact_new"),
    path(CASE + "progression-plan/new/", views.plan_new, name="keywork_plan_new"),
    path(CASE + "progression-plan/goals/new/", views.goal_new, name="keywork_goal_new"),
    path(CASE + "progression-plan/progress/", views.goal_progress, name="keywork_goal_progress"),
    path(CASE + "progression-plan/close/", views.plan_close, name="keywork_plan_close"),
]
