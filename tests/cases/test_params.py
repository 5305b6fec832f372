"""cases.params: ids from query strings and forms by one rule (1 to 9 ASCII digits, above 0)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cases.params import positive_id, positive_ids


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", 1),
        ("42", 42),
        ("007", 7),
        ("999999999", 999_999_999),
        (12, 12),
        ("0", None),
        ("", None),
        (None, None),
        ("²", None),  # "²".isdigit() is True, int("²") raises
        ("١٢", None),  # Arabic-Indic digits: int() would accept them
        ("１", None),  # full-width digit
        ("1234567890", None),
        ("99999999999999999999", None),
        ("-1", None),
        (" 1", None),
        ("1\n", None),
        ("1.0", None),
        (True, None),
        (0, None),
        (10**12, None),
        (["1"], None),
    ],
)
def test_positive_id(value, expected):
    assert positive_id(value) == expected


@given(st.text(max_size=12))
def test_positive_id_never_raises_and_only_gives_small_positive_ints(text):
    result = positive_id(text)
    assert result is None or (0 < result <= 999_999_999 and str(result) == text.lstrip("0"))


def test_positive_ids_keeps_the_ids_in_order():
    assert positive_ids(["3", "²", "1", "99999999999999999999", "abc", "2"]) == [3, 1, 2]
