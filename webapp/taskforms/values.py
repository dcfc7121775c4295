"""One submitted value → a clean, JSON-native value or an error message.

`clean_value(spec, raw, lang)` returns `(value, None)`, `(None, None)` for an empty value, or
`(None, message)`. `raw` is what a browser posts (a string) or what a service passes (int,
float, bool, date, datetime, str). Nothing here raises on any input.

- text: CRLF → LF, Unicode NFC (Vietnamese typed with combining marks compares equal), surrounding
  white space stripped; control characters and lone surrogates refused; a line break only in a
  textarea; strings without maxLength are capped at DEFAULT_MAX_LENGTH.
- integer: ASCII digits with an optional sign; |n| ≤ 2^53 − 1 (safe in JSON everywhere).
- number: '7.5' or the Vietnamese '7,5'; finite, |x| ≤ 1e15; stored as float.
- date: 'YYYY-MM-DD' or 'dd/mm/yyyy' (d/m/yyyy too), a real calendar day in DATE_MIN..DATE_MAX;
  stored as 'YYYY-MM-DD'.
- boolean: checkbox semantics: absent or empty is False; 'y', 'on', 'true', '1', 'có' … are True.
- enum: one of the values, exactly (after stripping white space).
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime
from typing import Any

from .definition import FieldSpec
from .messages import fmt_date, fmt_number, message
from .patterns import pattern_matches

DEFAULT_MAX_LENGTH = 10_000
SAFE_INTEGER = 2**53 - 1
MAX_NUMBER = 1e15
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2100, 12, 31)
_SHORT = 64  # longest plausible text of a number, date, boolean or enum value

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)")
_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DMY = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_TRUE = frozenset({"y", "yes", "on", "true", "1", "có", "co", "x", "checked"})
_FALSE = frozenset({"", "n", "no", "off", "false", "0", "không", "khong"})

Result = tuple[Any, str | None]
EMPTY: Result = (None, None)


def _as_text(raw: Any) -> str | None:
    if isinstance(raw, str):
        return raw
    if isinstance(raw, (bytes, bytearray)):
        try:
            return bytes(raw).decode("utf-8")
        except UnicodeDecodeError:
            return None
    return None


def _clean_string(spec: FieldSpec, raw: Any, lang: str) -> Result:
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    text = _as_text(raw)
    if text is None:
        return None, message("invalid_value", lang)
    max_length = spec.max_length if spec.max_length is not None else DEFAULT_MAX_LENGTH
    if len(text) > 4 * max_length + 64:  # far too long: do not even normalise it
        return None, message("too_long", lang, max_length=max_length, length=len(text))
    if _CONTROL.search(text):
        return None, message("invalid_text", lang)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if not text:
        return EMPTY
    if "\n" in text and spec.widget != "textarea":
        return None, message("single_line", lang)
    if len(text) > max_length:
        return None, message("too_long", lang, max_length=max_length, length=len(text))
    if spec.min_length is not None and len(text) < spec.min_length:
        return None, message("too_short", lang, min_length=spec.min_length)
    if spec.pattern is not None and not pattern_matches(spec.pattern, text):
        return None, message("pattern", lang)
    return text, None


def _short_text(raw: Any) -> str | None:
    text = _as_text(raw)
    if text is None or len(text) > _SHORT:
        return None
    return text.strip()


def _clean_enum(spec: FieldSpec, raw: Any, lang: str) -> Result:
    text = _short_text(raw)
    if text == "":
        return EMPTY
    if text is None or text not in spec.enum_values:
        return None, message("invalid_choice", lang)
    return text, None


def _in_range(spec: FieldSpec, value: float, lang: str) -> str | None:
    if spec.minimum is not None and value < spec.minimum:
        return message("minimum", lang, minimum=fmt_number(spec.minimum, lang))
    if spec.maximum is not None and value > spec.maximum:
        return message("maximum", lang, maximum=fmt_number(spec.maximum, lang))
    return None


def _clean_integer(spec: FieldSpec, raw: Any, lang: str) -> Result:
    if isinstance(raw, bool):
        return None, message("invalid_integer", lang)
    if isinstance(raw, float):
        if not (math.isfinite(raw) and raw.is_integer()):
            return None, message("invalid_integer", lang)
        raw = int(raw)
    if isinstance(raw, int):
        value = raw
    else:
        text = _short_text(raw)
        if text == "":
            return EMPTY
        if text is None or not _INTEGER.fullmatch(text):
            return None, message("invalid_integer", lang)
        value = int(text)
    if abs(value) > SAFE_INTEGER:
        return None, message("number_too_large", lang)
    error = _in_range(spec, value, lang)
    return (None, error) if error else (value, None)


def _clean_number(spec: FieldSpec, raw: Any, lang: str) -> Result:
    if isinstance(raw, bool):
        return None, message("invalid_number", lang)
    if isinstance(raw, (int, float)):
        value = float(raw) if abs(raw) <= MAX_NUMBER else math.inf
    else:
        text = _short_text(raw)
        if text == "":
            return EMPTY
        if text is None or not _NUMBER.fullmatch(text):
            return None, message("invalid_number", lang)
        value = float(text.replace(",", "."))
    if math.isnan(value):
        return None, message("invalid_number", lang)
    if abs(value) > MAX_NUMBER:
        return None, message("number_too_large", lang)
    error = _in_range(spec, value, lang)
    return (None, error) if error else (value, None)


def parse_date(raw: Any) -> date | None:
    """A date from a date, a datetime, 'YYYY-MM-DD' or 'dd/mm/yyyy'; None when it is none of these."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = _short_text(raw)
    if not text:
        return None
    iso, dmy = _ISO.fullmatch(text), _DMY.fullmatch(text)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if dmy:
            return date(int(dmy[3]), int(dmy[2]), int(dmy[1]))
    except ValueError:
        return None
    return None


def _clean_date(spec: FieldSpec, raw: Any, lang: str) -> Result:
    if _short_text(raw) == "":
        return EMPTY
    value = parse_date(raw)
    if value is None:
        return None, message("invalid_date", lang)
    if not DATE_MIN <= value <= DATE_MAX:
        return None, message("date_out_of_range", lang, low=fmt_date(DATE_MIN), high=fmt_date(DATE_MAX))
    return value.isoformat(), None


def _clean_boolean(spec: FieldSpec, raw: Any, lang: str) -> Result:
    if raw is None or isinstance(raw, bool):
        return bool(raw), None
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw), None
    text = _short_text(raw)
    if text is not None:
        text = text.casefold()
        if text in _TRUE:
            return True, None
        if text in _FALSE:
            return False, None
    return None, message("invalid_boolean", lang)


_CLEANERS = {
    "string": _clean_string,
    "enum": _clean_enum,
    "integer": _clean_integer,
    "number": _clean_number,
    "date": _clean_date,
    "boolean": _clean_boolean,
}


def clean_value(spec: FieldSpec, raw: Any, lang: str = "vi") -> Result:
    """Clean one value for `spec`; never raises."""
    if raw is None:
        return _clean_boolean(spec, raw, lang) if spec.type == "boolean" else EMPTY
    try:
        return _CLEANERS[spec.type](spec, raw, lang)
    except Exception:  # noqa: BLE001 - a value must never break validation
        return None, message("invalid_value", lang)
