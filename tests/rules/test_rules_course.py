import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.rules import course_grade, course_passes

FAST = settings(max_examples=60, deadline=None)


def test_course_passes_with_enough_attendance_and_score():
    assert course_passes(80, 5.0)
    assert course_passes(100, 10)
    assert not course_passes(79.9, 9)
    assert not course_passes(95, 4.99)


def test_course_thresholds_are_parameters():
    assert course_passes(70, 4, min_attendance=70, pass_score=4)


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        (0, None),
        (4.99, None),
        (5, "trung_binh"),
        (6.99, "trung_binh"),
        (7, "kha"),
        (7.99, "kha"),
        (8, "gioi"),
        (8.5, "gioi"),
        (9, "xuat_sac"),
        (10, "xuat_sac"),
    ],
)
def test_course_grade_bands(score, grade):
    assert course_grade(score) == grade


@pytest.mark.parametrize("score", [None, "7", -0.1, 10.5, float("nan"), True])
def test_bad_score_raises(score):
    with pytest.raises(ValueError):
        course_grade(score)


@pytest.mark.parametrize(("attendance", "score"), [(101, 5), (-1, 5), (None, 5), (80, 11)])
def test_bad_course_input_raises(attendance, score):
    with pytest.raises(ValueError):
        course_passes(attendance, score)


@FAST
@given(score=st.floats(min_value=0, max_value=10))
def test_a_grade_exactly_when_the_essay_passes(score):
    assert (course_grade(score) is not None) == course_passes(100, score)
