"""The dashboard's lists sorted by a rate, in integers (dashboard.statuses.largest_first), in exactly the order
a sort by the exact Fraction gives, ties kept in budget order."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from dashboard.statuses import largest_first

# Ratios that tie as floats but differ exactly: the second is larger by 1 / 10**17 of the first.
NEAR = [(10**17, 3 * 10**17), (10**17 + 1, 3 * 10**17), (1, 3), (2, 6)]

ratios = st.lists(
    st.one_of(
        st.tuples(st.integers(-(10**13), 10**13), st.integers(1, 10**13)),
        st.sampled_from(NEAR),
    ),
    max_size=60,
)


@given(ratios)
def test_largest_first_is_the_exact_order_and_stable(pairs):
    items = list(enumerate(pairs))  # the index stands for budget order
    exact = sorted(items, key=lambda item: -Fraction(*item[1]))
    assert largest_first(items, lambda item: item[1]) == exact


def test_floats_that_tie_are_ordered_by_the_exact_ratio():
    items = list(enumerate(NEAR))
    assert [i for i, _ratio in largest_first(items, lambda item: item[1])] == [1, 0, 2, 3]
