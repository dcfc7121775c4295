"""The parameters of the named checks: declared per rule (CHECK_PARAMS) and checked when a definition is
loaded (`resolve_params`), so a definition naming a missing field or an unknown parameter is refused before
it reaches a user."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from typing import Any

from webapp.rules import RuleSet


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


# ---------------------------------------------------------------- one parameter, by its kind


def _form_field(name: str, param: Param, value: Any, fields: Mapping[str, Any]) -> str | None:
    if not isinstance(value, str) or value not in fields:
        if param.optional_field and value == param.default:
            return None
        raise CheckParamError(name, f"no such field {value!r}")
    if param.types and fields[value].type not in param.types:
        raise CheckParamError(name, f"field {value!r} must be of type {' or '.join(param.types)}")
    return value


def _context_key(name: str, param: Param, value: Any, fields: Mapping[str, Any]) -> str:
    if not isinstance(value, str) or not value:
        raise CheckParamError(name, "must be a non-empty string (a key of the case data)")
    return value


def _whole_number(name: str, param: Param, value: Any, fields: Mapping[str, Any]) -> int:
    least = 1 if param.kind == "positive_int" else 0
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise CheckParamError(name, f"must be an integer ≥ {least}")
    return value


def _number(name: str, param: Param, value: Any, fields: Mapping[str, Any]) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise CheckParamError(name, "must be a number")
    return value


def _scalar(name: str, param: Param, value: Any, fields: Mapping[str, Any]) -> str | int | float | bool:
    if not isinstance(value, (str, int, float, bool)):
        raise CheckParamError(name, "must be a string, number or boolean")
    return value


def _names(name: str, param: Param, value: Any, fields: Mapping[str, Any]) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise CheckParamError(name, "must be a non-empty list of strings")
    return tuple(value)


_RESOLVERS: dict[str, Callable[[str, Param, Any, Mapping[str, Any]], Any]] = {
    "field": _form_field,
    "context_key": _context_key,
    "int": _whole_number,
    "positive_int": _whole_number,
    "number": _number,
    "value": _scalar,
    "names": _names,
}


def _resolve_one(name: str, param: Param, value: Any, fields: Mapping[str, Any]) -> Any:
    resolver = _RESOLVERS.get(param.kind)
    if resolver is None:  # pragma: no cover
        raise CheckParamError(name, f"unknown parameter kind {param.kind!r}")
    return resolver(name, param, value, fields)


# ---------------------------------------------------------------- what one rule's parameters say together


_FRACTION_RULES = tuple(f.name for f in dataclass_fields(RuleSet) if f.name.endswith("_fraction"))


def _fraction_rule_known(resolved: Mapping[str, Any], fields: Mapping[str, Any]) -> None:
    fraction_rule = resolved.get("fraction_rule")
    if fraction_rule is not None and fraction_rule not in _FRACTION_RULES:
        raise CheckParamError("fraction_rule", f"not a fraction of the rule sets ({', '.join(_FRACTION_RULES)})")


def _decision_vote_consistent(resolved: Mapping[str, Any], fields: Mapping[str, Any]) -> None:
    decision = fields[resolved["decision"]]
    if decision.type == "enum" and resolved["approve"] not in decision.enum_values:
        raise CheckParamError("approve", f"{resolved['approve']!r} is not a value of {decision.name!r}")
    if (resolved.get("numerator") is None) != (resolved.get("denominator") is None):
        raise CheckParamError("numerator", "give both numerator and denominator, or neither")
    if resolved.get("numerator") is not None and resolved["numerator"] > resolved["denominator"]:
        raise CheckParamError("numerator", "greater than denominator")


def _introducer_fields(resolved: Mapping[str, Any], fields: Mapping[str, Any]) -> None:
    expected = (("name", ("string",), True), ("official", ("boolean",), True))
    expected += (("months_together", ("integer",), True), ("replacement", ("boolean",), False))
    for prefix in resolved["prefixes"]:
        for suffix, types, needed in expected:
            field_name = f"{prefix}_{suffix}"
            spec = fields.get(field_name)
            if spec is None and needed:
                raise CheckParamError("prefixes", f"no such field {field_name!r}")
            if spec is not None and spec.type not in types:
                raise CheckParamError("prefixes", f"field {field_name!r} must be of type {types[0]}")
    mode = resolved.get("mode")
    if mode and resolved.get("youth_union_mode") not in fields[mode].enum_values:
        raise CheckParamError("youth_union_mode", f"not a value of {mode!r}")


_RULE_CONSISTENCY: dict[str, Callable[[Mapping[str, Any], Mapping[str, Any]], None]] = {
    "decision_vote": _decision_vote_consistent,
    "introducers": _introducer_fields,
}


def _declared_values(rule: str, spec: Mapping[str, Param], params: Mapping[str, Any],
                     fields: Mapping[str, Any]) -> dict[str, Any]:
    """Each declared parameter as given, else its default; one that is needed and missing is refused."""
    resolved: dict[str, Any] = {}
    for name, param in spec.items():
        if name in params:
            resolved[name] = _resolve_one(name, param, params[name], fields)
        elif param.required:
            raise CheckParamError(name, f"missing parameter of rule {rule!r}")
        elif param.default is not None:
            resolved[name] = _resolve_one(name, param, param.default, fields)
    return resolved


def resolve_params(rule: str, params: Mapping[str, Any], fields: Mapping[str, Any]) -> dict[str, Any]:
    """Check a rule's parameters against its declaration and the form's fields (FieldSpec by
    name); return them with defaults filled in. Raise CheckParamError naming the parameter."""
    spec = CHECK_PARAMS.get(rule)
    if spec is None:  # a rule registered at run time without a declaration: taken as written
        return dict(params)
    for name in params:
        if name not in spec:
            raise CheckParamError(name, f"unknown parameter of rule {rule!r}")
    resolved = _declared_values(rule, spec, params, fields)
    _fraction_rule_known(resolved, fields)
    if rule in _RULE_CONSISTENCY:
        _RULE_CONSISTENCY[rule](resolved, fields)
    return resolved
