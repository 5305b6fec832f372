"""Management oversight pages, under /prisons/<prison:prison_code>/oversight/."""

from django.urls import path

from oversight import views

BASE = "prisons/<prison:prison_code>/oversight/"

urlpatterns = [
    path(BASE, views.home, name="oversight_home"),
    path(BASE + "mine/", views.mine, name="oversight_mine"),
    path(BASE + "draw/", views.draw, name="oversight_draw"),
    path(BASE + "add/", views.add_case, name="oversight_add_case"),
    path(BASE + "settings/", views.settings, name="oversight_settings"),
    path(BASE + "audits/<int:audit_id>/", views.audit, name="oversight_audit"),
    path(BASE + "audits/<int:audit_id>/actions/new/", views.action_add, name="oversight_action_add"),
    path(BASE + "actions/<int:action_id>/done/", views.action_done, name="oversight_action_done"),
]
