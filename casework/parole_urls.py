"""Casework pages: parole (and the recall placement, which ``casework.recall_urls`` lists)."""

from django.urls import path

from casework import parole_views

PRISON = "prisons/<prison:prison_code>/"
CASE = PRISON + "prisoners/<str:prison_number>/"

urlpatterns: list = [
    path(PRISON + "parole/", parole_views.parole_approaching, name="parole_approaching"),
    path(CASE + "parole/", parole_views.parole_case, name="parole_case"),
    path(CASE + "parole/<int:review_pk>/outcome/", parole_views.parole_review_outcome, name="parole_review_outcome"),
]
