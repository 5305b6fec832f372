"""Dashboards and caseload pages: the POM caseload, the HOMD dashboard, national measures, the prisoner profile and
search. A workflow layer app: it reads through the engines' and records' selectors."""
