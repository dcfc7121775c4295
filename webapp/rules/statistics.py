"""The closed lists a student's statistics fields take their values from (issue 11).

The new-member statistics form (Biểu 2-BTCTW) counts by these values, so free text is refused
(services/student_facts.py). Stored values: the Vietnamese name for religion and education (as
before this list existed: "Không", "12/12"), a code for occupation. Labels are {vi, en}.
"""

#: "No religion" first, then the religions recognised by the State (Ban Tôn giáo Chính phủ: 16
#: religions with registered organisations).
NO_RELIGION = "Không"
RELIGIONS = (
    NO_RELIGION, "Phật giáo", "Công giáo", "Tin Lành", "Cao Đài", "Phật giáo Hòa Hảo", "Hồi giáo",
    "Bà-la-môn", "Baha'i", "Tịnh độ Cư sĩ Phật hội Việt Nam", "Tứ Ân Hiếu Nghĩa", "Bửu Sơn Kỳ Hương",
    "Phật đường Nam tông Minh Sư đạo", "Minh Lý đạo - Tam Tông Miếu", "Cơ đốc Phục lâm", "Mặc môn",
    "Phật giáo Hiếu Nghĩa Tà Lơn",
)

OCCUPATIONS = {
    "pupil": {"vi": "Học sinh", "en": "Pupil"},
    "university_student": {"vi": "Sinh viên", "en": "University student"},
    "worker": {"vi": "Công nhân", "en": "Worker"},
    "farmer": {"vi": "Nông dân", "en": "Farmer"},
    "civil_servant": {"vi": "Cán bộ, công chức, viên chức", "en": "Civil servant"},
    "armed_forces": {"vi": "Lực lượng vũ trang", "en": "Armed forces"},
    "business": {"vi": "Doanh nhân, chủ doanh nghiệp", "en": "Business owner"},
    "other": {"vi": "Khác", "en": "Other"},
}

#: Highest level reached (general education, then professional): the form's education columns.
EDUCATION_LEVELS = {
    "Dưới 12/12": {"vi": "Dưới 12/12 (chưa tốt nghiệp THPT)", "en": "Below upper secondary"},
    "12/12": {"vi": "12/12 (THPT)", "en": "Upper secondary (12/12)"},
    "Trung cấp": {"vi": "Trung cấp", "en": "Vocational secondary"},
    "Cao đẳng": {"vi": "Cao đẳng", "en": "College"},
    "Đại học": {"vi": "Đại học", "en": "University"},
    "Thạc sĩ": {"vi": "Thạc sĩ", "en": "Master's"},
    "Tiến sĩ": {"vi": "Tiến sĩ", "en": "Doctorate"},
}

SEXES = {"F": {"vi": "Nữ", "en": "Female"}, "M": {"vi": "Nam", "en": "Male"}}


_HIGHER = (("đại học", "Đại học"), ("học viện", "Đại học"), ("cao đẳng", "Cao đẳng"))


def defaults_for_school(school):
    """What a new student of `school` (its name) is unless said otherwise.

    A university's (or academy's, college's) students are university students at that level; any
    other school's are pupils finishing upper secondary.
    """
    lowered = (school or "").lower()
    for words, level in _HIGHER:
        if words in lowered:
            return {"occupation": "university_student", "education_level": level}
    return {"occupation": "pupil", "education_level": "12/12"}
