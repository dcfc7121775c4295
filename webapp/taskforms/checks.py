"""Named cross-field rules, referenced from a schema as `"x-checks": [{"rule": name, ...params}]`.

A check is `check(values, context, params, lang) -> [(field name or "_form", message)]`:
`values` are the clean, JSON-native values of the fields that were valid (dates as ISO strings,
empty optional fields absent), `context` the case data (read-only), `params` the rule's
parameters from the definition with defaults filled in. A check skips what it cannot evaluate
(an input missing or invalid already has its own field error) and never raises on purpose;
the caller still guards it. The domain arithmetic comes from `webapp.rules`.

Parameters are declared per rule in CHECK_PARAMS and checked when a definition is loaded, so a
definition naming a missing field or an unknown parameter is refused before it reaches a user.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from typing import Any

from webapp.rules import (
    RuleSet,
    add_working_days,
    as_date,
    counted_members,
    course_passes,
    introducer_qualified,
    rule_value,
    tally_problems,
    threshold,
    vote_passes,
)

from .act_checks import act_conditions, act_dates, certificate_in_time
from .course_checks import course_class_size
from .messages import fmt_date, fmt_number, message, ordinal

FORM = "_form"

Problem = tuple[str, str]
Check = Callable[[dict, Mapping, dict, str], list[Problem]]


class CheckParamError(Exception):
    def __init__(self, key: str, detail: str):
        super().__init__(f"{key}: {detail}")
        self.key = key
        self.detail = detail


@dataclass(frozen=True)
class Param:
    """kind: 'field' (a field of the form, of one of `types`), 'context_key', 'int' (≥ 0),
    'positive_int', 'number', 'value' (a JSON scalar), 'names' (list of identifiers)."""

    kind: str
    types: tuple[str, ...] = ()
    required: bool = False
    default: Any = None
    optional_field: bool = False  # a defaulted field that may be absent from the form


# ---------------------------------------------------------------- helpers


def _count(values: Mapping, key: str | None) -> int | None:
    value = values.get(key) if key else None
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def _number(values: Mapping, key: str | None) -> float | None:
    value = values.get(key) if key else None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


def _from_rule_set(context: Mapping, name: str, given: Any, fallback: Any) -> Any:
    """A number the form names itself, else the value of the case's rule set (context `rule_set`),
    else `fallback` (a form checked outside a case, e.g. a preview)."""
    if given is not None:
        return given
    rule_set = context.get("rule_set")
    try:
        return rule_value(rule_set, name) if isinstance(rule_set, str) else fallback
    except ValueError:
        return fallback


def _name_tokens(name: object) -> list[str]:
    if not isinstance(name, str):
        return []
    return re.findall(r"\w+", unicodedata.normalize("NFC", name).casefold())


# ---------------------------------------------------------------- vote_tally


def vote_minimum(params: Mapping, rule_set: str | None) -> int | None:
    """The fewest counted members a vote may be held with. The cell vote's form names the rule
    (`minimum_rule: min_cell_members`), so the number is the case's rule set's; a number written in
    the form itself still wins. Outside a case (no rule set) the rule sets' common default stands."""
    minimum = params.get("minimum_members")
    if minimum is None and params.get("minimum_rule"):
        name = str(params["minimum_rule"])
        common = next((f.default for f in dataclass_fields(RuleSet) if f.name == name), None)
        minimum = _from_rule_set({"rule_set": rule_set}, name, None, common)
    return minimum


def vote_fraction(params: Mapping, rule_set: str | None) -> tuple[int, int]:
    """The (numerator, denominator) a vote or decision needs: written in the form (`numerator`,
    `denominator` of decision_vote), else the case's rule set's `fraction_rule` value, else the
    rule sets' common default (outside a case)."""
    if params.get("numerator") and params.get("denominator"):
        return params["numerator"], params["denominator"]
    name = str(params.get("fraction_rule") or "cell_vote_fraction")
    common = next((f.default for f in dataclass_fields(RuleSet) if f.name == name), (2, 3))
    fraction = _from_rule_set({"rule_set": rule_set}, name, None, common)
    return fraction if isinstance(fraction, tuple) and len(fraction) == 2 else (2, 3)


def vote_tally(values: dict, context: Mapping, params: dict, lang: str) -> list[Problem]:
    """A vote record that does not add up (6-KNĐ, 8-KNĐ, 13-KNĐ, 15-KNĐ).

    counted = counted_members(members, attached, exempt_absent); then each tally_problems code
    is an error. A tally that fails the threshold is NOT an error: the process branches on it.
    """
    keys = {role: params.get(role) for role in ("members", "attached", "exempt_absent")}
    keys |= {role: params.get(role) for role in ("present", "agree", "disagree")}
    counts = {role: _count(values, key) if key else 0 for role, key in keys.items()}
    if any(value is None for value in counts.values()):
        return []
    official, attached, exempt = counts["members"], counts["attached"], counts["exempt_absent"]
    present, agree, disagree = counts["present"], counts["agree"], counts["disagree"]
    if any(value < 0 for value in counts.values()):
        return [(FORM, message("tally_negative_count", lang))]
    if attached + exempt > official:
        target = keys["attached"] or keys["exempt_absent"] or keys["members"]
        text = message("tally_excluded_exceed_members", lang, excluded=attached + exempt, official=official)
        return [(target, text)]
    counted = counted_members(official, attached, exempt)
    minimum = vote_minimum(params, context.get("rule_set"))
    problems = []
    for code in tally_problems(
        members=counted, present=present, agree=agree, disagree=disagree, minimum_members=minimum
    ):
        if code == "too_few_members":
            text = message("tally_too_few_members", lang, counted=counted, minimum=minimum)
            problems.append((keys["members"], text))
        elif code == "present_exceeds_members":
            text = message("tally_present_exceeds_members", lang, present=present, counted=counted)
            problems.append((keys["present"], text))
        elif code == "votes_exceed_present":
            text = message(
                "tally_votes_exceed_present",
                lang,
                agree=agree,
                disagree=disagree,
                total=agree + disagree,
                present=present,
            )
            problems.append((keys["agree"], text))
        else:
            problems.append((FORM, message("tally_negative_count", lang)))
    return problems


# ---------------------------------------------------------------- decision_vote


def decision_vote(values: dict, context: Mapping, params: dict, lang: str) -> list[Problem]:
    """A decision by a body of `members` (9-KNĐ, recognition): agree ≤ members, and an approving
    decision needs agree ≥ ⌈numerator/denominator × members⌉ (default 2/3)."""
    agree_key = params["agree"]
    members, agree = _count(values, params["members"]), _count(values, agree_key)
    if members is None or agree is None or members < 0 or agree < 0:
        return []
    if agree > members:
        return [(agree_key, message("decision_agree_exceeds_members", lang, agree=agree, members=members))]
    numerator, denominator = vote_fraction({"fraction_rule": "standing_committee_fraction", **params},
                                           context.get("rule_set"))
    if values.get(params["decision"]) == params["approve"] and not vote_passes(agree, members, numerator, denominator):
        needed = threshold(members, numerator, denominator)
        text = message(
            "decision_below_threshold",
            lang,
            needed=needed,
            members=members,
            agree=agree,
            numerator=numerator,
            denominator=denominator,
        )
        return [(agree_key, text)]
    return []


# ---------------------------------------------------------------- introducers


def introducers(values: dict, context: Mapping, params: dict, lang: str) -> list[Problem]:
    """3-KNĐ: every introducer named must be an official member who has been with the applicant
    ≥ min_months (a replacement introducer is exempt); two introducers must differ; the Youth
    Union mode needs an applicant who is a Youth Union member (when the case data says so)."""
    problems: list[Problem] = []
    # The case's rule set (introducer_min_months) unless the form names a number; 12 [C] outside a case.
    min_months = _from_rule_set(context, "introducer_min_months", params.get("min_months"), 12)
    seen: list[list[str]] = []
    for number, prefix in enumerate(params.get("prefixes", ("introducer1", "introducer2")), start=1):
        name = values.get(f"{prefix}_name")
        if not name:
            continue
        official = values.get(f"{prefix}_official") is True
        replacement = values.get(f"{prefix}_replacement") is True
        months_key = f"{prefix}_months_together"
        months = _count(values, months_key)
        if months is None and not replacement:  # not given: cannot be judged, and is needed
            problems.append((months_key, message("required", lang)))
        if not introducer_qualified(official, max(months or 0, 0), replacement, min_months=min_months):
            who = {"number": number, "ordinal": ordinal(number, lang), "name": name}
            if not official:
                problems.append((f"{prefix}_official", message("introducer_not_official", lang, **who)))
            if not replacement and months is not None and months < min_months:
                text = message("introducer_too_few_months", lang, months=months, min_months=min_months, **who)
                problems.append((months_key, text))
        tokens = _name_tokens(name)
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


# ---------------------------------------------------------------- course_certificate


def course_certificate(values: dict, context: Mapping, params: dict, lang: str) -> list[Problem]:
    """Party-awareness course: a passed course (attended, attendance ≥ min, essay ≥ pass score)
    needs its certificate number and date; a failed one may have none."""
    attendance = _number(values, params["attendance"])
    score = _number(values, params["score"])
    if attendance is None or score is None:
        return []
    min_attendance = _from_rule_set(context, "course_min_attendance_percent", params.get("min_attendance"), 80)
    pass_score = _from_rule_set(context, "course_pass_score", params.get("pass_score"), 5.0)
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


# ---------------------------------------------------------------- ceremony_deadline


def ceremony_deadline(values: dict, context: Mapping, params: dict, lang: str) -> list[Problem]:
    """Admission ceremony: not before the decision date (read from the case data), and later
    than `within_working_days` working days after it only with the upper committee's consent.
    Without a decision date in the context the rule cannot apply and is skipped."""
    date_key, consent_key = params["date"], params["consent"]
    raw_decision = context.get(params["decision_date_from"])
    ceremony_raw = values.get(date_key)
    if raw_decision is None or ceremony_raw is None:
        return []
    try:
        decision, ceremony = as_date(raw_decision), as_date(ceremony_raw)
    except ValueError:
        return []
    if ceremony < decision:
        shown = {"ceremony": fmt_date(ceremony), "decision": fmt_date(decision)}
        return [(date_key, message("ceremony_before_decision", lang, **shown))]
    days = _from_rule_set(context, "ceremony_working_days", params.get("within_working_days"), 30)
    try:
        deadline = add_working_days(decision, days)
    except ValueError:  # outside the years the holiday calendar knows
        return []
    if ceremony > deadline and not values.get(consent_key):
        text = message("ceremony_needs_consent", lang, days=days, deadline=fmt_date(deadline))
        return [(consent_key, text)]
    return []


# ---------------------------------------------------------------- not_a_relative


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
            tokens = _name_tokens(segment)
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
    tokens = _name_tokens(values.get(key))
    if not tokens:
        return []
    applicant_key = params.get("applicant_from")
    if applicant_key and tokens == _name_tokens(context.get(applicant_key)):
        return [(key, message("verifier_is_applicant", lang))]
    for relative in _relative_names(context.get(params["relatives_from"])):
        if _same_name(tokens, relative):
            return [(key, message("verifier_is_relative", lang))]
    return []


# ---------------------------------------------------------------- registry

CHECKS: dict[str, Check] = {
    "vote_tally": vote_tally,
    "decision_vote": decision_vote,
    "introducers": introducers,
    "course_certificate": course_certificate,
    "ceremony_deadline": ceremony_deadline,
    "not_a_relative": not_a_relative,
    "act_dates": act_dates,
    "act_conditions": act_conditions,
    "certificate_in_time": certificate_in_time,
    "course_class_size": course_class_size,
}

_COUNT = ("integer",)
CHECK_PARAMS: dict[str, dict[str, Param]] = {
    "vote_tally": {
        "members": Param("field", _COUNT, required=True),
        "attached": Param("field", _COUNT),
        "exempt_absent": Param("field", _COUNT),
        "present": Param("field", _COUNT, required=True),
        "agree": Param("field", _COUNT, required=True),
        "disagree": Param("field", _COUNT, required=True),
        "minimum_members": Param("int"),
        "minimum_rule": Param("value"),  # the rule set value giving the minimum, e.g. min_cell_members
        # The fraction the vote needs, as a rule set value: the process branches on it, and the page's
        # preview and the "does not pass" confirmation say it (vote_fraction).
        "fraction_rule": Param("value", default="cell_vote_fraction"),
    },
    "decision_vote": {
        "decision": Param("field", ("enum", "string"), required=True),
        "approve": Param("value", required=True),
        "members": Param("field", _COUNT, required=True),
        "agree": Param("field", _COUNT, required=True),
        # Without numerator/denominator the fraction is the rule set's `fraction_rule` value.
        "numerator": Param("positive_int"),
        "denominator": Param("positive_int"),
        "fraction_rule": Param("value", default="standing_committee_fraction"),
    },
    "introducers": {
        "prefixes": Param("names", default=["introducer1", "introducer2"]),
        "min_months": Param("int"),
        "mode": Param("field", ("enum",), default="introduction_mode", optional_field=True),
        "youth_union_mode": Param("value", default="youth_union_and_member"),
        "youth_union_member_from": Param("context_key", default="youth_union_member"),
    },
    "course_certificate": {
        "attended": Param("field", ("boolean",), default="course_attended"),
        "attendance": Param("field", ("integer", "number"), default="attendance_percent"),
        "score": Param("field", ("integer", "number"), default="essay_score"),
        "certificate_number": Param("field", ("string",), default="certificate_number"),
        "certificate_date": Param("field", ("date",), default="certificate_date"),
        # Without them, the case's rule set decides (course_min_attendance_percent, course_pass_score).
        "min_attendance": Param("number"),
        "pass_score": Param("number"),
    },
    "ceremony_deadline": {
        "decision_date_from": Param("context_key", required=True),
        "within_working_days": Param("int"),  # else the rule set's ceremony_working_days
        "date": Param("field", ("date",), default="ceremony_date"),
        "consent": Param("field", ("string",), default="upper_consent_number"),
    },
    "act_dates": {
        "date": Param("field", ("date",), required=True),
        "not_before": Param("names"),
        "not_after_today": Param("value", default=True),
    },
    "certificate_in_time": {
        "date": Param("field", ("date",), default="certificate_date"),
        "course_from": Param("context_key", default="course_start_date"),
    },
    "course_class_size": {
        "class_size": Param("field", _COUNT, default="class_size"),  # the minimum is the rule set's
    },
    "act_conditions": {
        "date": Param("field", ("date",), default="vote_date"),
        "skip_when_context": Param("context_key"),
    },
    "not_a_relative": {
        "field": Param("field", ("string",), default="verifier_name"),
        "relatives_from": Param("context_key", default="relatives"),
        "applicant_from": Param("context_key", default="student_name"),
    },
}


def _resolve_one(name: str, param: Param, value: Any, fields: Mapping[str, Any]) -> Any:
    kind = param.kind
    if kind == "field":
        if not isinstance(value, str) or value not in fields:
            if param.optional_field and value == param.default:
                return None
            raise CheckParamError(name, f"no such field {value!r}")
        if param.types and fields[value].type not in param.types:
            raise CheckParamError(name, f"field {value!r} must be of type {' or '.join(param.types)}")
        return value
    if kind == "context_key":
        if not isinstance(value, str) or not value:
            raise CheckParamError(name, "must be a non-empty string (a key of the case data)")
        return value
    if kind in ("int", "positive_int"):
        least = 1 if kind == "positive_int" else 0
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise CheckParamError(name, f"must be an integer ≥ {least}")
        return value
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
            raise CheckParamError(name, "must be a number")
        return value
    if kind == "value":
        if not isinstance(value, (str, int, float, bool)):
            raise CheckParamError(name, "must be a string, number or boolean")
        return value
    if kind == "names":
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
            raise CheckParamError(name, "must be a non-empty list of strings")
        return tuple(value)
    raise CheckParamError(name, f"unknown parameter kind {kind!r}")  # pragma: no cover


def _introducer_fields(prefixes: tuple[str, ...], fields: Mapping[str, Any]) -> None:
    expected = (("name", ("string",), True), ("official", ("boolean",), True))
    expected += (("months_together", ("integer",), True), ("replacement", ("boolean",), False))
    for prefix in prefixes:
        for suffix, types, needed in expected:
            field_name = f"{prefix}_{suffix}"
            spec = fields.get(field_name)
            if spec is None and needed:
                raise CheckParamError("prefixes", f"no such field {field_name!r}")
            if spec is not None and spec.type not in types:
                raise CheckParamError("prefixes", f"field {field_name!r} must be of type {types[0]}")


_FRACTION_RULES = tuple(f.name for f in dataclass_fields(RuleSet) if f.name.endswith("_fraction"))


def resolve_params(rule: str, params: Mapping[str, Any], fields: Mapping[str, Any]) -> dict[str, Any]:
    """Check a rule's parameters against its declaration and the form's fields (FieldSpec by
    name); return them with defaults filled in. Raise CheckParamError naming the parameter."""
    spec = CHECK_PARAMS.get(rule)
    if spec is None:  # a rule registered at run time without a declaration: taken as written
        return dict(params)
    for name in params:
        if name not in spec:
            raise CheckParamError(name, f"unknown parameter of rule {rule!r}")
    resolved: dict[str, Any] = {}
    for name, param in spec.items():
        if name in params:
            resolved[name] = _resolve_one(name, param, params[name], fields)
        elif param.required:
            raise CheckParamError(name, f"missing parameter of rule {rule!r}")
        elif param.default is not None:
            resolved[name] = _resolve_one(name, param, param.default, fields)
    fraction_rule = resolved.get("fraction_rule")
    if fraction_rule is not None and fraction_rule not in _FRACTION_RULES:
        raise CheckParamError("fraction_rule", f"not a fraction of the rule sets ({', '.join(_FRACTION_RULES)})")
    if rule == "decision_vote":
        decision = fields[resolved["decision"]]
        if decision.type == "enum" and resolved["approve"] not in decision.enum_values:
            raise CheckParamError("approve", f"{resolved['approve']!r} is not a value of {decision.name!r}")
        if (resolved.get("numerator") is None) != (resolved.get("denominator") is None):
            raise CheckParamError("numerator", "give both numerator and denominator, or neither")
        if resolved.get("numerator") is not None and resolved["numerator"] > resolved["denominator"]:
            raise CheckParamError("numerator", "greater than denominator")
    if rule == "introducers":
        _introducer_fields(resolved["prefixes"], fields)
        mode = resolved.get("mode")
        if mode and resolved.get("youth_union_mode") not in fields[mode].enum_values:
            raise CheckParamError("youth_union_mode", f"not a value of {mode!r}")
    return resolved
