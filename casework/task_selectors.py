"""Reads about case tasks. CONTRACT used by dashboards and the API (implement these first)."""


def task_list(*, prison, today, pom=None, kind=None, state=None):
    """CaseTask rows of the prison's cases (or the POM's own primary cases), annotated ``is_overdue`` (due and the
    due date before today). ``state`` is one of "due", "overdue", "done", "not_needed" or None (all)."""
    raise NotImplementedError


def next_task_due_for(*, prison_numbers, today) -> dict:
    """{prison_number: the open CaseTask due soonest}, in one query."""
    raise NotImplementedError


def overdue_counts(*, prison, today) -> dict:
    """{"total": n, "by_kind": {kind: n}, "by_pom": {pom_profile_id: n}} of overdue tasks; the totals match
    ``task_list(state="overdue")``."""
    raise NotImplementedError


def service_level_for(*, prisoner, today):
    """The case's service level (D-11): an object with ``full`` (bool) and ``reason`` (str)."""
    raise NotImplementedError
