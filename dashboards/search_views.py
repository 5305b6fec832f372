"""Search by name or prison number across the user's prisons; a POM's own cases come first."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render

from cases.scoping import prison_page
from cases.selectors import prison_list_for_user
from dashboards.search_selectors import MAX_LENGTH, MIN_LENGTH, prisoner_search

PAGE_SIZE = 25


@prison_page(perm="dashboards.search")
def search(request):
    term = request.GET.get("q", "").strip()
    error = ""
    page = None
    if "q" in request.GET:
        if len(term) < MIN_LENGTH:
            error = f"Enter at least {MIN_LENGTH} characters of a name or prison number"
        elif len(term) > MAX_LENGTH:
            error = f"Search must be {MAX_LENGTH} characters or fewer"
    if term and not error:
        prisons = prison_list_for_user(user=request.user)
        results = prisoner_search(user=request.user, prisons=prisons, term=term)
        page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list) if page else []
    return render(
        request,
        "dashboards/search/search.html",
        {
            "prison": request.prison,
            "term": term[:MAX_LENGTH],
            "error": error,
            "page": page,
            "mine": [r for r in rows if r.is_mine],
            "others": [r for r in rows if not r.is_mine],
            "many_prisons": len(prison_list_for_user(user=request.user)) > 1,
            "query": urlencode({"q": term}),
        },
    )
