"""The report pages through real HTTP (Flask test client, CSRF on): figures, scope, drill-down, exports."""
import csv
import io
import re
from datetime import date

from openpyxl import load_workbook
from sqlalchemy import select

from tests.reports.known_world import build, expected
from webapp.extensions import db
from webapp.models import InstanceEvent, OrgUnit
from webapp.models.stages import UnitTarget

YEAR = "period=year&year=2025"
IN_2025 = (date(2025, 1, 1), date(2025, 12, 31))
IN_2024 = (date(2024, 1, 1), date(2024, 12, 31))


def _unit(code):
    return db.session.execute(select(OrgUnit.id).where(OrgUnit.code == code)).scalar()


def _targets(unit_id):
    return db.session.execute(select(UnitTarget.admissions).where(UnitTarget.unit_id == unit_id)).scalars().all()


def _testid(html, testid):
    match = re.search(rf'data-testid="{testid}"[^>]*>([^<]*)<', html)
    return match.group(1) if match else None


def test_a_board_reads_the_funnel_and_drills_into_a_number(world, browser):
    cases = build(world)
    browser.login("tq.org_board")
    home = browser.get("/inbox").get_data(as_text=True)
    assert 'data-testid="nav-reports"' in home
    page = browser.get(f"/reports/funnel?{YEAR}&a=course_attended&b=admitted")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for stage in ("nominated", "verified", "admitted", "failed_course"):
        assert _testid(html, f"count-{stage}") == str(len(expected(cases, stage, *IN_2025)))
        assert _testid(html, f"before-{stage}") == str(len(expected(cases, stage, *IN_2024)))
    attended = len(expected(cases, "course_attended", date(2025, 1, 1), date(2025, 12, 31)))
    admitted = len(expected(cases, "admitted", date(2025, 1, 1), date(2025, 12, 31)))
    assert _testid(html, "ratio-now") == f"{100 * admitted / attended:.1f} %"
    link = re.search(r'href="([^"]+)" data-testid="count-verified"', html).group(1).replace("&amp;", "&")
    listed = browser.get(link).get_data(as_text=True)
    shown = {int(found) for found in re.findall(r'data-case="(\d+)"', listed)}
    assert shown == expected(cases, "verified", date(2025, 1, 1), date(2025, 12, 31))
    assert "0012060" not in listed  # identity numbers masked
    viewed = db.session.execute(select(InstanceEvent).where(InstanceEvent.kind == "dossier_viewed")
                                .order_by(InstanceEvent.seq.desc())).scalars().first()
    assert viewed.payload["view"] == "report_cases" and set(viewed.payload["instances"]) == shown


def test_every_report_page_draws_for_a_board_in_both_languages(world, browser):
    build(world)
    browser.login("tq.org_board")
    for name in ("funnel", "new-members", "targets", "stage-times", "risks"):
        assert browser.get(f"/reports/{name}?{YEAR}").status_code == 200, name
        assert browser.get(f"/reports/{name}?period=quarter&year=2025&n=2").status_code == 200, name
    browser.get("/lang/en")
    english = browser.get(f"/reports/new-members?{YEAR}").get_data(as_text=True)
    assert "Youth Union members" in english and "has not been checked" in english


def test_a_cell_secretary_sees_only_their_cell(world, browser):
    cases = build(world)
    browser.login("tq-ln-thpt.cell_secretary")
    own = browser.get(f"/reports/funnel?{YEAR}").get_data(as_text=True)
    assert _testid(own, "count-nominated") == str(
        len(expected(cases, "nominated", date(2025, 1, 1), date(2025, 12, 31), ("TQ-LN-THPT",))))
    neighbour = world.cells["TQ-CH-THPT"].id
    for url in (f"/reports/funnel?{YEAR}&unit={neighbour}", f"/reports/funnel?{YEAR}&unit={_unit('TQ')}",
                f"/reports/funnel.xlsx?{YEAR}&unit={world.cells['TQ-CH-THPT'].id}",
                f"/reports/cases?stage=nominated&{YEAR}&unit={world.cells['TQ-CH-THPT'].id}",
                f"/reports/funnel?{YEAR}&unit=abc"):
        refused = browser.get(url)
        assert refused.status_code == 403, url
        assert "không thuộc phạm vi" in refused.get_data(as_text=True)
        assert "Chi bộ Trường THPT Chiêm Hóa" not in refused.get_data(as_text=True)


def test_roles_that_do_not_report_are_refused(world, browser):
    browser.login("tq-ln-thpt.verifier")
    assert 'data-testid="nav-reports"' not in browser.get("/inbox").get_data(as_text=True)
    assert browser.get("/reports/funnel").status_code == 403


def test_a_wrong_period_says_what_is_wrong_and_shows_no_figure(world, browser):
    build(world)
    browser.login("tq.org_board")
    for query, words in (("period=month&year=2025&n=13", "Tháng phải từ 1 đến 12"),
                         ("period=range&from=2025-05-01&to=2025-04-01", "Ngày kết thúc đứng trước"),
                         ("period=range&from=2025-05-01", "Hãy nhập đủ ngày"), ("period=year&year=1850", "2000")):
        page = browser.get(f"/reports/funnel?{query}")
        assert page.status_code == 400 and words in page.get_data(as_text=True), query
        assert 'data-testid="count-nominated"' not in page.get_data(as_text=True)


def test_exports_hold_the_same_numbers_as_numbers(world, browser):
    cases = build(world)
    browser.login("tq.org_board")
    workbook = browser.get(f"/reports/new-members.xlsx?{YEAR}")
    assert workbook.status_code == 200 and workbook.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(workbook.data)).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = next(row for row in rows if row[0] == "Đơn vị")
    total = next(row for row in rows if row[0] == "Cộng (kỳ này)")
    women = header.index("Nữ")
    assert total[header.index("Tổng số đảng viên mới kết nạp")] == len(
        expected(cases, "admitted", date(2025, 1, 1), date(2025, 12, 31)))
    assert total[women] == len(expected(cases, "admitted", date(2025, 1, 1), date(2025, 12, 31),
                                        where=lambda case: case.sex == "F"))
    assert isinstance(total[women], int)
    assert "Đảng ủy xã Lộc Ninh" in [row[0] for row in rows]
    text = browser.get(f"/reports/funnel.csv?{YEAR}").data.decode("utf-8")
    assert text.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(text[1:])))
    nominated = next(line for line in lines if line and line[0] == "Được Đoàn giới thiệu")
    assert nominated[1] == str(len(expected(cases, "nominated", date(2025, 1, 1), date(2025, 12, 31))))


def test_a_board_sets_a_target_and_wrong_input_changes_nothing(world, browser):
    build(world)
    district = _unit("TQ-CH")
    browser.login("tq.org_board")
    saved = browser.post("/reports/targets", {"unit": str(district), "year": "2026", "admissions": "12"},
                         token_from="/reports/targets", follow_redirects=True)
    assert saved.status_code == 200 and "12" in saved.get_data(as_text=True)
    for form, words in (({"unit": str(district), "year": "2026", "admissions": "-3"}, "số nguyên"),
                        ({"unit": str(district), "year": "2040", "admissions": "3"}, "năm trước, năm nay"),
                        ({"unit": str(district), "year": "2026", "admissions": "nhiều"}, "số nguyên")):
        page = browser.post("/reports/targets", form, token_from="/reports/targets", follow_redirects=True)
        assert words in page.get_data(as_text=True), form
    assert _targets(district) == [12]
    browser.get("/logout")
    browser.login("tq-ln.org_board")  # a district board: Chiêm Hóa is its neighbour
    forged = browser.post("/reports/targets", {"unit": str(district), "year": "2026", "admissions": "99"},
                          token_from="/reports/targets")
    assert forged.status_code == 403
    assert _targets(district) == [12]
