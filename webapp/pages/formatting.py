"""Dates as dd/mm/yyyy in Vietnam's time zone, recorded values as people read them, search text as stored."""
import unicodedata
from datetime import date, datetime

from flask_babel import gettext as _

from ..services.clock import VIETNAM
from .instructions import instructions_html
from .migration_reasons import migration_reason
from .step_names import step_name


def dmy(value):
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        return value.astimezone(VIETNAM).strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    try:
        return date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    except ValueError:
        return str(value)


def dmy_hm(value):
    if value is None:
        return ""
    return value.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")


def field_value(spec, value, lang):
    """A recorded form value for display: labels for choices, Có/Không, dd/mm/yyyy."""
    if spec.type == "boolean":
        return _("Có") if value else _("Không")
    if spec.type == "date":
        return dmy(value)
    if spec.type == "enum":
        return spec.choice_label(value, lang)
    return str(value)


def search_text(value):
    """A search box as stored names are written: NFC (a keyboard may send decomposed marks), ≤ 100 chars.

    Control characters are dropped: no name holds one, PostgreSQL refuses NUL, and SQLite would end
    the pattern at it (and so match every name).
    """
    text = "".join(char for char in unicodedata.normalize("NFC", value or "") if unicodedata.category(char) != "Cc")
    return text.strip()[:100] or None


def register(app):
    app.add_template_filter(dmy, "dmy")
    app.add_template_filter(dmy_hm, "dmy_hm")
    app.add_template_global(field_value, "field_value")
    app.add_template_filter(step_name, "step_name")  # a stored step name in the reader's language
    app.add_template_global(instructions_html, "instructions_html")  # a step's instructions, safely
    app.add_template_global(migration_reason, "migration_reason")
