"""Server-side validation of a submitted task form.

`validate_submission(definition, formdata, context, lang=...)` never raises: whatever arrives
(a browser's MultiDict, a service's plain dict of Python values, garbage) it returns a
Submission. Only the definition's fields are read, so unknown keys never reach `data`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .check_values import FORM
from .checks import CHECKS
from .definition import FieldSpec, FormDefinition
from .messages import message, norm_lang, word
from .values import clean_value

log = logging.getLogger(__name__)

_CONTAINERS = (list, tuple, set, frozenset, dict)


@dataclass(frozen=True)
class Submission:
    """ok: no error. data: clean JSON-native values (dates 'YYYY-MM-DD'); optional fields left
    empty are absent, booleans always present. When ok is False, data holds only the fields
    that were valid, for information. errors: field name → messages; form-level under "_form"."""

    ok: bool
    data: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)


class _BadSubmission(Exception):
    pass


def _read(formdata: Any, spec: FieldSpec, lang: str) -> tuple[bool, Any, str | None]:
    """(present, raw value, error) for one field."""
    name = spec.name
    if hasattr(formdata, "getlist"):  # a browser's multi-dict: every value is a list
        if name not in formdata:
            return False, None, None
        values = formdata.getlist(name)
        if not isinstance(values, (list, tuple)):
            raise _BadSubmission
        if not values:
            return False, None, None
        if spec.type == "boolean" and len(values) > 1:  # e.g. a hidden "n" before the checkbox
            cleaned = [clean_value(spec, value, lang) for value in values]
            for _value, error in cleaned:
                if error:
                    return True, None, error
            return True, any(value for value, _ in cleaned), None
        return True, values[0], None
    if isinstance(formdata, Mapping):
        if name not in formdata:
            return False, None, None
        raw = formdata[name]
        if isinstance(raw, _CONTAINERS):
            return True, None, message("invalid_value", lang)
        return True, raw, None
    raise _BadSubmission


def _same(value: Any, accepted: Any) -> bool:
    if isinstance(value, bool) or isinstance(accepted, bool):
        return isinstance(value, bool) and isinstance(accepted, bool) and value is accepted
    return value == accepted


def _condition_holds(values: dict, other: str, accepted: tuple) -> bool:
    return other in values and any(_same(values[other], candidate) for candidate in accepted)


def _required_when_message(definition: FormDefinition, spec: FieldSpec, lang: str) -> str:
    if len(spec.required_when) != 1:
        return message("required", lang)
    other_name, accepted = spec.required_when[0]
    other = definition.get_field(other_name)
    label = other.label(lang) if other else other_name
    if other is not None and other.type == "boolean" and accepted == (True,):
        return message("required_when_checked", lang, field=label)
    shown = []
    for value in accepted:
        if isinstance(value, bool):
            shown.append(word("yes" if value else "no", lang))
        elif other is not None and other.type == "enum":
            shown.append(other.choice_label(value, lang))
        else:
            shown.append(str(value))
    return message("required_when", lang, field=label, value=" / ".join(shown))


def _run_checks(
    definition: FormDefinition, values: dict, context: Mapping, errors: dict[str, list[str]], lang: str
) -> None:
    field_names = set(definition.field_names)
    already_wrong = set(errors)
    for check in definition.checks:
        function = CHECKS.get(check.rule)
        try:
            if function is None:
                raise LookupError(check.rule)
            problems = list(function(dict(values), context, dict(check.params), lang))
        except Exception as exc:  # noqa: BLE001 - a broken rule must not break the page
            log.error("form %s: check %s failed: %s", definition.name, check.rule, type(exc).__name__)
            problems = [(FORM, message("check_failed", lang))]
        for target, text in problems:
            key = target if target in field_names else FORM
            if key in already_wrong and key != FORM:
                continue  # the field's own error says enough
            bucket = errors.setdefault(key, [])
            if text not in bucket:
                bucket.append(text)


def _clean_fields(definition: FormDefinition, formdata: Any, lang: str) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Each field's clean value (its default when absent), or its one error."""
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for spec in definition.fields:
        present, raw, error = _read(formdata, spec, lang)
        if error is None:
            if not present:
                raw = spec.default
            value, error = clean_value(spec, raw, lang)
        if error is not None:
            errors[spec.name] = [error]
        elif value is not None:
            values[spec.name] = value
    return values, errors


def _require_missing(definition: FormDefinition, values: dict, errors: dict[str, list[str]], lang: str) -> None:
    """A field left empty that is required, always or by the values of others."""
    for spec in definition.fields:
        if spec.name in errors or spec.name in values:
            continue
        if spec.required:
            errors[spec.name] = [message("required", lang)]
        elif spec.required_when and all(
            _condition_holds(values, other, accepted) for other, accepted in spec.required_when
        ):
            errors[spec.name] = [_required_when_message(definition, spec, lang)]


def _validate(definition: FormDefinition, formdata: Any, context: Any, lang: str) -> Submission:
    if formdata is None:
        formdata = {}
    if not isinstance(context, Mapping):
        context = {}
    try:
        values, errors = _clean_fields(definition, formdata, lang)
    except Exception:  # noqa: BLE001 - not a mapping, or a multi-dict that misbehaves
        return Submission(ok=False, data={}, errors={FORM: [message("invalid_submission", lang)]})
    _require_missing(definition, values, errors, lang)
    _run_checks(definition, values, context, errors, lang)
    return Submission(ok=not errors, data=values, errors=errors)


def validate_submission(
    definition: FormDefinition,
    formdata: Any,
    context: dict | None = None,
    *,
    lang: str = "vi",
) -> Submission:
    """Validate `formdata` (MultiDict-like or plain dict) against `definition`; never raises."""
    lang = norm_lang(lang)
    try:
        return _validate(definition, formdata, context, lang)
    except Exception as exc:  # noqa: BLE001 - the contract is a Submission, always
        name = getattr(definition, "name", "?")
        log.error("form %s: validation failed: %s", name, type(exc).__name__)
        return Submission(ok=False, data={}, errors={FORM: [message("check_failed", lang)]})
