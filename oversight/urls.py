"""Management oversight pages, under /prisons/<prison:prison_code>/oversight/."""

urlpatterns: list = []
