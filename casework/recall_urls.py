"""Casework pages: recall placement."""

from django.urls import path

from casework import recall_views

urlpatterns: list = [
    path(
        "prisons/<prison:prison_code>/prisoners/<str:prison_number>/recall-placement/",
        recall_views.recall_placement,
        name="recall_placement",
    ),
]
