"""Issue 15: a name is found without its diacritics, and a full identity number (CCCD) finds its case
for the roles that read it — never for the others, who must not learn whether it exists.

Every search goes as its form sends it (POSTed, then shown at the address it redirects to), and
nothing a search does may change the database or put the searched text in an address.
"""
import logging
from urllib.parse import parse_qsl, quote, quote_plus

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import User
from webapp.rules.names import fold_name

from .helpers import db_state, html, redirect_path, texts

CH_ANH = "001307000555"  # Đặng Thị Hồng, Chiêm Hóa
CH_AN = "001207000666"  # Nguyễn Văn An, Chiêm Hóa
LN_DUNG = "001207000777"  # Trần Văn Dũng, Lộc Ninh
UNKNOWN = "001207999999"  # nobody's


@pytest.fixture()
def students(start_case):
    start_case("TQ-CH-THPT", full_name="Đặng Thị Hồng", citizen_id=CH_ANH, sex="F")
    start_case("TQ-CH-THPT", full_name="Nguyễn Văn An", citizen_id=CH_AN)
    start_case("TQ-LN-THPT", full_name="Trần Văn Dũng", citizen_id=LN_DUNG)


def _never_in(address, text):
    for form in (text, quote(text), quote_plus(text), text.lower()):
        assert form not in address, f"{text!r} travels in {address!r}"


def _searched(browser, path, text):
    response = browser.post(path, {"q": text}, token_from=path)
    assert response.status_code == 303, response.status_code
    address = redirect_path(response)
    if len(text.strip()) > 3:  # shorter ones could be part of the random key
        _never_in(address, text.strip())
        assert set(dict(parse_qsl(address.partition("?")[2]))) <= {"s"}
    page = browser.get(address)
    assert page.status_code == 200
    return page


def _audit_names(page):
    names = texts(page, "//table[@data-testid='search-results']/tbody/tr[@data-case]/td[1]")
    return set(names), int(texts(page, "//*[@data-testid='search-total']")[0])


def _case_names(page):
    rows = html(page).xpath("//table[@data-testid='cases']/tbody/tr[@data-case]")
    return {row.xpath("string(td[1])").strip() for row in rows}


def _inbox_names(page):
    return {row.xpath("string(td[1])").strip() for row in html(page).xpath("//table[@data-testid='inbox']/tbody/tr")}


@pytest.mark.parametrize(("query", "expected"), [
    ("nguyen van an", {"Nguyễn Văn An"}),
    ("NGUYEN VAN AN", {"Nguyễn Văn An"}),
    ("  nguyen   van  an ", {"Nguyễn Văn An"}),  # runs of spaces are one space
    ("Nguyễn Văn An", {"Nguyễn Văn An"}),  # typed with its marks, as before
    ("nguyến", {"Nguyễn Văn An"}),  # a wrong mark is no mark
    ("dang thi hong", {"Đặng Thị Hồng"}),  # đ is d
    ("đang", {"Đặng Thị Hồng"}),
    ("dũng", {"Trần Văn Dũng"}),
    ("d", {"Đặng Thị Hồng", "Trần Văn Dũng"}),
    ("van", {"Nguyễn Văn An", "Trần Văn Dũng"}),
    ("%", set()), ("_", set()), ("an%", set()), ("n_uyen", set()),  # LIKE's wildcards are letters here
    ("x" * 5000, set()),  # very long: cut to 100 characters, finds nothing
    ("ho\x00ng", {"Đặng Thị Hồng"}),  # a NUL is dropped (PostgreSQL would refuse it)
    ("'; DROP TABLE student; --", set()),
])
def test_the_auditor_finds_names_without_their_diacritics(as_user, students, query, expected):
    auditor = as_user("tq.auditor")
    before = db_state()
    assert _audit_names(_searched(auditor, "/audit/cases", query)) == (expected, len(expected))
    assert db_state() == before


def test_my_units_cases_and_the_inbox_fold_names_too(as_user, students):
    secretary = as_user("tq-ch-thpt.cell_secretary")
    assert _case_names(_searched(secretary, "/cases", "nguyen van an")) == {"Nguyễn Văn An"}
    assert _case_names(_searched(secretary, "/cases", "DANG THI")) == {"Đặng Thị Hồng"}
    assert _case_names(_searched(secretary, "/cases", "dung")) == set()  # Lộc Ninh's: not in scope
    youth = as_user("tq-ch-thpt.youth_union")  # the nominations wait for the Youth Union
    assert _inbox_names(youth.get("/inbox")) == {"Nguyễn Văn An", "Đặng Thị Hồng"}
    assert _inbox_names(_searched(youth, "/inbox", "nguyen van")) == {"Nguyễn Văn An"}
    assert _inbox_names(_searched(youth, "/inbox", "đặng")) == {"Đặng Thị Hồng"}
    assert _inbox_names(_searched(youth, "/inbox", "%")) == set()


def test_an_organisation_board_finds_a_case_by_its_identity_number(as_user, students):
    board = as_user("tq-ch.org_board")  # reads the full number (authz ROLE_READS)
    before = db_state()
    assert _audit_names(_searched(board, "/audit/cases", CH_AN)) == ({"Nguyễn Văn An"}, 1)
    assert _audit_names(_searched(board, "/audit/cases", "001 207 000 666")) == ({"Nguyễn Văn An"}, 1)
    assert _audit_names(_searched(board, "/audit/cases", UNKNOWN)) == (set(), 0)
    assert _audit_names(_searched(board, "/audit/cases", LN_DUNG)) == (set(), 0)  # outside its scope
    assert _audit_names(_searched(board, "/audit/cases", CH_AN[:11])) == (set(), 0)  # exact, not a part
    assert _audit_names(_searched(board, "/audit/cases", "００１２０７０００６６６")) == (set(), 0)  # ASCII digits only
    assert db_state() == before


def test_a_cell_secretary_finds_its_cases_by_identity_number(as_user, students):
    secretary = as_user("tq-ch-thpt.cell_secretary")
    assert _case_names(_searched(secretary, "/cases", CH_ANH)) == {"Đặng Thị Hồng"}
    assert _case_names(_searched(as_user("tq-ln-thpt.cell_secretary"), "/cases", CH_ANH)) == set()


@pytest.mark.parametrize(("username", "path"), [
    ("tq.auditor", "/audit/cases"), ("tq-ch.standing_committee", "/audit/cases"),
    ("tq-ch-thpt.youth_union", "/inbox"), ("tq-ch-thpt.youth_union", "/cases")])
def test_the_roles_that_do_not_read_the_number_learn_nothing_from_it(as_user, students, username, path):
    """The page for an existing number is the page for a number nobody has: no oracle."""
    browser = as_user(username)

    def shown(number):
        page = _searched(browser, path, number)
        body = page.get_data(as_text=True)
        assert number not in body.replace(f'value="{number}"', "")  # only in the search box itself
        assert "Nguyễn Văn An" not in body
        return html(page).xpath("//main//table//tbody//td[1]/text()"), texts(page, "//*[@data-testid]")

    assert shown(CH_AN) == shown(UNKNOWN)


def test_a_searched_identity_number_stays_out_of_the_logs(as_user, students, caplog):
    caplog.set_level(logging.DEBUG)
    board = as_user("tq-ch.org_board")
    _searched(board, "/audit/cases", CH_AN)
    assert CH_AN not in caplog.text


def test_the_admin_finds_users_without_diacritics(as_user):
    admin = as_user("admin")
    name = db.session.execute(select(User.full_name).where(User.username == "tq.auditor")).scalar_one()
    searched = admin.post("/admin/users/search", {"q": fold_name(name).upper()}, token_from="/admin/users")
    assert searched.status_code == 303
    found = html(admin.get(redirect_path(searched))).xpath("//tr/@data-user")
    assert "tq.auditor" in found
    nothing = admin.post("/admin/users/search", {"q": "%"}, token_from="/admin/users")
    assert html(admin.get(redirect_path(nothing))).xpath("//tr/@data-user") == []


def test_the_search_boxes_say_a_number_is_searched_only_where_it_is(as_user, students):
    def placeholder(username, path):
        return html(as_user(username).get(path)).xpath("//input[@name='q']/@placeholder")

    assert placeholder("tq-ch.org_board", "/audit/cases") == ["Tên học sinh hoặc số CCCD"]
    assert placeholder("tq.auditor", "/audit/cases") == ["Tên học sinh"]
    assert placeholder("tq-ch-thpt.cell_secretary", "/cases") == ["Tìm theo tên học sinh hoặc số CCCD"]
    assert placeholder("tq-ch-thpt.youth_union", "/inbox") == ["Tìm theo tên học sinh"]
