"""Document templates as deployment data: one `<name>.document.json` per official form (1-KNĐ …).

A template is plain data an administrator edits: header lines, a title, paragraphs, a signature
block, each a string in which `{{fact}}` names a recorded fact of the case (facts.py says which
exist). It is never evaluated: `fill` replaces each placeholder with the fact's text, once, so a
fact that itself reads `{{x}}` prints as typed. A placeholder that names no known fact, or text
that looks like a placeholder but is not one, is refused when the version is deployed (with the
file, the placeholder and the facts that do exist), so a wrong template never reaches a cell.
"""
import json
import re
import unicodedata
from dataclasses import dataclass

from ...engine import Problem

DOCUMENT_SUFFIX = ".document.json"
PHASES = ("admission", "recognition")
#: `{{ namespace.name }}`, optionally `{{ date:namespace.name }}`-free: facts are plain dotted names.
PLACEHOLDER = re.compile(r"\{\{\s*([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+)\s*\}\}")
BRACES = re.compile(r"\{\{|\}\}")
TEXT_KEYS = ("code", "title", "subtitle", "number", "addressee", "authority")
LIST_KEYS = ("issuer", "body", "signature")
MAX_LINES = 200
MAX_TEXT = 4000


class TemplateError(ValueError):
    """The template file is not a document template (code and params for the admin page)."""

    def __init__(self, message, code, **params):
        super().__init__(message)
        self.code, self.params = code, params


@dataclass(frozen=True)
class DocumentTemplate:
    name: str  # the file name without its suffix: the download's name
    code: str  # the form's number as printed, e.g. 1-KNĐ
    title: str
    phase: str  # which part of the case the step facts come from
    issuer: tuple  # the left header: the issuing committee (lines)
    number: str  # "Số …" under the issuer, may be empty
    date: str  # the fact whose day fills the place-date line ("" → a line to fill by hand)
    place: str  # the fact naming the place ("" → dotted)
    subtitle: str
    addressee: str
    body: tuple  # paragraphs: str, or ("heading", str)
    signature: tuple
    authority: str = ""  # the right header's first line; "" → ĐẢNG CỘNG SẢN VIỆT NAM (the Youth Union's differs)

    def texts(self):
        """Every piece of text of the template (where placeholders may stand)."""
        yield from (self.code, self.title, self.number, self.subtitle, self.addressee, self.authority, *self.issuer,
                    *self.signature)
        for paragraph in self.body:
            yield paragraph[1] if isinstance(paragraph, tuple) else paragraph

    def placeholders(self):
        names = [name for text in self.texts() for name in PLACEHOLDER.findall(text)]
        names += [name for name in (self.date, self.place) if name]
        return tuple(dict.fromkeys(names))


def _text(value, key):
    if not isinstance(value, str):
        raise TemplateError(f"{key} must be text", "document_not_text", key=key)
    if len(value) > MAX_TEXT:
        raise TemplateError(f"{key} is longer than {MAX_TEXT} characters", "document_too_long", key=key,
                            limit=MAX_TEXT)
    return unicodedata.normalize("NFC", value)  # Vietnamese marks composed, as Word and the fonts expect


def _paragraph(value):
    if isinstance(value, dict) and set(value) == {"heading"}:
        return ("heading", _text(value["heading"], "body.heading"))
    return _text(value, "body")


def parse_template(name, content):
    """The DocumentTemplate in `content` (bytes), or TemplateError saying what is wrong."""
    try:
        data = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise TemplateError(f"not JSON: {error}", "document_not_json", detail=str(error)) from error
    if not isinstance(data, dict):
        raise TemplateError("a document template is a JSON object", "document_not_object")
    unknown = sorted(set(data) - {*TEXT_KEYS, *LIST_KEYS, "phase", "date", "place"})
    if unknown:
        raise TemplateError(f"unknown keys: {', '.join(unknown)}", "document_unknown_key", keys=", ".join(unknown))
    if not isinstance(data.get("title"), str) or not data["title"].strip():
        raise TemplateError("the template needs a title", "document_no_title")
    lists = {}
    for key in LIST_KEYS:
        value = data.get(key, [])
        if not isinstance(value, list) or len(value) > MAX_LINES:
            raise TemplateError(f"{key} must be a list of at most {MAX_LINES} lines", "document_not_list", key=key,
                                limit=MAX_LINES)
        lists[key] = tuple(_paragraph(item) if key == "body" else _text(item, key) for item in value)
    phase = data.get("phase", "admission")
    if phase not in PHASES:
        raise TemplateError(f"phase must be one of {', '.join(PHASES)}", "document_phase", phases=", ".join(PHASES))
    texts = {key: _text(data.get(key, ""), key) for key in (*TEXT_KEYS, "date", "place")}
    for key in ("date", "place"):
        if texts[key] and not PLACEHOLDER.fullmatch("{{" + texts[key] + "}}"):
            raise TemplateError(f"{key} names a fact (like write_application.application_date)",
                                "document_fact_name", key=key, value=texts[key])
    return DocumentTemplate(name=name, code=texts["code"], title=texts["title"], phase=phase, issuer=lists["issuer"],
                            number=texts["number"], date=texts["date"], place=texts["place"],
                            subtitle=texts["subtitle"], addressee=texts["addressee"], body=lists["body"],
                            signature=lists["signature"], authority=texts["authority"])


def stray_braces(template):
    """Text with `{{` or `}}` left once the placeholders are taken out: a placeholder mistyped."""
    for text in template.texts():
        rest = PLACEHOLDER.sub("", text)
        if BRACES.search(rest):
            return text
    return None


def document_problems(files, known, unchecked=()):
    """Problems of every document template among `files`; `known` is every fact name a template may use.

    `unchecked` names forms the deployment has but refused (their own problem is said): their facts
    are not judged, so one broken form does not bury its problem under every template using it.
    """
    problems = []
    for file_name in sorted(files):
        if not file_name.endswith(DOCUMENT_SUFFIX):
            continue
        try:
            template = parse_template(file_name[: -len(DOCUMENT_SUFFIX)], files[file_name])
        except TemplateError as error:
            problems.append(Problem(f"Not a document template: {error}", file_name=file_name,
                                    code="document_invalid", params={"detail": str(error)}))
            continue
        stray = stray_braces(template)
        if stray is not None:
            problems.append(Problem(f"Text with {{{{ or }}}} that is no placeholder: {stray[:80]}",
                                    file_name=file_name, code="document_braces", params={"text": stray[:80]}))
        for name in template.placeholders():
            if name not in known and name.split(".", 1)[0] not in unchecked:
                problems.append(Problem(f"The placeholder {{{{{name}}}}} names no recorded fact.",
                                        file_name=file_name, code="document_unknown_fact",
                                        params={"fact": name, "known": _alike(name, known)}))
    return problems


def _alike(name, known):
    """The facts the administrator may have meant: those of the same form or record, else the records."""
    prefix = name.split(".", 1)[0] + "."
    same = sorted(fact for fact in known if fact.startswith(prefix))
    return ", ".join(same) if same else ", ".join(sorted({fact.split(".", 1)[0] for fact in known}))


def templates_of(files):
    """{name: DocumentTemplate} of a deployed version's files (which were checked when deployed)."""
    return {name[: -len(DOCUMENT_SUFFIX)]: parse_template(name[: -len(DOCUMENT_SUFFIX)], content)
            for name, content in files.items() if name.endswith(DOCUMENT_SUFFIX)}
