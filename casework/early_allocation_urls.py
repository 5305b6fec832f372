"""Casework pages: early allocation (the names in /work/briefs/urls.md; reverse them with the prison code and
prison number)."""

from django.urls import path

from casework import early_allocation_views as views

PRISON = "prisons/<prison:prison_code>/"
CASE = PRISON + "prisoners/<str:prison_number>/early-allocation/"

urlpatterns: list = [
    path(PRISON + "early-allocation/", views.assessment_list, name="early_allocation_list"),
    path(CASE, views.case_page, name="early_allocation_case"),
    path(CASE + "new/", views.start, name="early_allocation_start"),
    path(CASE + "summary/", views.summary, name="early_allocation_summary"),
    path(CASE + "approve/", views.approve, name="early_allocation_approve"),
    path(CASE + "community-decision/", views.community_decision, name="early_allocation_decision"),
    path(CASE + "send-referral/", views.send_referral, name="early_allocation_send_referral"),
]
