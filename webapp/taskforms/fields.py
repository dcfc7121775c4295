"""FormDefinition → a plain `wtforms.Form` class, built once per definition version.

The generated class renders the fields (HTML date inputs, checkboxes, radio buttons or a select,
textareas) with labels, help texts and choices in the language of the instance
(`cls(formdata, meta={"lang": "en"})`, Vietnamese by default). Its `validate(context=...)`
runs `validate_submission` on what was posted, puts the messages on the fields
(`form.<field>.errors`, form-level ones in `form.form_errors`) and keeps the result in
`form.submission`. Fields the web layer adds itself (a CSRF token) are validated by WTForms
as usual. CSRF is not added here.
"""

from __future__ import annotations

import re
import threading
from typing import Any, ClassVar

import wtforms
from wtforms import widgets
from wtforms.fields.core import Label

from .definition import RESERVED_NAMES, FieldSpec, FormDefinition, FormDefinitionError
from .messages import DEFAULT_LANG, norm_lang
from .rule_texts import render
from .validation import Submission, validate_submission
from .values import DATE_MAX, DATE_MIN, clean_value

_SelectChoice = getattr(wtforms, "SelectChoice", None)  # wtforms ≥ 3.3; tuples before
_CACHE_SIZE = 512
_cache: dict[tuple[str, str], type[TaskForm]] = {}
_lock = threading.Lock()


class _CleanMixin:
    """Coerces like the server-side validation and never raises while processing input."""

    spec: FieldSpec

    def __init__(self, *args: Any, spec: FieldSpec, **kwargs: Any):
        self.spec = spec
        super().__init__(*args, **kwargs)

    def _clean(self, raw: Any) -> Any:
        value, error = clean_value(self.spec, raw)
        return None if error else value

    def process_data(self, value: Any) -> None:
        self.data = self._clean(value)

    def process_formdata(self, valuelist: list) -> None:
        if valuelist:
            self.data = self._clean(valuelist[0])

    def pre_validate(self, form: Any) -> None:  # validation is done by validate_submission
        return None


class _TextMixin(_CleanMixin):
    def _value(self) -> str:
        if self.raw_data:
            raw = self.raw_data[0]
            return raw if isinstance(raw, str) else "" if raw is None else str(raw)
        return "" if self.data is None else str(self.data)


class SpecStringField(_TextMixin, wtforms.StringField):
    pass


class SpecTextAreaField(_TextMixin, wtforms.TextAreaField):
    pass


class SpecIntegerField(_TextMixin, wtforms.IntegerField):
    widget = widgets.NumberInput(step="1")


class SpecNumberField(_TextMixin, wtforms.FloatField):
    widget = widgets.NumberInput(step="any")


class SpecDateField(_TextMixin, wtforms.DateField):
    def _value(self) -> str:
        # a date input only takes 'YYYY-MM-DD': show the clean value when there is one
        return self.data if isinstance(self.data, str) else super()._value()


class SpecBooleanField(_CleanMixin, wtforms.BooleanField):
    def process_data(self, value: Any) -> None:
        self.data = bool(self._clean(value))

    def process_formdata(self, valuelist: list) -> None:
        self.data = any(self._clean(value) for value in valuelist)


class SpecRadioField(_CleanMixin, wtforms.RadioField):
    pass


class SpecSelectField(_CleanMixin, wtforms.SelectField):
    pass


def choice(value: Any, label: str) -> Any:
    """A select choice as the installed wtforms wants it (tuples are deprecated from wtforms 3.3)."""
    return _SelectChoice(value, label) if _SelectChoice else (value, label)


def _member_id(value: Any) -> int | None:
    text = str(value)
    return int(text) if text.isdigit() else None


class SpecMemberField(_CleanMixin, wtforms.SelectField):
    """A member of the case cell's register (widget "member"): the task page sets the choices."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, coerce=_member_id, validate_choice=False, **kwargs)

    def process_formdata(self, valuelist: list) -> None:
        if valuelist:
            self.data = self._clean(valuelist[0])


class TaskForm(wtforms.Form):
    """Base of the generated classes; `definition` is set on each."""

    definition: ClassVar[FormDefinition]

    class Meta:
        lang = DEFAULT_LANG
        rule_set = None  # the key of the case's rule set: the `{rule:…}` values of the texts (rule_texts.py)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.submission: Submission | None = None
        self._localize()

    @property
    def lang(self) -> str:
        return norm_lang(getattr(self.meta, "lang", DEFAULT_LANG))

    @property
    def form_title(self) -> str:
        return self.definition.title(self.lang)

    def _localize(self) -> None:
        lang, rule_set = self.lang, getattr(self.meta, "rule_set", None)
        for spec in self.definition.fields:
            bound = self._fields.get(spec.name)
            if bound is None:
                continue
            bound.label = Label(bound.id, spec.label(lang))
            hint = render(spec.help(lang), rule_set, lang)  # its {rule:…} values from the case's rule set
            bound.description = hint.text
            # The [U] rule values its hint quotes: the page marks them "chưa xác nhận trong văn bản".
            bound.unconfirmed = hint.unconfirmed
            placeholder = spec.placeholder(lang)
            if placeholder:  # a new dict: render_kw is shared by every instance of the class
                bound.render_kw = {**(bound.render_kw or {}), "placeholder": placeholder}
            if spec.type == "enum":
                bound.choices = _choices(spec, lang)

    def _posted(self) -> dict[str, list]:
        posted = {}
        for spec in self.definition.fields:
            bound = self._fields.get(spec.name)
            if bound is None:
                continue
            if bound.raw_data is not None:
                posted[spec.name] = list(bound.raw_data)
            elif bound.data is not None:
                posted[spec.name] = [bound.data]
        return posted

    def validate(self, extra_validators: dict | None = None, context: dict | None = None) -> bool:
        """Validate what was posted with `validate_submission` (and any field the web layer
        added, e.g. a CSRF token, with WTForms); `self.submission` keeps the result."""
        submission = validate_submission(self.definition, _Posted(self._posted()), context, lang=self.lang)
        self.submission = submission
        own = set(self.definition.field_names)
        ok = submission.ok
        for name, bound in self._fields.items():
            extra = tuple((extra_validators or {}).get(name, ()))
            if name in own:
                bound.errors = list(submission.errors.get(name, []))
                if extra and not bound.errors:
                    ok = bound.validate(self, extra) and ok
            else:
                ok = bound.validate(self, extra) and ok
        self.form_errors = list(submission.errors.get("_form", []))
        return ok


class _Posted:
    """Minimal multi-dict over the values of a form instance."""

    def __init__(self, values: dict[str, list]):
        self._values = values

    def __contains__(self, name: object) -> bool:
        return name in self._values

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def getlist(self, name: str) -> list:
        return list(self._values.get(name, []))


def _choices(spec: FieldSpec, lang: str) -> list:
    choices = spec.choice_labels(lang)
    if spec.widget == "select":  # no silent default: an optional select starts empty
        choices = [("", "—"), *choices]
    return [choice(value, label) for value, label in choices]


def _render_kw(spec: FieldSpec) -> dict[str, Any]:
    kw: dict[str, Any] = {}
    if spec.required and spec.type not in ("boolean", "enum"):
        kw["required"] = True
    if spec.type == "string" and spec.max_length is not None:
        kw["maxlength"] = spec.max_length
    if spec.type in ("integer", "number"):
        if spec.minimum is not None:
            kw["min"] = spec.minimum
        if spec.maximum is not None:
            kw["max"] = spec.maximum
    if spec.type == "date":
        kw["min"], kw["max"] = DATE_MIN.isoformat(), DATE_MAX.isoformat()
    if spec.widget == "textarea":
        kw["rows"] = 5
    placeholder = spec.placeholder(DEFAULT_LANG)
    if placeholder:
        kw["placeholder"] = placeholder
    return kw


def _unbound(spec: FieldSpec) -> wtforms.Field:
    common: dict[str, Any] = {
        "label": spec.label(DEFAULT_LANG),
        "description": spec.help(DEFAULT_LANG) or "",
        "default": spec.default,
        "render_kw": _render_kw(spec),
        "spec": spec,
    }
    if spec.type == "boolean":
        return SpecBooleanField(**common)
    if spec.type == "enum":
        field_class = SpecSelectField if spec.widget == "select" else SpecRadioField
        return field_class(choices=_choices(spec, DEFAULT_LANG), validate_choice=False, **common)
    if spec.type == "date":
        return SpecDateField(**common)
    if spec.widget == "member":
        return SpecMemberField(choices=[choice("", "—")], **common)
    if spec.type == "integer":
        return SpecIntegerField(**common)
    if spec.type == "number":
        return SpecNumberField(**common)
    if spec.widget == "textarea":
        return SpecTextAreaField(**common)
    return SpecStringField(**common)


def _class_name(name: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", name)
    return "".join(word.capitalize() for word in words) + "Form" if words else "TaskFormVersion"


def build_form_class(definition: FormDefinition) -> type[TaskForm]:
    """The WTForms class of a definition, built once per (name, content digest)."""
    key = (definition.name, definition.digest)
    with _lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    attrs: dict[str, Any] = {"definition": definition, "__module__": __name__}
    for spec in definition.fields:
        if spec.name in RESERVED_NAMES:  # load_definition refuses these already
            raise FormDefinitionError(definition.name, f"properties.{spec.name}", "reserved name")
        attrs[spec.name] = _unbound(spec)
    form_class = type(_class_name(definition.name), (TaskForm,), attrs)
    with _lock:
        cached = _cache.setdefault(key, form_class)
        while len(_cache) > _CACHE_SIZE:
            _cache.pop(next(iter(_cache)))
    return cached
