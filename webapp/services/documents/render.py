"""Fill a document template with a case's facts: plain substitution, never evaluation.

Each `{{fact}}` is replaced by the fact's text in one pass over the template's own text (re.sub),
so what a fact holds is never read as a placeholder again: a name typed as `{{x}}` or
`=HYPERLINK(...)` prints as typed. A fact the case has not recorded prints as a dotted line to
fill in by hand (Hướng dẫn 12/38 leave such lines on the paper forms): never a guess.
"""
import unicodedata
from dataclasses import dataclass
from datetime import date

from .templates import PLACEHOLDER

BLANK = "…………………………"
SHORT_BLANK = "……"
PARTY = "ĐẢNG CỘNG SẢN VIỆT NAM"


@dataclass(frozen=True)
class FilledDocument:
    """What the writers lay out: every text final (NFC), nothing left to look up."""

    name: str
    code: str
    title: str
    issuer: tuple
    number: str
    place_date: str
    subtitle: str
    addressee: str
    body: tuple  # str or ("heading", str)
    signature: tuple
    authority: str  # the right header's first line
    blanks: int  # how many facts were missing (printed as lines to fill)


def _nfc(text):
    return unicodedata.normalize("NFC", text)


class _Filler:
    def __init__(self, facts):
        self.facts = facts
        self.blanks = 0

    def value(self, name):
        value = self.facts.get(name)
        if value is None or str(value).strip() == "":
            self.blanks += 1
            return None
        return _nfc(str(value))

    def text(self, text):
        def one(match):
            found = self.value(match.group(1))
            return BLANK if found is None else found
        return PLACEHOLDER.sub(one, text)


def _place_date(filler, place_fact, date_fact):
    place = (filler.value(place_fact) if place_fact else None) or SHORT_BLANK
    shown = filler.value(date_fact) if date_fact else None
    try:
        day = date(*reversed([int(part) for part in shown.split("/")])) if shown else None
    except (TypeError, ValueError):
        day = None
    if day is None:
        return f"{place}, ngày {SHORT_BLANK} tháng {SHORT_BLANK} năm {SHORT_BLANK}"
    return f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def _distinct(lines):
    """The header without a line repeated: a grassroots cell is both the cell and the grassroots organisation."""
    kept = []
    for line in lines:
        if not kept or kept[-1] != line:
            kept.append(line)
    return tuple(kept)


def fill(template, facts):
    filler = _Filler(facts)
    body = tuple(("heading", filler.text(p[1])) if isinstance(p, tuple) else filler.text(p) for p in template.body)
    filled = FilledDocument(
        name=template.name, code=filler.text(template.code), title=filler.text(template.title),
        issuer=_distinct(filler.text(line) for line in template.issuer), number=filler.text(template.number),
        place_date=_place_date(filler, template.place, template.date), subtitle=filler.text(template.subtitle),
        addressee=filler.text(template.addressee), body=body,
        signature=tuple(filler.text(line) for line in template.signature),
        authority=filler.text(template.authority) or PARTY, blanks=0)
    return FilledDocument(**{**filled.__dict__, "blanks": filler.blanks})
