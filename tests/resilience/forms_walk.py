"""Find every POST form the service renders: walk the URL patterns (tests/url_walk.py), GET each page as a user
holding every prison role and service admin, and read each ``<form method="post">``'s field names and choices."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.urls import resolve

from tests.url_walk import prison_samples, url_entries

SKIP_PREFIXES = ("admin", "api")  # the Django admin is Django's; the API is fuzzed by schemathesis
SKIP_NAMES = {"login", "logout", "oidc_authentication_init", "oidc_authentication_callback", "oidc_logout"}


@dataclass
class PostForm:
    page: str  # the page showing the form
    action: str  # where it posts
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> choices (option/radio/checkbox values)

    def __str__(self) -> str:
        return f"{self.action} (from {self.page}): {', '.join(sorted(self.fields))}"


class _FormParser(HTMLParser):
    def __init__(self, page: str):
        super().__init__()
        self.page, self.forms, self._form, self._select = page, [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self._form = PostForm(self.page, urljoin(self.page, attrs.get("action") or self.page))
        elif self._form is None:
            return
        elif tag in ("input", "textarea", "select") and attrs.get("name"):
            name = attrs["name"]
            if name == "csrfmiddlewaretoken" or attrs.get("type") in ("submit", "button", "image", "reset"):
                return
            choices = self._form.fields.setdefault(name, [])
            if attrs.get("type") in ("radio", "checkbox", "hidden") and attrs.get("value") is not None:
                choices.append(attrs["value"])
            if tag == "select":
                self._select = name
        elif tag == "option" and self._select is not None:
            self._form.fields[self._select].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


def _pages(samples: dict):
    for entry in url_entries():
        if not entry.name or entry.name.split(":")[0] in SKIP_PREFIXES or entry.name in SKIP_NAMES:
            continue
        if entry.route.startswith(SKIP_PREFIXES) or any(p not in samples for p in entry.params):
            continue
        yield entry.url(samples)


def post_forms(client, *, prison_code: str, prisoner, extra_pages=()) -> list[PostForm]:
    """Every distinct POST form (by action and field names) on every page the walk can fill in, and on
    ``extra_pages`` (pages whose form needs a query string or a parameter the walk has no sample for)."""
    samples = prison_samples(prison_code=prison_code, prisoner=prisoner)
    found: dict[tuple, PostForm] = {}
    for page in [*_pages(samples), *extra_pages]:
        response = client.get(page)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = _FormParser(page)
        parser.feed(response.content.decode())
        for form in parser.forms:
            if resolve(urlsplit(form.action).path).url_name in SKIP_NAMES:
                continue  # signing out would end the walk's session
            key = (form.action, tuple(sorted(form.fields)))
            found.setdefault(key, form)
    return list(found.values())
