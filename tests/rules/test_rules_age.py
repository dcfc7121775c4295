from datetime import date, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from webapp.rules import age_in_months, is_of_age, month_of_majority

FAST = settings(max_examples=60, deadline=None)
BORN = "2008-06-15"


def test_age_counts_months_only_by_default():
    assert age_in_months(BORN, "2026-06-01") == 216
    assert age_in_months(BORN, "2026-05-31") == 215


def test_age_with_day_counting_waits_for_the_birthday():
    assert age_in_months(BORN, "2026-06-14", day_counts=True) == 215
    assert age_in_months(BORN, "2026-06-15", day_counts=True) == 216


def test_student_born_mid_june_2008_is_of_age_in_june_2026_not_may():
    assert is_of_age(BORN, "2026-06-01")
    assert not is_of_age(BORN, "2026-05-31")


def test_day_counting_variant_of_age_check():
    assert not is_of_age(BORN, "2026-06-14", day_counts=True)
    assert is_of_age(BORN, "2026-06-15", day_counts=True)


def test_upper_bound_means_not_older_than_sixty_full_years():
    born = "1966-03-10"
    assert is_of_age(born, "2026-03-01")  # 60 years 0 months
    assert is_of_age(born, "2027-02-28")  # 60 years 11 months
    assert not is_of_age(born, "2027-03-01")  # 61 by month


def test_age_thresholds_are_parameters():
    assert is_of_age(BORN, "2026-05-01", min_months=215)
    assert not is_of_age("1970-01-01", "2026-01-01", max_years=55)


def test_month_of_majority_is_first_day_of_eighteenth_birthday_month():
    assert month_of_majority(BORN) == date(2026, 6, 1)
    assert month_of_majority("2008-12-31") == date(2026, 12, 1)


def test_month_of_majority_with_day_counting_is_the_birthday_or_next_first():
    assert month_of_majority(BORN, day_counts=True) == date(2026, 6, 15)
    assert month_of_majority("2008-02-29", day_counts=True) == date(2026, 3, 1)


@pytest.mark.parametrize(("dob", "on"), [(None, "2026-01-01"), (BORN, "not a date"), (BORN, "2008-06-14")])
def test_bad_age_input_raises_value_error(dob, on):
    with pytest.raises(ValueError):
        age_in_months(dob, on)


def test_day_counts_must_be_a_real_bool():
    with pytest.raises(ValueError):
        age_in_months(BORN, "2026-06-15", day_counts="false")


births = st.dates(min_value=date(1940, 1, 1), max_value=date(2030, 12, 31))
gaps = st.integers(min_value=0, max_value=70 * 366)


@FAST
@given(born=births, gap=gaps, step=st.integers(min_value=1, max_value=400), day_counts=st.booleans())
def test_age_is_monotone_in_the_date(born, gap, step, day_counts):
    earlier = born + timedelta(days=gap)
    later = earlier + timedelta(days=step)
    assert age_in_months(born, earlier, day_counts=day_counts) <= age_in_months(
        born, later, day_counts=day_counts
    )


@FAST
@given(born=births, day_counts=st.booleans())
def test_month_of_majority_is_the_first_day_of_age(born, day_counts):
    majority = month_of_majority(born, day_counts=day_counts)
    assert is_of_age(born, majority, day_counts=day_counts)
    day_before = majority - timedelta(days=1)
    assume(day_before >= born)
    assert not is_of_age(born, day_before, day_counts=day_counts)


@FAST
@given(born=births, gap=gaps)
def test_day_counting_never_makes_someone_older(born, gap):
    on = born + timedelta(days=gap)
    by_month = age_in_months(born, on)
    by_day = age_in_months(born, on, day_counts=True)
    assert by_month - 1 <= by_day <= by_month
