"""handover pages. Every path is under /prisons/<prison:prison_code>/ unless it is national."""

from django.urls import path

from handover import case_views, preview_views, views

PRISON = "prisons/<prison:prison_code>/"
CASE = PRISON + "prisoners/<str:prison_number>/handover/"

urlpatterns: list = [
    path(PRISON + "handovers/", views.handover_list_mine, name="handover_list"),
    path(PRISON + "handovers/prison/", views.handover_list_prison, name="handover_list_prison"),
    path(PRISON + "handovers/alerts/", views.handover_alert_list, name="handover_alert_list"),
    path(CASE + "checklist/", case_views.handover_checklist, name="handover_checklist"),
    path(CASE + "override/", case_views.handover_override_create, name="handover_override_create"),
    path(CASE + "override/remove/", case_views.handover_override_remove, name="handover_override_remove"),
    path("handovers/community-pipeline/", views.community_pipeline, name="community_pipeline"),
    path("handovers/policy-preview/", preview_views.policy_preview_page, name="handover_policy_preview"),
    path("handovers/email-preferences/", case_views.email_preferences, name="handover_email_preferences"),
]
