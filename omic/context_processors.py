from django.conf import settings
from django.urls import reverse

from cases.selectors import prison_active_for_user, prison_list_for_user
from omic.navigation import nav_items_for


def service(request):
    """Header, phase banner, prison switcher and navigation context for every page."""
    context = {
        "service_name": settings.SERVICE_NAME,
        "service_phase": settings.PHASE,
        "idle_minutes": settings.SESSION_COOKIE_AGE // 60,
        "nav_items": [],
        "active_prison": getattr(request, "prison", None),
        "user_prisons": [],
        "prison_switch_url": None,
    }
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    prisons = prison_list_for_user(user=user)
    active = context["active_prison"] or prison_active_for_user(user=user, code=request.session.get("active_prison"))
    context.update(
        {
            "active_prison": active,
            "user_prisons": prisons,
            "prison_switch_url": reverse("prison_switch") if prisons else None,
            "nav_items": nav_items_for(
                user=user, prison_code=active.code if active else None, current_path=request.path
            ),
        }
    )
    return context
