"""Management oversight: the HOMD's monthly audit of a sample of each POM's cases (omic-requirements.md 5.3)."""
