"""Result of the party-awareness course (domain §2 step 2, 2025 rules [S])."""

from ._checks import real_in_range

# [S] attendance ≥ 80 % and final essay ≥ 5.0 / 10.
MIN_ATTENDANCE_PERCENT = 80
PASS_SCORE = 5.0

# [S] grade bands, lowest score first; a score under the first band has no grade.
_GRADES = (
    (5.0, "trung_binh"),  # Trung bình 5 – <7
    (7.0, "kha"),  # Khá 7 – <8
    (8.0, "gioi"),  # Giỏi 8 – <9
    (9.0, "xuat_sac"),  # Xuất sắc 9 – 10
)


def course_passes(
    attendance_percent: float,
    essay_score: float,
    *,
    min_attendance: float = MIN_ATTENDANCE_PERCENT,
    pass_score: float = PASS_SCORE,
) -> bool:
    attendance = real_in_range(attendance_percent, "attendance_percent", 0, 100)
    score = real_in_range(essay_score, "essay_score", 0, 10)
    return attendance >= min_attendance and score >= pass_score


def course_grade(essay_score: float) -> str | None:
    """Grade code of an essay score out of 10, or None under 5."""
    score = real_in_range(essay_score, "essay_score", 0, 10)
    grade = None
    for lowest, code in _GRADES:
        if score >= lowest:
            grade = code
    return grade
