"""Reads about parole. CONTRACT used by dashboards and the API (implement these first)."""


def parole_approaching_list(*, prison, today, pom=None):
    """Allocated cases in the prison (or the POM's own) with a TED, PED or THD from today to today + 10 months
    inclusive, annotated ``parole_date`` (the nearest such date) and ordered by it. One query."""
    raise NotImplementedError


def parole_reviews_for(*, prisoner) -> list:
    """The case's parole reviews, newest first."""
    raise NotImplementedError
