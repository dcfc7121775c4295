"""The new-member statistics form (Biểu 2-BTCTW and companions) as data: its columns, in order.

Each column is a condition on the new member (the student of a case that reached `admitted` in the
period: the ceremony's date) or their age that day. The page, the .xlsx and the CSV draw exactly
these columns, so a change of the form is a change of this list.

`confirmed` says whether the column is one the sources name (domain.md §4: Youth Union members,
women, ethnic minorities, pupils and students separately, age bands 18–30, 31–35, …). The 2025
edition of the form has not been seen: religion, education levels and re-admissions follow the
2021 companions' usual columns and are shown as unconfirmed on the page.
"""
from dataclasses import dataclass

from sqlalchemy import and_, false, true

from ...models import Student
from ...rules.ethnicities import MAJORITY
from ...rules.statistics import EDUCATION_LEVELS, NO_RELIGION


@dataclass(frozen=True)
class Column:
    key: str
    label: dict  # {vi, en}
    group: dict | None  # the header above a group of columns, {vi, en}
    condition: object  # age expression -> SQL condition on Student
    confirmed: bool = True


def _age_between(low, high):
    def condition(age):
        return and_(age >= low, age <= high) if high is not None else age >= low
    return condition


def _education_is(value):
    return lambda age: Student.education_level == value


_ALL = {"vi": "Trong đó", "en": "Of whom"}
_AGE = {"vi": "Tuổi đời", "en": "Age"}
_EDU = {"vi": "Trình độ học vấn, chuyên môn", "en": "Education"}

AGE_BANDS = ((18, 30), (31, 35), (36, 40), (41, 45), (46, 50), (51, 55), (56, 60), (61, None))

COLUMNS = (
    Column("total", {"vi": "Tổng số đảng viên mới kết nạp", "en": "New members, total"}, None, lambda age: true()),
    Column("youth_union", {"vi": "Đoàn viên TNCS Hồ Chí Minh", "en": "Youth Union members"}, _ALL,
           lambda age: Student.youth_union_member.is_(True)),
    Column("women", {"vi": "Nữ", "en": "Women"}, _ALL, lambda age: Student.sex == "F"),
    Column("ethnic_minority", {"vi": "Dân tộc thiểu số", "en": "Ethnic minorities"}, _ALL,
           lambda age: Student.ethnicity != MAJORITY),
    Column("religion", {"vi": "Có đạo (tôn giáo)", "en": "Religious"}, _ALL,
           lambda age: Student.religion != NO_RELIGION, confirmed=False),
    Column("pupils", {"vi": "Học sinh", "en": "Pupils"}, _ALL, lambda age: Student.occupation == "pupil"),
    Column("university_students", {"vi": "Sinh viên", "en": "University students"}, _ALL,
           lambda age: Student.occupation == "university_student"),
    Column("readmission", {"vi": "Kết nạp lại", "en": "Re-admissions"}, _ALL,
           lambda age: Student.readmission.is_(True), confirmed=False),
    *(Column(f"age_{low}", {"vi": f"{low}–{high}" if high else f"Trên {low - 1}",
                            "en": f"{low}–{high}" if high else f"Over {low - 1}"}, _AGE, _age_between(low, high))
      for low, high in AGE_BANDS),
    *(Column(f"edu_{index}", label, _EDU, _education_is(value), confirmed=False)
      for index, (value, label) in enumerate(EDUCATION_LEVELS.items())),
)
COLUMN_KEYS = tuple(column.key for column in COLUMNS)
BY_KEY = {column.key: column for column in COLUMNS}
#: Which age bands the sources confirm: every band, the form counting by five years past 30.
UNCONFIRMED_NOTE = {
    "vi": "Mẫu Biểu 2-BTCTW năm 2025 chưa được đối chiếu: các cột đánh dấu * (tôn giáo, trình độ, kết nạp lại) "
          "theo mẫu 2021 và cần xác nhận.",
    "en": "The 2025 edition of form 2-BTCTW has not been checked: the columns marked * (religion, education, "
          "re-admissions) follow the 2021 form and need confirming.",
}


def column_condition(key, age):
    """The SQL condition of column `key` (false for an unknown key: nothing is listed)."""
    column = BY_KEY.get(key)
    return column.condition(age) if column else false()
