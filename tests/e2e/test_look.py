"""The pages the README shows (docs/screenshots/), 1280 px wide: the cell secretary's inbox, a task
page, and a finished case's path on its diagram as an auditor sees it.

Screenshots always go to test-artifacts/screenshots/; with KETNAP_DOCS_SCREENSHOTS=1 the README
pictures are also copied to docs/screenshots/ (not on every run: their dates change every day).
"""
import os
import shutil
from datetime import date
from pathlib import Path

from playwright.sync_api import expect

from .pages import TASK_FORM, expect_vote_preview, fill_form, open_task
from .test_approvers import DECISION, SECRETARY, STANDING, started_and_driven, today

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
STUDENTS = (  # name, born, citizen ID, where the case stops, how long ago it started
    ("Nguyễn Văn An", date(2007, 3, 15), "001207012345", "record_cell_vote", 40),
    ("Trần Minh Khôi", date(2007, 11, 2), "001207023456", "write_application", 15),
    ("Lê Thị Bình", date(2008, 6, 21), "001308034567", "add_to_sympathiser_list", 2),
    ("Phạm Thu Trang", date(2007, 1, 9), "001307045678", "hold_ceremony", 75),
)


def test_inbox_and_task_page_render(person, start_case):
    for name, born, citizen_id, until, days_ago in STUDENTS:
        started_and_driven(start_case, until, name=name, born=born, citizen_id=citizen_id, days_ago=days_ago)
    secretary = person(SECRETARY)
    page = secretary.go("/inbox")
    expect(page.locator("[data-testid=inbox] tbody tr")).to_have_count(len(STUDENTS))
    expect(page.get_by_test_id("inbox-total")).to_have_text(str(len(STUDENTS)))
    expect(page.get_by_test_id("step-counts").get_by_role("link")).to_have_count(len(STUDENTS) + 1)
    shots = {"inbox": secretary.shot("readme-inbox", full_page=False)}

    # The standing committee decides, with the whole dossier beside the form.
    started_and_driven(start_case, "decide_admission", name="Vũ Hoàng Yến", born=date(2007, 8, 30),
                       citizen_id="001307056789", days_ago=50)
    standing = person(STANDING, height=1000)  # tall enough for the form's vote preview
    page = open_task(standing, "Vũ Hoàng Yến", DECISION)
    fill_form(page.locator(TASK_FORM), {"decision": "admit", "decision_members": 9, "decision_agree": 8,
                                        "decision_number": "125-QĐ/ĐU", "decision_date": today()})
    # The committee's register is listed above the tally now (who was present): scroll to it as a person would.
    page.get_by_test_id("vote-preview").scroll_into_view_if_needed()
    expect(page.get_by_test_id("vote-preview")).to_be_in_viewport()
    page.evaluate("document.activeElement.blur()")  # no caret or selection in the picture
    expect_vote_preview(page, counted=9, threshold=6, verdict="✔ đạt")
    shots["task"] = standing.shot("readme-task", full_page=False)

    _publish(shots)


def test_inbox_on_a_phone(person, start_case):
    """The README's phone picture (issue 15): the same inbox at 390 px, nothing wider than the screen."""
    for name, born, citizen_id, until, days_ago in STUDENTS[:3]:
        started_and_driven(start_case, until, name=name, born=born, citizen_id=citizen_id, days_ago=days_ago)
    secretary = person(SECRETARY, width=390, height=844)
    page = secretary.go("/inbox")
    expect(page.locator("[data-testid=inbox] tbody tr")).to_have_count(3)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    _publish({"inbox-phone": secretary.shot("readme-inbox-phone", full_page=False)})


def test_auditor_diagram_renders(person, start_case, driver):
    case = start_case("TQ-CX-THPT-1", full_name="Nguyễn Văn An")
    driver.run(case.id)
    auditor = person("tq.auditor")
    page = auditor.go(f"/cases/{case.id}/diagram")
    page.wait_for_selector("body[data-marked=yes]")
    expect(page.locator("[data-element-id=decide_recognition].ketnap-done")).to_be_in_viewport()
    _publish({"auditor-diagram": auditor.shot("readme-auditor-diagram", full_page=False)})


def _publish(shots):
    """{README picture name: screenshot} copied to docs/screenshots/ when asked."""
    if os.environ.get("KETNAP_DOCS_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        for name, path in shots.items():
            shutil.copyfile(path, DOCS / f"{name}.png")
