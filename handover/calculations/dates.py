"""Date steps for the handover rules (DECISIONS.md D-02, D-03, D-04).

Calendar months, clamped to the last day of a shorter month, then days: "8.5 months" is 8 months then 14 days,
"7.5 months" is 7 months then 15 days, "4.5 months" is 4 months then 15 days. `relativedelta` does exactly this
(months first with clamping, then the days), so every offset is one precomputed relativedelta constant.

A relativedelta step costs about 10 microseconds, more than the rest of a calculation; the nightly sweep meets the
same few thousand dates again and again, so each step is memoised per day (a bounded cache of plain dates).
"""

from datetime import date, timedelta
from functools import lru_cache

from dateutil.relativedelta import relativedelta

MONTHS_8 = relativedelta(months=8)
MONTHS_8_DAYS_14 = relativedelta(months=8, days=14)  # "8.5 months" (2023-05 onwards, standard determinate)
MONTHS_7_DAYS_15 = relativedelta(months=7, days=15)  # "7.5 months" (2019 and 2022-10 NPS)
MONTHS_4_DAYS_15 = relativedelta(months=4, days=15)  # "4.5 months" (2019 NPS MAPPA 1/N)
MONTHS_10 = relativedelta(months=10)  # the short-sentence threshold (D-04)
MONTHS_12 = relativedelta(months=12)  # parole and indeterminate (2023-11 onwards); the THD test (D-03)
MONTHS_15 = relativedelta(months=15)  # early allocation
WEEKS_12 = timedelta(weeks=12)  # legacy CRC (2019 and 2022-10)
_CACHE_SIZE = 1 << 15


def _before(offset: relativedelta):
    @lru_cache(maxsize=_CACHE_SIZE)
    def step(day: date) -> date:
        return day - offset

    return step


def _after(offset: relativedelta):
    @lru_cache(maxsize=_CACHE_SIZE)
    def step(day: date) -> date:
        return day + offset

    return step


months_8_before = _before(MONTHS_8)
months_8_days_14_before = _before(MONTHS_8_DAYS_14)
months_7_days_15_before = _before(MONTHS_7_DAYS_15)
months_4_days_15_before = _before(MONTHS_4_DAYS_15)
months_12_before = _before(MONTHS_12)
months_15_before = _before(MONTHS_15)
months_10_after = _after(MONTHS_10)
months_12_after = _after(MONTHS_12)


def is_short(sentence_start: date, earliest_release: date) -> bool:
    """D-04: a release on or before sentence start + 10 months is short (the boundary day itself is short)."""
    return earliest_release <= months_10_after(sentence_start)


def thd_at_least_12_months_away(target_hearing: date | None, as_of: date) -> bool:
    """D-03: date-only and inclusive: the THD is on or after as_of + 12 months."""
    return target_hearing is not None and target_hearing >= months_12_after(as_of)
