from django.conf import settings


def service(request):
    """The service name and phase, for the header and phase banner on every page."""
    return {"service_name": settings.SERVICE_NAME, "service_phase": settings.PHASE}
