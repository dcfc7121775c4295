"""The party-awareness course: its result and its class, judged by the case's rule set (issue 10).

`course_certificate`: a passed course (attended, attendance and essay score at the rule set's
minimums) needs its certificate number and date; a failed one may have none.
`course_class_size`: the 2025 rules open a class only with at least `course_min_class_size`
learners [S] (the 2021 rules set no minimum: the check does not apply). The class is the political
centre's, not a record of this product, so its size is the number the centre writes on the result
(field `class_size`, from its class list); a form that does not ask for it is not checked.
"""

from __future__ import annotations

from collections.abc import Mapping

from webapp.rules import course_passes, rulesets

from .check_values import Problem, from_rule_set, number_value
from .messages import fmt_number, message, norm_lang

_TEXTS = {
    "vi": "Lớp chỉ có {size} học viên, ít hơn {minimum} học viên theo {rules}: lớp không đủ điều kiện mở, "
          "không ghi nhận kết quả.",
    "en": "The class has only {size} learners, fewer than the {minimum} of {rules}: the class may not be held, "
          "its result is not recorded.",
}


def course_class_size(values: dict, context: Mapping, params: dict, lang: str) -> list[tuple[str, str]]:
    key = params.get("class_size") or ""
    size = values.get(key)
    rules = rulesets.RULE_SETS.get(context.get("rule_set")) if isinstance(context.get("rule_set"), str) else None
    if rules is None or rules.course_min_class_size is None or isinstance(size, bool) or not isinstance(size, int):
        return []
    if size >= rules.course_min_class_size:
        return []
    text = _TEXTS.get(norm_lang(lang), _TEXTS["vi"])
    return [(key, text.format(size=size, minimum=rules.course_min_class_size, rules=rules.label))]


def course_certificate(values: dict, context: Mapping, params: dict, lang: str) -> list[Problem]:
    """Party-awareness course: a passed course (attended, attendance ≥ min, essay ≥ pass score)
    needs its certificate number and date; a failed one may have none."""
    attendance = number_value(values, params["attendance"])
    score = number_value(values, params["score"])
    if attendance is None or score is None:
        return []
    min_attendance = from_rule_set(context, "course_min_attendance_percent", params.get("min_attendance"), 80)
    pass_score = from_rule_set(context, "course_pass_score", params.get("pass_score"), 5.0)
    try:
        passed = values.get(params["attended"]) is True and course_passes(
            attendance, score, min_attendance=min_attendance, pass_score=pass_score
        )
    except ValueError:  # out of the rule's range: the field limits report it
        return []
    problems = []
    numbers = {"min_attendance": fmt_number(min_attendance, lang),
               "pass_score": f"{float(pass_score):.1f}".replace(".", "," if lang == "vi" else ".")}
    for key in (params["certificate_number"], params["certificate_date"]):
        if passed and values.get(key) is None:
            problems.append((key, message("certificate_required", lang, **numbers)))
        elif not passed and values.get(key) is not None:
            problems.append((key, message("certificate_forbidden", lang, **numbers)))
    return problems
