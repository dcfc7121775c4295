"""The party-awareness course's class, judged by the case's rule set (issue 10).

`course_class_size`: the 2025 rules open a class only with at least `course_min_class_size`
learners [S] (the 2021 rules set no minimum: the check does not apply). The class is the political
centre's, not a record of this product, so its size is the number the centre writes on the result
(field `class_size`, from its class list); a form that does not ask for it is not checked.
"""

from __future__ import annotations

from collections.abc import Mapping

from webapp.rules import rulesets

from .messages import norm_lang

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
