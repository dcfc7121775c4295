"""Issue 15, defects a user saw: hints that belong to another document, English identifiers on
Vietnamese screens, the school filled with the cell's name, the menu bar's contrast, the phone
width of the batch nomination's name boxes and the missing favicon.

Each test reads the page as its user reads it (the hint under a field, the lane names drawn on the
diagram, the colours the browser computed) and checks that nothing else changed.
"""
import re
from datetime import date

from playwright.sync_api import expect

from webapp.extensions import db
from webapp.models import Student
from webapp.services import deploy, files_from_directories

from ..conftest import ROOT
from .pages import SUCCESS, TASK_FORM, fill_form, open_task
from .test_approvers import CELL_VOTE, SECRETARY, STANDING, YOUTH_UNION, started_and_driven, today

ADMIN = "admin"
YOUTH_UNION_EXAMPLE = "12-NQ/ĐTN"
HINTS = {  # form: (the document number field, the hint that fits that form's own document)
    "record_cell_vote": ("resolution_number", "Ví dụ: 05-NQ/CB."),
    "record_committee_vote": ("committee_resolution_number", "Ví dụ: 08-NQ/ĐU."),
    "record_verification": ("verification_document_number", "Ví dụ: 20-CV/ĐU."),
    "appraise_subcommittee": ("subcommittee_report_number", "Ví dụ: 03-BC/ĐUBP."),
    "appraise_file": ("appraisal_number", "Ví dụ: 15-BC/BTC."),
    "decide_recognition": ("recognition_decision_number", "Ví dụ: 123-QĐ/HU."),
    "write_self_review": ("new_member_certificate_number", "Số in trên giấy chứng nhận của trung tâm chính trị."),
}


def test_each_document_number_has_its_own_example(person):
    admin = person(ADMIN)
    for name, (field, hint) in HINTS.items():
        page = admin.go(f"/admin/forms/{name}")
        preview = page.get_by_test_id("form-preview")
        expect(preview.locator(f"[data-field=preview-{field}] .form-text")).to_have_text(hint)
        expect(preview).not_to_contain_text(YOUTH_UNION_EXAMPLE)
    # The one form that is the Youth Union's own resolution keeps its example.
    page = admin.go("/admin/forms/issue_youth_union_resolution")
    expect(page.get_by_test_id("form-preview").locator(
        "[data-field=preview-youth_union_resolution_number] .form-text")).to_have_text("Ví dụ: 12-NQ/ĐTN.")


def test_the_cell_vote_page_shows_a_cell_resolution_example(person, start_case):
    student = "Đỗ Thu Hà"
    started_and_driven(start_case, "record_cell_vote", name=student, born=date(2007, 4, 4),
                       citizen_id="001307099881")
    page = open_task(person(SECRETARY), student, CELL_VOTE)
    form = page.locator(TASK_FORM)
    expect(form.locator("[data-field=resolution_number] .form-text")).to_have_text("Ví dụ: 05-NQ/CB.")
    expect(form).not_to_contain_text(YOUTH_UNION_EXAMPLE)


def test_the_school_is_the_schools_name_not_the_cells(person):
    youth_union = person(YOUTH_UNION)
    page = youth_union.go("/cases/nominate")
    form = page.get_by_test_id("nominate-form")
    fill_form(form, {"nomination_number": "15-CV/ĐTN", "nomination_date": today(),
                     "s0-full_name": "Hà Thị Mai", "s0-date_of_birth": date(2008, 2, 2), "s0-sex": "F",
                     "s0-citizen_id": "001308077001", "s0-class_name": "11A3"})
    form.get_by_test_id("submit").click()
    expect(page.locator(SUCCESS)).to_have_text("Đã giới thiệu 1 đoàn viên ưu tú.")
    page.get_by_role("link", name="Hà Thị Mai").click()
    school = page.get_by_test_id("dossier").locator("dt:text-is('Trường, lớp') + dd")
    expect(school).to_have_text("Trường THPT Lộc Ninh, 11A3")  # the cell itself is on its own line
    db.session.expire_all()
    assert [s.school for s in db.session.query(Student).all()] == ["Trường THPT Lộc Ninh"]


# --- the look: contrast of the menu bar, phone width of the nomination boxes, the favicon ---------------

CONTRAST = """(nav) => {
  const rgb = (css) => css.match(/[\\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => [r, g, b].map((c) => { c /= 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  const over = (fg, bg) => { const a = fg.length > 3 ? fg[3] : 1;  // a translucent text blends into its background
    return [0, 1, 2].map((i) => fg[i] * a + bg[i] * (1 - a)); };
  const background = rgb(getComputedStyle(nav).backgroundColor);
  return [...nav.querySelectorAll('a.nav-link, a.navbar-brand')].filter((a) => a.offsetParent !== null)
    .map((a) => { const text = luminance(over(rgb(getComputedStyle(a).color), background));
      const back = luminance(background);
      return [a.textContent.trim(), (Math.max(text, back) + 0.05) / (Math.min(text, back) + 0.05)]; });
}"""


def test_every_text_on_the_menu_bar_reaches_4_5_to_1(person):
    for who in (SECRETARY, STANDING, ADMIN):
        page = person(who).go("/inbox")
        ratios = page.locator("nav.navbar").evaluate(CONTRAST)
        assert len(ratios) >= 4, ratios  # the brand, the menu entries and the user's name
        assert all(ratio >= 4.5 for _, ratio in ratios), ratios


def test_the_nomination_boxes_are_usable_on_a_phone(person):
    page = person(YOUTH_UNION, width=360, height=740).go("/cases/nominate")
    boxes = page.locator("[data-testid=nominate-rows] tbody tr").first.locator("input, select")
    # Five boxes of the person and six of the statistics form (issue 11: lists, yes/no).
    expect(boxes).to_have_count(11)
    for index in range(11):
        box = boxes.nth(index).bounding_box()
        assert box["width"] >= 200, (index, box)
    # Each box is labelled in words a person reads (not "full_name").
    labels = boxes.evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    assert labels == ["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Lớp", "Dân tộc", "Tôn giáo", "Đối tượng",
                      "Trình độ học vấn", "Đoàn viên", "Kết nạp lại"]
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 2


def test_no_page_asks_for_a_missing_file(person, start_case):
    case_id = started_and_driven(start_case, "record_cell_vote", name="Đỗ Thu Hà", born=date(2007, 4, 4),
                                 citizen_id="001307099881")
    secretary = person(SECRETARY)
    missing = []
    secretary.page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    for path in ("/login", "/inbox", "/cases", f"/cases/{case_id}", f"/cases/{case_id}/diagram", "/cases/new"):
        secretary.go(path)
        secretary.page.wait_for_load_state("load")
    icon = secretary.page.locator("link[rel=icon]")
    expect(icon).to_have_attribute("href", re.compile(r"^/static/favicon\.svg\?v="))
    served = secretary.page.request.get(secretary.base_url + icon.get_attribute("href"))
    assert served.ok and "immutable" in served.headers["cache-control"]  # content-hashed like every static file
    answer = secretary.page.request.get(secretary.base_url + "/favicon.ico")  # asked for by pages naming no icon
    assert answer.ok and answer.headers["content-type"].startswith("image/svg+xml")
    assert missing == []


# --- no English identifiers on Vietnamese screens, English step names on English ones ------------------

LANE_TEXTS = """() => [...document.querySelectorAll('#canvas .djs-element')]
  .filter((g) => /lane/.test(g.dataset.elementId)).map((g) => g.textContent.trim())"""


def test_diagram_lanes_read_role_labels_and_the_stored_file_keeps_the_ids(person, start_case, driver):
    case = start_case("TQ-LN-THPT", full_name="Nguyễn Văn An")
    driver.run(case.id, until="record_cell_vote")
    auditor = person("tq.auditor")
    page = auditor.go(f"/cases/{case.id}/diagram")
    page.wait_for_selector("body[data-marked=yes]")
    lanes = page.evaluate(LANE_TEXTS)
    assert "Bí thư chi bộ" in lanes and "Ban Thường vụ" in lanes and "Đoàn Thanh niên" in lanes, lanes
    assert not any("_" in text or text in ("applicant", "verifier", "introducer") for text in lanes), lanes
    stored = auditor.context.request.get(f"{auditor.base_url}/cases/{case.id}/diagram/admission.bpmn").text()
    assert 'name="cell_secretary"' in stored and "Bí thư chi bộ" not in stored  # the engine's file is untouched

    page.locator("#user-menu").click()
    page.get_by_role("link", name="English", exact=True).click()
    page = auditor.go(f"/cases/{case.id}/diagram")
    page.wait_for_selector("body[data-marked=yes]")
    lanes = page.evaluate(LANE_TEXTS)
    assert "Cell secretary" in lanes and "Bí thư chi bộ" not in lanes, lanes
    expect(page.locator("#canvas [data-element-id=write_application]")).to_have_text(
        "Write the application and personal history")


def test_step_names_are_english_in_english_and_vietnamese_in_vietnamese(person, start_case):
    student = "Đỗ Thu Hà"
    started_and_driven(start_case, "record_cell_vote", name=student, born=date(2007, 4, 4),
                       citizen_id="001307099881")
    secretary = person(SECRETARY)
    page = open_task(secretary, student, CELL_VOTE)
    expect(page).to_have_title(re.compile(rf"^{CELL_VOTE} · ketnap$"))
    page.locator("#user-menu").click()
    page.get_by_role("link", name="English", exact=True).click()
    page = secretary.go("/inbox")
    rows = page.locator("[data-testid=inbox] tbody tr").filter(has_text=student)
    expect(rows.locator('td:text-is("Record the cell\'s vote")')).to_have_count(1)
    rows.first.get_by_role("link", name=student).click()
    expect(page.locator("h1")).to_have_text("Record the cell's vote")
    expect(page.get_by_test_id("dossier")).to_contain_text("Nominate Youth Union members")  # a step done earlier
    expect(page.get_by_test_id("dossier")).not_to_contain_text(CELL_VOTE)


def test_migration_reasons_are_said_in_words(person, start_case, driver):


    case = start_case("TQ-LN-THPT", full_name="Lê Thị Hoa", citizen_id="001207000002")
    driver.run(case.id, until="plan_cell_meeting")
    files = files_from_directories(ROOT / "processes", ROOT / "forms")
    files["admission.bpmn"] = files["admission.bpmn"].replace(
        "Giới thiệu đoàn viên ưu tú".encode(), "Đoàn trường giới thiệu đoàn viên ưu tú".encode())
    new = deploy(files, comment="Đổi tên bước giới thiệu")
    db.session.commit()
    admin = person(ADMIN)
    page = admin.go(f"/admin/versions/{new.id}/migration")
    row = page.locator(f"tr[data-case='{case.id}']")
    expect(row).to_have_attribute("data-safe", "no")
    expect(row.locator("li")).to_have_text("Giới thiệu đoàn viên ưu tú nominate_student: đã thay đổi: tên bước")
    expect(row).not_to_contain_text("changed")
    expect(row).not_to_contain_text("bpmn_name")
    page.locator("#user-menu").click()
    page.get_by_role("link", name="English", exact=True).click()
    page = admin.go(f"/admin/versions/{new.id}/migration")
    expect(page.locator(f"tr[data-case='{case.id}'] li")).to_have_text(
        "Nominate Youth Union members nominate_student: changed: step name")


def test_the_editor_draws_lanes_with_role_labels_and_saves_the_ids(person):
    admin = person(ADMIN)
    page = admin.go("/admin/processes/edit/admission.bpmn")
    page.wait_for_selector("#diagram-editor[data-state=ready]", timeout=15_000)
    lanes = page.evaluate(LANE_TEXTS.replace("#canvas", "#modeler"))
    assert "Bí thư chi bộ" in lanes and "Ban Thường vụ" in lanes, lanes
    assert not any("_" in text for text in lanes), lanes
    page.get_by_test_id("find").fill("lane_cell_secretary")
    page.get_by_test_id("find").press("Enter")
    expect(page.get_by_test_id("p-role")).to_have_value("cell_secretary")  # the panel edits the role id
    page.get_by_test_id("p-role").select_option("verifier")
    lane = page.locator("#modeler [data-element-id=lane_cell_secretary] .djs-visual text")
    expect(lane).to_have_text("Người thẩm tra lý lịch")  # redrawn, labelled again
    page.get_by_test_id("tab-xml").click()
    xml = page.get_by_test_id("xml").input_value()
    assert '<bpmn:lane id="lane_cell_secretary" name="verifier"' in xml and "Người thẩm tra lý lịch" not in xml
