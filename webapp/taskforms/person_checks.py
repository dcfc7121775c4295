"""The checks on people: the introducers (`introducers`, 3-KNĐ) and the verifier, who may be neither the
applicant nor one of the relatives declared (`not_a_relative`)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from webapp.rules import introducer_qualified

from .check_values import Problem, count_value, from_rule_set, name_tokens
from .messages import message, ordinal


def introducers(values: dict, context: Mapping, params: dict, lang: str) -> list[Problem]:
    """3-KNĐ: every introducer named must be an official member who has been with the applicant
    ≥ min_months (a replacement introducer is exempt); two introducers must differ; the Youth
    Union mode needs an applicant who is a Youth Union member (when the case data says so)."""
    problems: list[Problem] = []
    # The case's rule set (introducer_min_months) unless the form names a number; 12 [C] outside a case.
    min_months = from_rule_set(context, "introducer_min_months", params.get("min_months"), 12)
    seen: list[list[str]] = []
    for number, prefix in enumerate(params.get("prefixes", ("introducer1", "introducer2")), start=1):
        name = values.get(f"{prefix}_name")
        if not name:
            continue
        official = values.get(f"{prefix}_official") is True
        replacement = values.get(f"{prefix}_replacement") is True
        months_key = f"{prefix}_months_together"
        months = count_value(values, months_key)
        if months is None and not replacement:  # not given: cannot be judged, and is needed
            problems.append((months_key, message("required", lang)))
        if not introducer_qualified(official, max(months or 0, 0), replacement, min_months=min_months):
            who = {"number": number, "ordinal": ordinal(number, lang), "name": name}
            if not official:
                problems.append((f"{prefix}_official", message("introducer_not_official", lang, **who)))
            if not replacement and months is not None and months < min_months:
                text = message("introducer_too_few_months", lang, months=months, min_months=min_months, **who)
                problems.append((months_key, text))
        tokens = name_tokens(name)
        if tokens and tokens in seen:
            problems.append((f"{prefix}_name", message("introducers_same_person", lang)))
        seen.append(tokens)

    mode_key = params.get("mode")
    member_key = params.get("youth_union_member_from")
    if (
        mode_key
        and member_key
        and values.get(mode_key) == params.get("youth_union_mode")
        and context.get(member_key) is False
    ):
        problems.append((mode_key, message("introducer_mode_not_youth_union_member", lang)))
    return problems

# Words of kinship that may precede a name on a line ("Bố Nguyễn Văn A", "Chú ruột: …").
_KINSHIP = frozenset(
    "bố ba cha mẹ má ông bà anh chị em chú bác cô dì cậu mợ thím dượng con vợ chồng ruột nội ngoại "
    "trai gái nuôi kế đẻ".split()
)


def _relative_names(raw: object) -> list[list[str]]:
    """The names on the relatives' lines: text in brackets dropped, the part after a colon kept,
    segments split at ',', ';' and ' - '; each as a list of lowercase words."""
    lines = raw.splitlines() if isinstance(raw, str) else raw if isinstance(raw, list) else []
    names = []
    for line in lines:
        if not isinstance(line, str):
            continue
        line = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", line).rsplit(":", 1)[-1]
        for segment in re.split(r"[,;]| [-–] ", line):
            tokens = name_tokens(segment)
            if tokens:
                names.append(tokens)
    return names


def _same_name(verifier: list[str], relative: list[str]) -> bool:
    if verifier == relative:
        return True
    while relative and relative[0] in _KINSHIP:
        relative = relative[1:]
    return verifier == relative


def not_a_relative(values: dict, context: Mapping, params: dict, lang: str) -> list[Problem]:
    """The applicant's relatives may never verify the background [S]: the verifier's name may not
    be one of the relatives declared in item 21 (case data `relatives`, one per line). A line may
    carry the relationship ("Bố: Nguyễn Văn A", "Nguyễn Văn A (chú ruột)"); names compare
    without case, spacing or Unicode-composition differences. Names are not identities, so a
    namesake is refused too; the message says why."""
    key = params["field"]
    tokens = name_tokens(values.get(key))
    if not tokens:
        return []
    applicant_key = params.get("applicant_from")
    if applicant_key and tokens == name_tokens(context.get(applicant_key)):
        return [(key, message("verifier_is_applicant", lang))]
    for relative in _relative_names(context.get(params["relatives_from"])):
        if _same_name(tokens, relative):
            return [(key, message("verifier_is_relative", lang))]
    return []
