import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.rules import (
    MIN_CELL_MEMBERS,
    counted_members,
    tally_problems,
    threshold,
    two_thirds_threshold,
    vote_passes,
)

FAST = settings(max_examples=100, deadline=None)


@pytest.mark.parametrize(("count", "expected"), [(0, 0), (1, 1), (3, 2), (4, 3), (9, 6), (10, 7), (11, 8)])
def test_two_thirds_threshold_examples(count, expected):
    assert two_thirds_threshold(count) == expected


def test_general_threshold():
    assert threshold(10, 1, 2) == 5
    assert threshold(11, 1, 2) == 6
    assert threshold(7, 3, 4) == 6
    assert threshold(9) == 6


@pytest.mark.parametrize("arguments", [(-1,), (3, -1, 3), (3, 2, 0), (2.5,), (None,), (True,)])
def test_threshold_rejects_bad_input(arguments):
    with pytest.raises(ValueError):
        threshold(*arguments)


def test_threshold_accepts_integral_floats_from_json():
    assert two_thirds_threshold(9.0) == 6


def test_counted_members_drops_attached_and_exempt_absent():
    # 12 official members, 1 temporarily attached elsewhere, 2 exempted and absent: 9 counted, 6 needed.
    assert counted_members(12, temporarily_attached=1, exempt_absent=2) == 9
    assert two_thirds_threshold(counted_members(12, 1, 2)) == 6
    assert counted_members(5) == 5


@pytest.mark.parametrize("arguments", [(3, 2, 2), (-1,), (5, -1), (5, 0, -1)])
def test_counted_members_rejects_negative(arguments):
    with pytest.raises(ValueError):
        counted_members(*arguments)


def test_vote_passes_at_two_thirds_of_counted_members():
    assert vote_passes(6, 9)
    assert not vote_passes(5, 9)
    assert vote_passes(7, 10)
    assert not vote_passes(6, 10)
    assert vote_passes(2, 3)


def test_vote_with_no_counted_member_never_passes():
    assert not vote_passes(0, 0)


def test_vote_passes_with_other_fraction():
    assert vote_passes(5, 10, 1, 2)
    assert not vote_passes(4, 10, 1, 2)


def test_min_cell_members_is_three():
    assert MIN_CELL_MEMBERS == 3


def test_consistent_tally_has_no_problems():
    assert tally_problems(members=9, present=8, agree=6, disagree=1, minimum_members=3) == []


def test_tally_problem_codes():
    assert tally_problems(members=2, present=2, agree=2, disagree=0, minimum_members=MIN_CELL_MEMBERS) == [
        "too_few_members"
    ]
    assert tally_problems(members=9, present=10, agree=6, disagree=0) == ["present_exceeds_members"]
    assert tally_problems(members=9, present=7, agree=6, disagree=2) == ["votes_exceed_present"]
    assert "negative_count" in tally_problems(members=9, present=7, agree=-1, disagree=0)


def test_tally_without_minimum_does_not_check_size():
    assert tally_problems(members=1, present=1, agree=1, disagree=0) == []


def test_tally_rejects_non_numbers():
    with pytest.raises(ValueError):
        tally_problems(members=None, present=1, agree=1, disagree=0)


counts = st.integers(min_value=0, max_value=500)


@FAST
@given(n=counts)
def test_threshold_is_least_count_reaching_two_thirds(n):
    k = two_thirds_threshold(n)
    assert k * 3 >= 2 * n
    assert k == 0 or (k - 1) * 3 < 2 * n


@FAST
@given(n=counts, numerator=st.integers(0, 10), denominator=st.integers(1, 10))
def test_general_threshold_is_least_reaching_fraction(n, numerator, denominator):
    k = threshold(n, numerator, denominator)
    assert k * denominator >= numerator * n
    assert k == 0 or (k - 1) * denominator < numerator * n


@FAST
@given(counted=counts, agree=counts, more=st.integers(0, 50))
def test_vote_passes_is_monotone_in_agree(counted, agree, more):
    if vote_passes(agree, counted):
        assert vote_passes(agree + more, counted)


@FAST
@given(counted=st.integers(1, 500))
def test_vote_passes_exactly_from_threshold(counted):
    k = two_thirds_threshold(counted)
    assert vote_passes(k, counted)
    assert not vote_passes(k - 1, counted)


@FAST
@given(members=counts, present=counts, agree=counts, disagree=counts)
def test_tally_is_consistent_exactly_when_counts_add_up(members, present, agree, disagree):
    consistent = present <= members and agree + disagree <= present
    problems = tally_problems(members=members, present=present, agree=agree, disagree=disagree)
    assert (problems == []) == consistent
