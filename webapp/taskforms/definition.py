"""Form definitions: a JSON Schema subset plus a UI-hint file, loaded and checked.

The supported subset (anything else raises FormDefinitionError naming the form and the key):

schema (`<name>.schema.json`)
    top level: `title`, `type` ("object", required), `properties` (required), `required`,
    `description`, `$schema`, `$id`, `additionalProperties` (boolean), and two extensions:
    `x-required-when` {field: {other_field: value | [values]}} — field is required when every
    listed other field has one of the values (conditions are ANDed);
    `x-checks` [{"rule": name, ...params}] — named cross-field rules (see checks.py).
    property: `type` string | integer | number | boolean; `enum` (strings, on string);
    `format` "date" (on string); `minimum`/`maximum` (on integer, number); `pattern`
    (RE2 `search`, i.e. unanchored as in JSON Schema; linear time, so no back-references or
    look-arounds: see patterns.py), `maxLength`, `minLength` (on string);
    `default`; `title`, `description`.
    Property names are identifiers (BPMN scripts read them as variables): [A-Za-z][A-Za-z0-9_]*.
ui (`<name>.uischema.json`, optional)
    `title`, `title_en`, `description`, `description_en`, `ui:order` [field names];
    per field {label, label_en, help, help_en, placeholder, placeholder_en, widget,
    enum_labels {value: label}, enum_labels_en}. Widgets: text, textarea, radio, select,
    checkbox, date, member (an integer: a member of the case cell's register). A language suffix
    other than `_en` (e.g. `label_fr`) is accepted too. Texts may quote a rule value of the
    case's rule set as `{rule:name}` (rule_texts.py); an unknown name is refused.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import wtforms

from .check_params import CheckParamError, resolve_params
from .checks import CHECKS
from .messages import DEFAULT_LANG, norm_lang
from .patterns import PatternError, compile_pattern
from .rule_texts import rule_names, unknown_rule_names

FIELD_TYPES = ("string", "integer", "number", "boolean", "date", "enum")
WIDGETS = {
    "text": ("string", "integer", "number"),
    "textarea": ("string",),
    "radio": ("enum",),
    "select": ("enum",),
    "checkbox": ("boolean",),
    "date": ("date",),
    # a select of the case cell's party member register, filled by the task page (services/register_choices.py)
    "member": ("integer",),
}
DEFAULT_WIDGET = {
    "string": "text",
    "integer": "text",
    "number": "text",
    "boolean": "checkbox",
    "date": "date",
    "enum": "radio",
}

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
_TEXT_KEY = re.compile(r"(title|description|label|help|placeholder)(?:_([a-z]{2}))?")
_ENUM_LABELS_KEY = re.compile(r"enum_labels(?:_([a-z]{2}))?")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

# Attributes of the generated form classes: a field may not shadow them.
RESERVED_NAMES = frozenset(name for name in dir(wtforms.Form) if not name.startswith("_")) | {
    "definition",
    "submission",
    "form_title",
    "lang",
    "context",
}


class FormDefinitionError(Exception):
    """A definition outside the supported subset; the message names the form and the key."""

    def __init__(self, form: str, key: str, detail: str):
        super().__init__(f"form {form!r}: {key}: {detail}")
        self.form = form
        self.key = key
        self.detail = detail


def _localized(pairs: tuple[tuple[str, str], ...], lang: str) -> str | None:
    texts = dict(pairs)
    return texts.get(norm_lang(lang)) or texts.get(DEFAULT_LANG) or next(iter(texts.values()), None)


@dataclass(frozen=True)
class Choice:
    value: str
    labels: tuple[tuple[str, str], ...] = ()

    def label(self, lang: str = DEFAULT_LANG) -> str:
        return _localized(self.labels, lang) or self.value


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str  # one of FIELD_TYPES
    required: bool = False
    widget: str = "text"
    labels: tuple[tuple[str, str], ...] = ()  # (lang, text)
    helps: tuple[tuple[str, str], ...] = ()
    placeholders: tuple[tuple[str, str], ...] = ()
    choices: tuple[Choice, ...] = ()
    minimum: int | float | None = None
    maximum: int | float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    default: Any = None
    # ((other_field, (accepted values...)), ...): required when all conditions hold
    required_when: tuple[tuple[str, tuple[Any, ...]], ...] = ()

    def label(self, lang: str = DEFAULT_LANG) -> str:
        return _localized(self.labels, lang) or self.name

    def help(self, lang: str = DEFAULT_LANG) -> str | None:
        return _localized(self.helps, lang)

    def placeholder(self, lang: str = DEFAULT_LANG) -> str | None:
        return _localized(self.placeholders, lang)

    @property
    def enum_values(self) -> tuple[str, ...]:
        return tuple(choice.value for choice in self.choices)

    def choice_labels(self, lang: str = DEFAULT_LANG) -> list[tuple[str, str]]:
        return [(choice.value, choice.label(lang)) for choice in self.choices]

    def choice_label(self, value: str, lang: str = DEFAULT_LANG) -> str:
        for choice in self.choices:
            if choice.value == value:
                return choice.label(lang)
        return value

    @property
    def limits(self) -> dict[str, Any]:
        """The JSON Schema limits that apply, under their JSON Schema names."""
        limits = {
            "minimum": self.minimum,
            "maximum": self.maximum,
            "minLength": self.min_length,
            "maxLength": self.max_length,
            "pattern": self.pattern,
        }
        return {key: value for key, value in limits.items() if value is not None}


@dataclass(frozen=True)
class CheckSpec:
    rule: str
    params: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class FormDefinition:
    """A loaded definition. Equal and hashed by name and content digest (one per version)."""

    name: str
    schema: dict = field(compare=False, hash=False, repr=False)
    ui: dict = field(compare=False, hash=False, repr=False)
    fields: tuple[FieldSpec, ...] = field(compare=False, hash=False, repr=False)
    checks: tuple[CheckSpec, ...] = field(default=(), compare=False, hash=False, repr=False)
    digest: str = ""

    def title(self, lang: str = DEFAULT_LANG) -> str:
        lang = norm_lang(lang)
        ui_title = self.ui.get("title" if lang == DEFAULT_LANG else f"title_{lang}") or self.ui.get("title")
        return ui_title or self.schema.get("title") or self.name

    def description(self, lang: str = DEFAULT_LANG) -> str | None:
        lang = norm_lang(lang)
        key = "description" if lang == DEFAULT_LANG else f"description_{lang}"
        return self.ui.get(key) or self.ui.get("description") or self.schema.get("description")

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(spec.name for spec in self.fields)

    def get_field(self, name: str) -> FieldSpec | None:
        for spec in self.fields:
            if spec.name == name:
                return spec
        return None


# ---------------------------------------------------------------- parsing


def _parse_json(form: str, data: object, what: str) -> Any:
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise FormDefinitionError(form, what, f"expected bytes, got {type(data).__name__}")
    try:
        text = bytes(data).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormDefinitionError(form, what, f"not UTF-8 (byte {exc.start})") from None
    text = text.removeprefix("\ufeff")

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict:
        result: dict = {}
        for key, value in pairs:
            if key in result:
                raise FormDefinitionError(form, key, f"duplicate key in the {what} file")
            result[key] = value
        return result

    def no_constant(name: str) -> None:
        raise FormDefinitionError(form, what, f"{name} is not JSON")

    try:
        return json.loads(text, object_pairs_hook=no_duplicates, parse_constant=no_constant)
    except FormDefinitionError:
        raise
    except (ValueError, RecursionError) as exc:
        raise FormDefinitionError(form, what, f"malformed JSON ({exc})") from None


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _string(form: str, key: str, value: object) -> str:
    if not isinstance(value, str):
        raise FormDefinitionError(form, key, "must be a string")
    return value


def _non_negative_int(form: str, key: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise FormDefinitionError(form, key, "must be a non-negative integer")
    return value


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
        "number": _is_number(value),
        "boolean": isinstance(value, bool),
    }[kind]
    if ok and kind == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            ok = False
    if not ok:
        raise FormDefinitionError(form, f"{key}.default", f"not a valid {kind} value")


def _parse_property(form: str, name: str, prop: object) -> dict[str, Any]:
    key = f"properties.{name}"
    if not _FIELD_NAME.fullmatch(name):
        raise FormDefinitionError(form, key, "a field name must match [A-Za-z][A-Za-z0-9_]* (≤ 64 chars)")
    if name in RESERVED_NAMES:
        raise FormDefinitionError(form, key, "reserved name (an attribute of the form class)")
    if not isinstance(prop, dict):
        raise FormDefinitionError(form, key, "must be an object")
    for prop_key in prop:
        if prop_key not in _PROPERTY_KEYS:
            raise FormDefinitionError(form, f"{key}.{prop_key}", "unsupported keyword")
    kind = _property_type(form, key, prop)
    out: dict[str, Any] = {"name": name, "type": kind}
    for text_key in ("title", "description"):
        if text_key in prop:
            _string(form, f"{key}.{text_key}", prop[text_key])

    if kind == "enum":
        values = prop["enum"]
        if not isinstance(values, list) or not values:
            raise FormDefinitionError(form, f"{key}.enum", "must be a non-empty list")
        for value in values:
            if not isinstance(value, str) or not value.strip():
                raise FormDefinitionError(form, f"{key}.enum", f"values must be non-empty strings: {value!r}")
        if len(set(values)) != len(values):
            raise FormDefinitionError(form, f"{key}.enum", "duplicate values")
        out["enum"] = tuple(values)

    for bound in ("minimum", "maximum"):
        if bound in prop:
            if kind not in ("integer", "number"):
                raise FormDefinitionError(form, f"{key}.{bound}", f"not supported on {kind}")
            if not _is_number(prop[bound]):
                raise FormDefinitionError(form, f"{key}.{bound}", "must be a finite number")
            out[bound] = prop[bound]
    if "minimum" in out and "maximum" in out and out["minimum"] > out["maximum"]:
        raise FormDefinitionError(form, f"{key}.minimum", "is greater than maximum")

    for length_key, out_key in (("maxLength", "max_length"), ("minLength", "min_length")):
        if length_key in prop:
            if kind != "string":
                raise FormDefinitionError(form, f"{key}.{length_key}", f"not supported on {kind}")
            out[out_key] = _non_negative_int(form, f"{key}.{length_key}", prop[length_key])
    if out.get("min_length", 0) > out.get("max_length", math.inf):
        raise FormDefinitionError(form, f"{key}.minLength", "is greater than maxLength")

    if "pattern" in prop:
        if kind != "string":
            raise FormDefinitionError(form, f"{key}.pattern", f"not supported on {kind}")
        pattern = _string(form, f"{key}.pattern", prop["pattern"])
        try:
            compile_pattern(pattern)  # RE2, as on submission: a pattern it cannot run is refused here
        except PatternError as exc:
            raise FormDefinitionError(form, f"{key}.pattern", f"invalid regular expression: {exc}") from None
        out["pattern"] = pattern

    if "default" in prop:
        _check_default(form, key, kind, prop["default"], out.get("enum", ()))
        out["default"] = prop["default"]
    return out


def _condition_value_ok(kind: str, value: object, enum: tuple[str, ...]) -> bool:
    if kind == "boolean":
        return isinstance(value, bool)
    if kind in ("integer", "number"):
        return _is_number(value)
    if kind == "enum":
        return value in enum
    return isinstance(value, str)


def _parse_required_when(form: str, raw: object, props: dict[str, dict]) -> dict[str, tuple]:
    if not isinstance(raw, dict):
        raise FormDefinitionError(form, "x-required-when", "must be an object")
    result = {}
    for target, conditions in raw.items():
        key = f"x-required-when.{target}"
        if target not in props:
            raise FormDefinitionError(form, key, "no such field")
        if not isinstance(conditions, dict) or not conditions:
            raise FormDefinitionError(form, key, "must be a non-empty object {field: value or [values]}")
        parsed = []
        for other, accepted in conditions.items():
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
            parsed.append((other, tuple(values)))
        result[target] = tuple(parsed)
    return result


def _parse_checks(form: str, raw: object, specs: dict[str, FieldSpec]) -> tuple[CheckSpec, ...]:
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


def _ui_texts(ui_field: dict, base: str) -> tuple[tuple[str, str], ...]:
    pairs = []
    for key, value in ui_field.items():
        match = _TEXT_KEY.fullmatch(key)
        if match and match.group(1) == base:
            pairs.append((match.group(2) or DEFAULT_LANG, value))
    return tuple(pairs)


def _rule_names_known(form: str, path: str, text: str, *, quotes: bool) -> None:
    """Hints and descriptions may quote rule values; labels and titles stay plain words (messages
    and lists quote them as they are)."""
    if not quotes and rule_names(text):
        raise FormDefinitionError(form, path, "only a help text or a description may quote {rule:…}")
    unknown = unknown_rule_names(text)
    if unknown:
        raise FormDefinitionError(form, path, f"{{rule:{unknown[0]}}} is no number of the rule sets")


def _parse_ui(form: str, ui: object, props: dict[str, dict]) -> dict:
    if not isinstance(ui, dict):
        raise FormDefinitionError(form, "ui", "must be an object")
    for key, value in ui.items():
        if key == "ui:order":
            if not isinstance(value, list):
                raise FormDefinitionError(form, "ui.ui:order", "must be a list of field names")
            for name in value:
                if not isinstance(name, str) or name not in props:
                    raise FormDefinitionError(form, "ui.ui:order", f"no such field {name!r}")
            if len(set(value)) != len(value):
                raise FormDefinitionError(form, "ui.ui:order", "a field is listed twice")
            continue
        match = _TEXT_KEY.fullmatch(key)
        if match and match.group(1) in ("title", "description"):
            _string(form, f"ui.{key}", value)
            _rule_names_known(form, f"ui.{key}", value, quotes=match.group(1) == "description")
            continue
        if key not in props:
            raise FormDefinitionError(form, f"ui.{key}", "no such field")
        if not isinstance(value, dict):
            raise FormDefinitionError(form, f"ui.{key}", "must be an object")
        kind = props[key]["type"]
        for ui_key, ui_value in value.items():
            path = f"ui.{key}.{ui_key}"
            text_match = _TEXT_KEY.fullmatch(ui_key)
            if text_match and text_match.group(1) in ("label", "help", "placeholder"):
                _string(form, path, ui_value)
                _rule_names_known(form, path, ui_value, quotes=text_match.group(1) == "help")
            elif ui_key == "widget":
                if ui_value not in WIDGETS:
                    raise FormDefinitionError(form, path, f"unknown widget {ui_value!r}")
                if kind not in WIDGETS[ui_value]:
                    raise FormDefinitionError(form, path, f"widget {ui_value!r} does not fit a {kind} field")
            elif _ENUM_LABELS_KEY.fullmatch(ui_key):
                if kind != "enum":
                    raise FormDefinitionError(form, path, "only for enum fields")
                if not isinstance(ui_value, dict):
                    raise FormDefinitionError(form, path, "must be an object {value: label}")
                for enum_value, label in ui_value.items():
                    if enum_value not in props[key]["enum"]:
                        raise FormDefinitionError(form, f"{path}.{enum_value}", "not an enum value")
                    _string(form, f"{path}.{enum_value}", label)
            else:
                raise FormDefinitionError(form, path, "unsupported UI key")
    return ui


def _field_spec(prop: dict, ui_field: dict, required: bool, required_when: tuple) -> FieldSpec:
    kind = prop["type"]
    labels = _ui_texts(ui_field, "label")
    if not labels and prop.get("title"):
        labels = ((DEFAULT_LANG, prop["title"]),)
    helps = _ui_texts(ui_field, "help")
    if not helps and prop.get("description"):
        helps = ((DEFAULT_LANG, prop["description"]),)
    choices = ()
    if kind == "enum":
        label_maps = {}
        for ui_key, mapping in ui_field.items():
            match = _ENUM_LABELS_KEY.fullmatch(ui_key)
            if match:
                label_maps[match.group(1) or DEFAULT_LANG] = mapping
        choices = tuple(
            Choice(value, tuple((lang, m[value]) for lang, m in label_maps.items() if value in m))
            for value in prop["enum"]
        )
    return FieldSpec(
        name=prop["name"],
        type=kind,
        required=required,
        widget=ui_field.get("widget", DEFAULT_WIDGET[kind]),
        labels=labels,
        helps=helps,
        placeholders=_ui_texts(ui_field, "placeholder"),
        choices=choices,
        minimum=prop.get("minimum"),
        maximum=prop.get("maximum"),
        min_length=prop.get("min_length"),
        max_length=prop.get("max_length"),
        pattern=prop.get("pattern"),
        default=prop.get("default"),
        required_when=required_when,
    )


def load_definition(name: str, schema_bytes: bytes, ui_bytes: bytes | None) -> FormDefinition:
    """Parse and check one definition; raise FormDefinitionError when outside the subset."""
    if not isinstance(name, str) or not name.strip():
        raise FormDefinitionError(str(name), "name", "a form needs a non-empty name")
    schema = _parse_json(name, schema_bytes, "schema")
    ui = {} if ui_bytes is None else _parse_json(name, ui_bytes, "ui")
    if not isinstance(schema, dict):
        raise FormDefinitionError(name, "schema", "must be a JSON object")
    for key in schema:
        if key not in _SCHEMA_KEYS:
            raise FormDefinitionError(name, key, "unsupported top-level keyword")
    if schema.get("type") != "object":
        raise FormDefinitionError(name, "type", 'the top level must be {"type": "object"}')
    if "title" in schema:
        _string(name, "title", schema["title"])
    if "description" in schema:
        _string(name, "description", schema["description"])
    if not isinstance(schema.get("additionalProperties", False), bool):
        raise FormDefinitionError(name, "additionalProperties", "must be a boolean")
    raw_props = schema.get("properties")
    if not isinstance(raw_props, dict):
        raise FormDefinitionError(name, "properties", "must be an object")
    props = {prop_name: _parse_property(name, prop_name, prop) for prop_name, prop in raw_props.items()}

    required = schema.get("required", [])
    if not isinstance(required, list):
        raise FormDefinitionError(name, "required", "must be a list of field names")
    for field_name in required:
        if not isinstance(field_name, str) or field_name not in props:
            raise FormDefinitionError(name, "required", f"no such field {field_name!r}")
    required_when = _parse_required_when(name, schema.get("x-required-when", {}), props)
    ui = _parse_ui(name, ui, props)

    order = list(ui.get("ui:order", []))
    order += [prop_name for prop_name in props if prop_name not in order]
    specs = tuple(
        _field_spec(
            props[field_name],
            ui.get(field_name, {}),
            field_name in required,
            required_when.get(field_name, ()),
        )
        for field_name in order
    )
    checks = _parse_checks(name, schema.get("x-checks", []), {spec.name: spec for spec in specs})
    canonical = json.dumps([name, schema, ui], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return FormDefinition(name=name, schema=schema, ui=ui, fields=specs, checks=checks, digest=digest)


SCHEMA_SUFFIX = ".schema.json"
UI_SUFFIX = ".uischema.json"


def load_definitions_from_dir(path: str | Path) -> dict[str, FormDefinition]:
    """Load every `<name>.schema.json` (with its optional `<name>.uischema.json`) in a folder."""
    folder = Path(path)
    if not folder.is_dir():
        raise FileNotFoundError(f"no form folder at {folder}")
    definitions = {}
    for schema_path in sorted(folder.glob(f"*{SCHEMA_SUFFIX}")):
        name = schema_path.name[: -len(SCHEMA_SUFFIX)]
        ui_path = folder / f"{name}{UI_SUFFIX}"
        ui_bytes = ui_path.read_bytes() if ui_path.is_file() else None
        definitions[name] = load_definition(name, schema_path.read_bytes(), ui_bytes)
    for ui_path in sorted(folder.glob(f"*{UI_SUFFIX}")):
        name = ui_path.name[: -len(UI_SUFFIX)]
        if name not in definitions:
            raise FormDefinitionError(name, ui_path.name, f"UI file without {name}{SCHEMA_SUFFIX}")
    return definitions
