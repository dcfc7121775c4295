"""Issue 10 in a real browser: a cell secretary adds a member to the register by the form, then imports a
CSV (a bad line refused with its number and nothing entered, then the corrected file entered whole)."""
from datetime import date

from webapp.services.register import counted_members

CELL = "TQ-LN-THPT"


def _counts(page):
    return page.locator("[data-testid=register-counts] [data-count=official]").inner_text()


def test_a_secretary_adds_a_member_and_imports_the_cell_from_a_csv(person, world, tmp_path):
    secretary = person("tq-ln-thpt.cell_secretary")
    page = secretary.go("/inbox")
    page.click("[data-testid=nav-register]")
    page.wait_for_load_state()
    assert _counts(page) == "Chính thức: 11"

    page.fill("#full_name", "Trịnh Thị Ngọc Ánh")
    page.select_option("#status", "official")
    page.fill("#admitted_on", "02/09/2010")
    page.fill("#official_on", "02/09/2011")
    page.fill("#joined_on", "01/01/2099")  # a date that has not come
    page.click("[data-testid=member-add]")
    page.wait_for_load_state()
    assert "chưa đến" in page.locator("[data-testid=error-joined_on]").inner_text()
    assert page.input_value("#full_name") == "Trịnh Thị Ngọc Ánh"  # what was typed is still there
    page.fill("#joined_on", "15/01/2015")
    page.click("[data-testid=member-add]")
    page.wait_for_load_state()
    assert _counts(page) == "Chính thức: 12"
    assert page.locator("tr[data-member='Trịnh Thị Ngọc Ánh']").count() == 1

    bad = tmp_path / "chi-bo.csv"
    bad.write_text("Họ và tên;Trạng thái;Ngày vào Đảng;Ngày chính thức;Ngày sinh hoạt tại chi bộ\n"
                   "Lò Văn Được;Chính thức;01/01/2009;01/01/2010;01/01/2012\n"
                   "Hà Thị Dự Bị;dự bị;30/02/2026;;01/03/2026\n", encoding="utf-8")
    page.set_input_files("[data-testid=import-file]", str(bad))
    page.click("[data-testid=import-submit]")
    page.wait_for_load_state()
    errors = page.locator("[data-testid=import-errors] tr[data-line='3']")
    assert errors.count() >= 1 and "dd/mm/yyyy" in errors.first.inner_text()
    assert _counts(page) == "Chính thức: 12"  # nothing entered
    secretary.shot("register-import-refused")

    good = tmp_path / "chi-bo-sua.csv"
    good.write_text(bad.read_text(encoding="utf-8").replace("30/02/2026", "20/02/2026"), encoding="utf-8")
    page.set_input_files("[data-testid=import-file]", str(good))
    page.click("[data-testid=import-submit]")
    page.wait_for_load_state()
    assert _counts(page) == "Chính thức: 13"
    assert page.locator("[data-count=probationary]").inner_text() == "Dự bị: 1"
    assert page.locator("tr[data-member='Hà Thị Dự Bị']").count() == 1
    secretary.shot("register-after-import")
    on = counted_members(world.cells[CELL].id, date(2026, 3, 2))
    assert "Hà Thị Dự Bị" in {entry.full_name for entry in on.probationary}
