"""Benchmarks: run each as a script (see bench/README.md); not part of the test suite."""
