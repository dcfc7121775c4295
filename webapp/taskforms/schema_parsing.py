"""The schema file of a form definition (`<name>.schema.json`) checked against the supported subset
(definition.py): its top level, each property, `x-required-when` and `x-checks`."""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Any

from .check_params import CheckParamError, resolve_params
from .checks import CHECKS
from .definition import RESERVED_NAMES, CheckSpec, FieldSpec, FormDefinitionError
from .patterns import PatternError, compile_pattern

_SCHEMA_KEYS = frozenset(
    {
        "title",
        "type",
        "properties",
        "required",
        "description",
        "$schema",
        "$id",
        "additionalProperties",
        "x-required-when",
        "x-checks",
    }
)
_PROPERTY_KEYS = frozenset(
    {
        "type",
        "title",
        "description",
        "enum",
        "format",
        "minimum",
        "maximum",
        "pattern",
        "maxLength",
        "minLength",
        "default",
    }
)
_JSON_TYPES = ("string", "integer", "number", "boolean")
_FIELD_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def string_value(form: str, key: str, value: object) -> str:
    if not isinstance(value, str):
        raise FormDefinitionError(form, key, "must be a string")
    return value


def _non_negative_int(form: str, key: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise FormDefinitionError(form, key, "must be a non-negative integer")
    return value


# ---------------------------------------------------------------- the top level


def check_top_level(form: str, schema: object) -> dict:
    """The schema's own keys: an object of type "object" with its properties; return the properties."""
    if not isinstance(schema, dict):
        raise FormDefinitionError(form, "schema", "must be a JSON object")
    for key in schema:
        if key not in _SCHEMA_KEYS:
            raise FormDefinitionError(form, key, "unsupported top-level keyword")
    if schema.get("type") != "object":
        raise FormDefinitionError(form, "type", 'the top level must be {"type": "object"}')
    for text_key in ("title", "description"):
        if text_key in schema:
            string_value(form, text_key, schema[text_key])
    if not isinstance(schema.get("additionalProperties", False), bool):
        raise FormDefinitionError(form, "additionalProperties", "must be a boolean")
    raw_props = schema.get("properties")
    if not isinstance(raw_props, dict):
        raise FormDefinitionError(form, "properties", "must be an object")
    return raw_props


def required_names(form: str, raw: object, props: dict[str, dict]) -> list[str]:
    if not isinstance(raw, list):
        raise FormDefinitionError(form, "required", "must be a list of field names")
    for field_name in raw:
        if not isinstance(field_name, str) or field_name not in props:
            raise FormDefinitionError(form, "required", f"no such field {field_name!r}")
    return raw


# ---------------------------------------------------------------- one property


def _property_type(form: str, key: str, prop: dict) -> str:
    json_type = prop.get("type")
    if json_type not in _JSON_TYPES:
        raise FormDefinitionError(form, f"{key}.type", f"unsupported type {json_type!r}")
    fmt = prop.get("format")
    if fmt is not None and (fmt != "date" or json_type != "string"):
        raise FormDefinitionError(form, f"{key}.format", f"unsupported format {fmt!r}")
    if "enum" in prop:
        if json_type != "string" or fmt is not None:
            raise FormDefinitionError(form, f"{key}.enum", "enum is only supported on plain strings")
        return "enum"
    if fmt == "date":
        return "date"
    return json_type


def _check_default(form: str, key: str, kind: str, value: object, enum: tuple[str, ...]) -> None:
    ok = {
        "string": isinstance(value, str),
        "enum": value in enum,
        "date": isinstance(value, str) and _ISO_DATE.fullmatch(value) is not None,
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "number": is_number(value),
        "boolean": isinstance(value, bool),
    }[kind]
    if ok and kind == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            ok = False
    if not ok:
        raise FormDefinitionError(form, f"{key}.default", f"not a valid {kind} value")


def _property_shape(form: str, key: str, name: str, prop: object) -> None:
    """A name the scripts can read as a variable, no attribute of the form class, only known keywords."""
    if not _FIELD_NAME.fullmatch(name):
        raise FormDefinitionError(form, key, "a field name must match [A-Za-z][A-Za-z0-9_]* (≤ 64 chars)")
    if name in RESERVED_NAMES:
        raise FormDefinitionError(form, key, "reserved name (an attribute of the form class)")
    if not isinstance(prop, dict):
        raise FormDefinitionError(form, key, "must be an object")
    for prop_key in prop:
        if prop_key not in _PROPERTY_KEYS:
            raise FormDefinitionError(form, f"{key}.{prop_key}", "unsupported keyword")


def _enum_values(form: str, key: str, prop: dict) -> tuple[str, ...]:
    values = prop["enum"]
    if not isinstance(values, list) or not values:
        raise FormDefinitionError(form, f"{key}.enum", "must be a non-empty list")
    for value in values:
        if not isinstance(value, str) or not value.strip():
            raise FormDefinitionError(form, f"{key}.enum", f"values must be non-empty strings: {value!r}")
    if len(set(values)) != len(values):
        raise FormDefinitionError(form, f"{key}.enum", "duplicate values")
    return tuple(values)


def _bounds(form: str, key: str, kind: str, prop: dict) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for bound in ("minimum", "maximum"):
        if bound in prop:
            if kind not in ("integer", "number"):
                raise FormDefinitionError(form, f"{key}.{bound}", f"not supported on {kind}")
            if not is_number(prop[bound]):
                raise FormDefinitionError(form, f"{key}.{bound}", "must be a finite number")
            out[bound] = prop[bound]
    if "minimum" in out and "maximum" in out and out["minimum"] > out["maximum"]:
        raise FormDefinitionError(form, f"{key}.minimum", "is greater than maximum")
    return out


def _lengths(form: str, key: str, kind: str, prop: dict) -> dict[str, int]:
    out: dict[str, int] = {}
    for length_key, out_key in (("maxLength", "max_length"), ("minLength", "min_length")):
        if length_key in prop:
            if kind != "string":
                raise FormDefinitionError(form, f"{key}.{length_key}", f"not supported on {kind}")
            out[out_key] = _non_negative_int(form, f"{key}.{length_key}", prop[length_key])
    if out.get("min_length", 0) > out.get("max_length", math.inf):
        raise FormDefinitionError(form, f"{key}.minLength", "is greater than maxLength")
    return out


def _pattern(form: str, key: str, kind: str, prop: dict) -> str:
    if kind != "string":
        raise FormDefinitionError(form, f"{key}.pattern", f"not supported on {kind}")
    pattern = string_value(form, f"{key}.pattern", prop["pattern"])
    try:
        compile_pattern(pattern)  # RE2, as on submission: a pattern it cannot run is refused here
    except PatternError as exc:
        raise FormDefinitionError(form, f"{key}.pattern", f"invalid regular expression: {exc}") from None
    return pattern


def parse_property(form: str, name: str, prop: object) -> dict[str, Any]:
    key = f"properties.{name}"
    _property_shape(form, key, name, prop)
    kind = _property_type(form, key, prop)
    out: dict[str, Any] = {"name": name, "type": kind}
    for text_key in ("title", "description"):
        if text_key in prop:
            string_value(form, f"{key}.{text_key}", prop[text_key])
    if kind == "enum":
        out["enum"] = _enum_values(form, key, prop)
    out |= _bounds(form, key, kind, prop)
    out |= _lengths(form, key, kind, prop)
    if "pattern" in prop:
        out["pattern"] = _pattern(form, key, kind, prop)
    if "default" in prop:
        _check_default(form, key, kind, prop["default"], out.get("enum", ()))
        out["default"] = prop["default"]
    return out


# ---------------------------------------------------------------- x-required-when, x-checks


def _condition_value_ok(kind: str, value: object, enum: tuple[str, ...]) -> bool:
    if kind == "boolean":
        return isinstance(value, bool)
    if kind in ("integer", "number"):
        return is_number(value)
    if kind == "enum":
        return value in enum
    return isinstance(value, str)


def _condition(form: str, key: str, target: str, other: str, accepted: object,
               props: dict[str, dict]) -> tuple[str, tuple]:
    """One `other_field: value | [values]` of a field's condition, its values possible for that field."""
    if other not in props:
        raise FormDefinitionError(form, f"{key}.{other}", "no such field")
    if other == target:
        raise FormDefinitionError(form, f"{key}.{other}", "a field cannot depend on itself")
    values = accepted if isinstance(accepted, list) else [accepted]
    other_prop = props[other]
    if not values:
        raise FormDefinitionError(form, f"{key}.{other}", "no value given")
    for value in values:
        if not _condition_value_ok(other_prop["type"], value, other_prop.get("enum", ())):
            raise FormDefinitionError(
                form, f"{key}.{other}", f"{value!r} is not a possible {other_prop['type']} value"
            )
    return other, tuple(values)


def parse_required_when(form: str, raw: object, props: dict[str, dict]) -> dict[str, tuple]:
    if not isinstance(raw, dict):
        raise FormDefinitionError(form, "x-required-when", "must be an object")
    result = {}
    for target, conditions in raw.items():
        key = f"x-required-when.{target}"
        if target not in props:
            raise FormDefinitionError(form, key, "no such field")
        if not isinstance(conditions, dict) or not conditions:
            raise FormDefinitionError(form, key, "must be a non-empty object {field: value or [values]}")
        result[target] = tuple(
            _condition(form, key, target, other, accepted, props) for other, accepted in conditions.items()
        )
    return result


def parse_checks(form: str, raw: object, specs: dict[str, FieldSpec]) -> tuple[CheckSpec, ...]:
    if not isinstance(raw, list):
        raise FormDefinitionError(form, "x-checks", "must be a list")
    checks = []
    for index, item in enumerate(raw):
        key = f"x-checks[{index}]"
        if not isinstance(item, dict):
            raise FormDefinitionError(form, key, "must be an object")
        rule = item.get("rule")
        if not isinstance(rule, str) or rule not in CHECKS:
            raise FormDefinitionError(form, f"{key}.rule", f"unknown rule {rule!r}")
        params = {k: v for k, v in item.items() if k != "rule"}
        try:
            resolved = resolve_params(rule, params, specs)
        except CheckParamError as exc:
            raise FormDefinitionError(form, f"{key}.{exc.key}", exc.detail) from None
        checks.append(CheckSpec(rule, resolved))
    return tuple(checks)
