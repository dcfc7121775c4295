"""The UI hints of a form definition (`<name>.uischema.json`) checked against the supported subset
(definition.py), and each field's spec made from its schema property and its hints."""

from __future__ import annotations

import re

from .definition import DEFAULT_WIDGET, WIDGETS, Choice, FieldSpec, FormDefinitionError
from .messages import DEFAULT_LANG
from .rule_texts import rule_names, unknown_rule_names
from .schema_parsing import string_value

_TEXT_KEY = re.compile(r"(title|description|label|help|placeholder)(?:_([a-z]{2}))?")
_ENUM_LABELS_KEY = re.compile(r"enum_labels(?:_([a-z]{2}))?")


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


def _ui_order(form: str, value: object, props: dict[str, dict]) -> None:
    if not isinstance(value, list):
        raise FormDefinitionError(form, "ui.ui:order", "must be a list of field names")
    for name in value:
        if not isinstance(name, str) or name not in props:
            raise FormDefinitionError(form, "ui.ui:order", f"no such field {name!r}")
    if len(set(value)) != len(value):
        raise FormDefinitionError(form, "ui.ui:order", "a field is listed twice")


def _widget(form: str, path: str, kind: str, widget: object) -> None:
    if widget not in WIDGETS:
        raise FormDefinitionError(form, path, f"unknown widget {widget!r}")
    if kind not in WIDGETS[widget]:
        raise FormDefinitionError(form, path, f"widget {widget!r} does not fit a {kind} field")


def _enum_labels(form: str, path: str, prop: dict, labels: object) -> None:
    if prop["type"] != "enum":
        raise FormDefinitionError(form, path, "only for enum fields")
    if not isinstance(labels, dict):
        raise FormDefinitionError(form, path, "must be an object {value: label}")
    for enum_value, label in labels.items():
        if enum_value not in prop["enum"]:
            raise FormDefinitionError(form, f"{path}.{enum_value}", "not an enum value")
        string_value(form, f"{path}.{enum_value}", label)


def _ui_field(form: str, name: str, hints: object, prop: dict) -> None:
    """One field's hints: its texts in each language, its widget, its choices' labels."""
    if not isinstance(hints, dict):
        raise FormDefinitionError(form, f"ui.{name}", "must be an object")
    for ui_key, ui_value in hints.items():
        path = f"ui.{name}.{ui_key}"
        text_match = _TEXT_KEY.fullmatch(ui_key)
        if text_match and text_match.group(1) in ("label", "help", "placeholder"):
            string_value(form, path, ui_value)
            _rule_names_known(form, path, ui_value, quotes=text_match.group(1) == "help")
        elif ui_key == "widget":
            _widget(form, path, prop["type"], ui_value)
        elif _ENUM_LABELS_KEY.fullmatch(ui_key):
            _enum_labels(form, path, prop, ui_value)
        else:
            raise FormDefinitionError(form, path, "unsupported UI key")


def parse_ui(form: str, ui: object, props: dict[str, dict]) -> dict:
    if not isinstance(ui, dict):
        raise FormDefinitionError(form, "ui", "must be an object")
    for key, value in ui.items():
        match = _TEXT_KEY.fullmatch(key)
        if key == "ui:order":
            _ui_order(form, value, props)
        elif match and match.group(1) in ("title", "description"):
            string_value(form, f"ui.{key}", value)
            _rule_names_known(form, f"ui.{key}", value, quotes=match.group(1) == "description")
        elif key not in props:
            raise FormDefinitionError(form, f"ui.{key}", "no such field")
        else:
            _ui_field(form, key, value, props[key])
    return ui


def _choices(prop: dict, ui_field: dict) -> tuple[Choice, ...]:
    label_maps = {}
    for ui_key, mapping in ui_field.items():
        match = _ENUM_LABELS_KEY.fullmatch(ui_key)
        if match:
            label_maps[match.group(1) or DEFAULT_LANG] = mapping
    return tuple(
        Choice(value, tuple((lang, m[value]) for lang, m in label_maps.items() if value in m))
        for value in prop["enum"]
    )


def field_spec(prop: dict, ui_field: dict, required: bool, required_when: tuple) -> FieldSpec:
    kind = prop["type"]
    labels = _ui_texts(ui_field, "label")
    if not labels and prop.get("title"):
        labels = ((DEFAULT_LANG, prop["title"]),)
    helps = _ui_texts(ui_field, "help")
    if not helps and prop.get("description"):
        helps = ((DEFAULT_LANG, prop["description"]),)
    return FieldSpec(
        name=prop["name"],
        type=kind,
        required=required,
        widget=ui_field.get("widget", DEFAULT_WIDGET[kind]),
        labels=labels,
        helps=helps,
        placeholders=_ui_texts(ui_field, "placeholder"),
        choices=_choices(prop, ui_field) if kind == "enum" else (),
        minimum=prop.get("minimum"),
        maximum=prop.get("maximum"),
        min_length=prop.get("min_length"),
        max_length=prop.get("max_length"),
        pattern=prop.get("pattern"),
        default=prop.get("default"),
        required_when=required_when,
    )
