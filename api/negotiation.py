"""Content negotiation with a fast path for the common ``Accept`` headers (issue #10).

DRF parses and orders the ``Accept`` header on every request; a machine client almost always sends
``application/json``, ``*/*`` or nothing. For those, with no ``?format=`` and no format suffix, this returns what
DRF's own negotiation would (the first renderer of that media type, or the first renderer for ``*/*``); anything else
goes through DRF's negotiation unchanged (a 406 for a type no renderer makes).
"""

from rest_framework.negotiation import DefaultContentNegotiation

ANY = "*/*"


class ApiContentNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        accept = request.META.get("HTTP_ACCEPT") or ANY
        if not format_suffix and self.settings.URL_FORMAT_OVERRIDE not in request.query_params:
            for renderer in renderers:
                if accept == ANY or accept == renderer.media_type:
                    return renderer, renderer.media_type
        return super().select_renderer(request, renderers, format_suffix)
