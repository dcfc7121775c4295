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

This module holds what a loaded definition is; loading.py reads the two files, schema_parsing.py
checks the schema and ui_parsing.py the UI hints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import wtforms

from .messages import DEFAULT_LANG, norm_lang

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
