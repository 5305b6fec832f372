"""tiering pages. Every path is under /prisons/<prison:prison_code>/ unless it is national."""

from django.urls import path

from tiering import views

urlpatterns = [
    path("prisons/<prison:prison_code>/prisoners/<str:prison_number>/tier/", views.tier_detail, name="tier_detail"),
]
