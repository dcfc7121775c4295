"""Issue 11 in a real browser: an organisation board opens the funnel from the menu, changes the period,
drills into a number, exports the .xlsx (read back with openpyxl) and sets a unit's target."""
from datetime import date

from openpyxl import load_workbook

from tests.reports.known_world import build, expected


def test_a_board_reads_the_funnel_drills_exports_and_sets_a_target(person, world, tmp_path):
    cases = build(world)
    board = person("tq.org_board")
    page = board.go("/inbox")
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.click("[data-testid=nav-reports]")
    page.wait_for_load_state()
    assert page.locator("canvas.report-chart").count() == 2
    page.wait_for_function("() => window.Chart && Object.keys(Chart.instances).length === 2")

    page.select_option("#period-kind", "year")
    page.fill("#period-year", "2025")
    page.click("[data-testid=period-apply]")
    page.wait_for_load_state()
    assert "year=2025" in page.url
    in_2025 = (date(2025, 1, 1), date(2025, 12, 31))
    assert page.inner_text("[data-testid=count-nominated]") == str(len(expected(cases, "nominated", *in_2025)))
    assert page.inner_text("[data-testid=before-nominated]") == str(
        len(expected(cases, "nominated", date(2024, 1, 1), date(2024, 12, 31))))

    verified = expected(cases, "verified", *in_2025)
    page.click("[data-testid=count-verified]")
    page.wait_for_load_state()
    assert page.inner_text("[data-testid=cases-total]") == str(len(verified))
    listed = page.eval_on_selector_all("tr[data-case]", "rows => rows.map(row => row.dataset.case)")
    shown = {int(value) for value in listed}
    assert shown == verified
    page.go_back()
    page.wait_for_load_state()

    with page.expect_download() as download:
        page.click("[data-testid=export-xlsx]")
    saved = tmp_path / "funnel.xlsx"
    download.value.save_as(saved)
    rows = [list(row) for row in load_workbook(saved).worksheets[0].iter_rows(values_only=True)]
    nominated = next(row for row in rows if row[0] == "Được Đoàn giới thiệu")
    assert nominated[1] == len(expected(cases, "nominated", *in_2025))  # a number, not text

    page.click("text=Chỉ tiêu")
    page.wait_for_load_state()
    page.select_option("#target-unit", label="Huyện ủy Chiêm Hóa")
    page.fill("#target-year", str(date.today().year))
    page.fill("#target-admissions", "15")
    page.click("[data-testid=target-save]")
    page.wait_for_load_state()
    assert "Đã lưu chỉ tiêu" in page.content()
    row = page.locator("[data-testid=sheet-targets] tr", has_text="Huyện ủy Chiêm Hóa")
    assert row.locator("td").first.inner_text() == "15"
    assert not [text for text in problems if "Content Security Policy" in text or "Refused" in text], problems
    board.shot("reports-targets")
