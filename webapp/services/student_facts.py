"""The statistics fields of a student, checked against the official lists (issue 11).

Every entry path (the new case page, the batch nomination, the demo) goes through `clean_statistics`
before a student is stored (services/cases.py), so the new-member form (Biểu 2-BTCTW) can count by
sex, ethnicity, religion, occupation, education level, Youth Union membership and re-admission.
A value left out takes the unit's default (a university's cell: university students, "Đại học");
a value outside the lists is refused with a code per field (pages/labels.py words it) and nothing
is stored. Values are matched ignoring case, spacing and Unicode composition ("kinh", "Phật  giáo"),
and stored as the list spells them.
"""
import unicodedata

from ..rules.ethnicities import ETHNICITIES, MAJORITY
from ..rules.statistics import EDUCATION_LEVELS, NO_RELIGION, OCCUPATIONS, RELIGIONS, SEXES, defaults_for_school
from .errors import InvalidSubmission
from .schools import school_name

LISTS = {
    "sex": tuple(SEXES),
    "ethnicity": ETHNICITIES,
    "religion": RELIGIONS,
    "occupation": tuple(OCCUPATIONS),
    "education_level": tuple(EDUCATION_LEVELS),
}
FLAGS = {"youth_union_member": True, "readmission": False}


def _key(value):
    return " ".join(unicodedata.normalize("NFC", str(value)).casefold().split())


_CANONICAL = {field: {_key(value): value for value in values} for field, values in LISTS.items()}


def unit_defaults(unit_id):
    """What a new student of `unit_id` is unless said otherwise."""
    return {"ethnicity": MAJORITY, "religion": NO_RELIGION, **defaults_for_school(school_name(unit_id)),
            **FLAGS}


def clean_statistics(fields, unit_id):
    """`fields` with its statistics fields checked, spelt as the lists spell them, defaults filled in.

    Raises InvalidSubmission({field: ["<field>_not_in_list"]}) for a value outside the lists.
    """
    defaults, cleaned, errors = unit_defaults(unit_id), dict(fields), {}
    for field, canonical in _CANONICAL.items():
        value = fields.get(field)
        if value is None or str(value).strip() == "":
            if field in defaults:
                cleaned[field] = defaults[field]
            continue  # sex is required: services/cases.py says so
        found = canonical.get(_key(value))
        if found is None:
            errors[field] = [f"{field}_not_in_list"]
        else:
            cleaned[field] = found
    for flag, default in FLAGS.items():
        value = fields.get(flag)
        cleaned[flag] = default if value is None or value == "" else _flag(value, flag, errors)
    if errors:
        raise InvalidSubmission(errors)
    return cleaned


def _flag(value, name, errors):
    if isinstance(value, bool):
        return value
    text = _key(value)
    if text in ("y", "yes", "true", "1", "on", "có"):
        return True
    if text in ("n", "no", "false", "0", "off", "không"):
        return False
    errors[name] = ["invalid"]
    return False
