from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.rules import add_months, certificate_valid, document_fresh

FAST = settings(max_examples=60, deadline=None)


def test_certificate_valid_at_59_months_not_at_60():
    issued = "2021-06-15"
    assert certificate_valid(issued, "2026-05-15")  # 59 months
    assert certificate_valid(issued, "2026-06-14")  # last valid day
    assert not certificate_valid(issued, "2026-06-15")  # 60 months complete


def test_certificate_not_valid_before_issue():
    assert certificate_valid("2025-10-01", "2025-10-01")
    assert not certificate_valid("2025-10-01", "2025-09-30")


def test_certificate_validity_period_is_a_parameter():
    assert not certificate_valid("2024-01-10", "2025-01-10", months=12)


def test_document_fresh_up_to_twelve_months_inclusive():
    assert document_fresh("2025-06-15", "2026-06-15")
    assert not document_fresh("2025-06-15", "2026-06-16")
    assert not document_fresh("2026-06-16", "2026-06-15")


def test_document_freshness_clamps_month_end():
    assert document_fresh("2024-02-29", "2025-02-28")
    assert not document_fresh("2024-02-29", "2025-03-01")


some_dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


@FAST
@given(issued=some_dates, offset=st.integers(min_value=0, max_value=3000))
def test_certificate_valid_exactly_before_the_anniversary(issued, offset):
    on = issued + timedelta(days=offset)
    assert certificate_valid(issued, on) == (on < add_months(issued, 60))
