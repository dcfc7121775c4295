import pytest

from webapp.rules import introducer_qualified


def test_official_member_with_twelve_months_qualifies():
    assert introducer_qualified(True, 12)
    assert not introducer_qualified(True, 11)


def test_probationary_member_never_qualifies():
    assert not introducer_qualified(False, 40)
    assert not introducer_qualified(False, 0, True)


def test_replacement_introducer_needs_no_months():
    assert introducer_qualified(True, 0, True)


def test_months_required_is_a_parameter():
    assert introducer_qualified(True, 6, min_months=6)


@pytest.mark.parametrize("arguments", [("yes", 12), (True, -1), (True, None), (True, 12, "false")])
def test_bad_introducer_input_raises(arguments):
    with pytest.raises(ValueError):
        introducer_qualified(*arguments)
