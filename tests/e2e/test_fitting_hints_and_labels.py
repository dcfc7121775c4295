"""Issue 15, defects a user saw: hints that belong to another document, English identifiers on
Vietnamese screens, the school filled with the cell's name, the menu bar's contrast, the phone
width of the batch nomination's name boxes and the missing favicon.

Each test reads the page as its user reads it (the hint under a field, the lane names drawn on the
diagram, the colours the browser computed) and checks that nothing else changed.
"""
from datetime import date

from playwright.sync_api import expect

from .pages import TASK_FORM, open_task
from .test_approvers import CELL_VOTE, SECRETARY, started_and_driven

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
