"""The search across cases in scope and its CSV export, through HTTP: every filter, alone and combined.

Four cases: a finished one in Cẩm Xuyên, one in Lộc Ninh, two in Chiêm Hóa (one of them overdue at
the sympathiser list, the other opened two months later).
"""
import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from webapp.extensions import db
from webapp.models import HumanTask, InstanceEvent, OrgUnit, User
from webapp.pages.formatting import VIETNAM
from webapp.services.clock import resolve_now

from ..conftest import START
from .helpers import html, texts


def _found(response):
    """{student name} of the rows shown, and the total the page announces."""
    assert response.status_code == 200
    names = texts(response, "//table[@data-testid='search-results']/tbody/tr[@data-case]/td[1]")
    return set(names), int(texts(response, "//*[@data-testid='search-total']")[0])


def _unit_id(code):
    return db.session.query(OrgUnit.id).filter_by(code=code).scalar()


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
    ("q=THỊ HẰNG", {"Lê Thị Hằng"}),  # case-insensitive beyond ASCII, but the accents count
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
    url = "/audit/cases?" + query.replace("{TQ-CH}", str(_unit_id("TQ-CH")))
    assert _found(auditor.get(url)) == (expected, len(expected))


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
    assert _found(auditor.get("/audit/cases?page=3&q=học sinh")) == (set(), 27)


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

    _header, *named = _csv(auditor.get("/audit/cases.csv?q=thị h&status=official"))
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
