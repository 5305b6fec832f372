"""Page-number pagination for the API's lists: ``?page=1&pageSize=100`` (at most 500), with next/previous links."""

from django.db.models import QuerySet

from api.read_serializers import PageInputSerializer


def page_of(request, queryset: QuerySet, row, *, params: dict | None = None) -> dict:
    """One page of ``queryset`` with each item turned into a dict by ``row``: a count query and a page query."""
    paging = PageInputSerializer(data=request.query_params)
    paging.is_valid(raise_exception=True)
    page, size = paging.validated_data["page"], paging.validated_data["pageSize"]
    count = queryset.count()
    start = (page - 1) * size
    items = [row(item) for item in queryset[start : start + size]] if start < count else []

    def link(number: int) -> str:
        query = request.query_params.copy()
        query["page"] = str(number)
        query["pageSize"] = str(size)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return {
        "count": count,
        "page": page,
        "pageSize": size,
        "next": link(page + 1) if start + size < count else None,
        "previous": link(page - 1) if page > 1 and start - size < count else None,
        "results": items,
    }
