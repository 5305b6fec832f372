from tests.resilience.fuzz_tally import TALLY, report


def pytest_terminal_summary(terminalreporter):
    if TALLY:
        terminalreporter.write_line(report())
