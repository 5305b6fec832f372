"""Only the API's addresses, so that the API tests do not depend on every page module importing cleanly.

``tests/test_api_urls_wired`` checks that the real ROOT_URLCONF serves the same API under /api/.
"""

from django.http import HttpResponse
from django.urls import include, path

urlpatterns = [path("api/", include("api.urls"))]


# The project's error pages extend base.html, whose links need the page URLs left out here; plain pages instead
# (under /api/ they become problem details in api.errors.ApiProblemMiddleware either way).
def _plain(status):
    def view(request, exception=None):  # noqa: ARG001
        return HttpResponse(f"Error {status}", status=status, content_type="text/html")

    return view


handler400 = _plain(400)
handler403 = _plain(403)
handler404 = _plain(404)
handler500 = _plain(500)
