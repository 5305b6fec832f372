import datetime as dt

import pytest

TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def today():
    return TODAY
