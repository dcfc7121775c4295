"""The English catalogue: complete, compiled, and used when a user picks English."""
import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from .conftest import Browser
from .helpers import alerts, heading, html, texts

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "webapp" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]")


def _catalogue():
    with PO.open("rb") as handle:
        return read_po(handle)


def _source_messages():
    """Every message id in the code and templates, extracted as `pybabel extract` does (babel.cfg, _l)."""
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    keywords = dict(DEFAULT_KEYWORDS, _l=None, lazy_gettext=None)
    return {message for _file, _line, message, _comments, _context in
            extract_from_dir(str(ROOT), method_map, options_map, keywords=keywords)}


def test_the_catalogue_has_no_untranslated_or_fuzzy_entry():
    catalogue = _catalogue()
    entries = [message for message in catalogue if message.id]
    assert len(entries) > 100
    untranslated = [message.id for message in entries if not message.string]
    fuzzy = [message.id for message in entries if message.fuzzy]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"
    assert not catalogue.fuzzy, "the catalogue header is still marked fuzzy"


def test_every_translation_keeps_its_placeholders_and_babel_finds_no_problem():
    catalogue = _catalogue()
    for message in catalogue:
        if message.id:
            assert sorted(PLACEHOLDER.findall(message.id)) == sorted(PLACEHOLDER.findall(message.string)), message.id
    assert [(message.id, errors) for message, errors in catalogue.check()] == []


def test_the_translations_are_english_not_copies_of_the_vietnamese():
    vietnamese = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)
    form_code = re.compile(r"\b\d+-KNĐ\b")  # an official form's name (9-KNĐ) stays as it is printed
    copies = [message.id for message in _catalogue()
              if message.id and (vietnamese.search(form_code.sub("", message.string)) or message.string == message.id)
              and message.id not in ("Menu",)]
    assert copies == []


def test_every_message_of_the_code_and_templates_is_in_the_catalogue():
    """Re-extract after changing a page: `pybabel extract … && pybabel update …`, then translate."""
    in_catalogue = {message.id for message in _catalogue() if message.id}
    missing = sorted(str(message) for message in _source_messages() - in_catalogue)
    assert not missing, f"not in the English catalogue (re-extract and translate): {missing}"


def test_the_compiled_catalogue_matches_the_po_file():
    """The app reads the .mo: `pybabel compile -d webapp/translations -f` after every change (scripts/setup)."""
    if not MO.exists():
        pytest.fail("webapp/translations/en/LC_MESSAGES/messages.mo is missing: run pybabel compile")
    with MO.open("rb") as handle:
        compiled = {message.id: message.string for message in read_mo(handle) if message.id}
    assert compiled == {message.id: message.string for message in _catalogue() if message.id}


# --- the pages in English ---------------------------------------------------------------------------


@pytest.fixture()
def english_visitor(app, world):
    visitor = Browser(app.test_client())
    assert visitor.get("/lang/en").status_code == 302
    return visitor


def test_the_login_page_in_english(english_visitor):
    page = english_visitor.get("/login")
    assert html(page).get("lang") == "en"
    assert heading(page) == "Sign in"
    assert texts(page, "//label") == ["User name", "Password"]
    assert texts(page, "//main//button") == ["Sign in"]
    wrong = english_visitor.login("tq-ln-thpt.cell_secretary", "not-the-password")
    assert texts(wrong, "//div[contains(@class, 'invalid-feedback')]") == ["Wrong user name or password."]


def test_english_stays_after_signing_in_and_the_inbox_is_in_english(english_visitor, start_case):
    start_case("TQ-LN-THPT", full_name="Nguyễn Văn An")
    english_visitor.login("tq-ln-thpt.youth_union")
    inbox = english_visitor.get("/inbox")
    assert inbox.status_code == 200 and html(inbox).get("lang") == "en"
    assert heading(inbox).startswith("Inbox")
    assert texts(inbox, "//*[@data-testid='acting']") == [
        "Working as Youth Union — Chi bộ Trường THPT Lộc Ninh · change"]
    assert texts(inbox, "//table[@data-testid='inbox']/thead//th") == ["Student", "Step", "Unit", "Arrived", "Due"]
    assert "My unit's cases" in texts(inbox, "//nav//a[@class='nav-link']")
    assert texts(inbox, "//select[@name='sort']/option") == ["Oldest first", "Due soonest", "Student name"]
    assert "Nguyễn Văn An" in texts(inbox, "//table[@data-testid='inbox']//a")  # data stays as recorded


def test_error_pages_and_messages_in_english(as_user, english_visitor):
    english_visitor.login("tq-ln-thpt.cell_secretary")
    missing = english_visitor.get("/tasks/999999")
    assert missing.status_code == 404 and heading(missing) == "Not found"
    assert texts(missing, "//*[@data-testid='error-message']") == ["This page or case was not found within your scope."]
    english_visitor.post("/logout", {}, token_from="/inbox")
    assert "Signed out." in alerts(english_visitor.get("/login"))


def test_back_to_vietnamese(english_visitor):
    assert heading(english_visitor.get("/login")) == "Sign in"
    english_visitor.get("/lang/vi")
    assert heading(english_visitor.get("/login")) == "Đăng nhập"
    english_visitor.get("/lang/xx")  # an unknown language changes nothing
    assert heading(english_visitor.get("/login")) == "Đăng nhập"
