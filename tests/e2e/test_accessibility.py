"""An accessibility check of the main pages of each role, with axe-core run offline (issue 15).

axe-core comes from the npm registry (package.json, `node_modules/axe-core/axe.min.js`) and is put
into the page by the browser test itself, never served by the application and never from a CDN.
Each page fails on a serious or critical violation of WCAG 2.1 A/AA (contrast, names of controls and
fields, table headers, landmarks, ARIA, …). Keyboard use is checked by pressing Tab as a person
would: the skip link comes first, every control of the task page is reached in reading order, and
the focused control shows a visible outline.
"""
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from webapp.extensions import db
from webapp.services import StepFailed, files_from_directories
from webapp.services.versions import active_version, store_version

from .pages import TASK_FORM
from .test_approvers import SECRETARY, STANDING, started_and_driven

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ANCHOR = b"# Counters and flags the later gateways read; set once so every path finds them."
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")


def violations(page):
    """The serious and critical axe-core violations of what `page` shows, as readable lines."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run scripts/setup (npm ci installs axe-core from package-lock.json)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))  # evaluated by the test, not loaded by the page (CSP)
    found = page.evaluate("""tags => axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                        resultTypes: ['violations']})
        .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                          targets: v.nodes.slice(0, 5).map(n => n.target.join(' '))})))""", TAGS)
    return [f"{v['impact']}: {v['id']} ({v['help']}) at {v['targets']}" for v in found if v["impact"] in BLOCKING]


def check(person_, path, ready=None, found=None):
    """Open `path` and check it; with `found` (a list) the violations are collected there to be told at once."""
    page = person_.go(path)
    if ready:
        page.wait_for_selector(ready)
    lines = [f"{path}: {line}" for line in violations(page)]
    if found is None:
        assert not lines, "\n".join(lines)
    else:
        found.extend(lines)
    return page


def test_the_approvers_pages_pass_the_accessibility_check(person, start_case):
    case_id = started_and_driven(start_case, "decide_admission", name="Vũ Hoàng Yến", born=date(2007, 8, 30),
                                 citizen_id="001307056789", days_ago=50)
    started_and_driven(start_case, "add_to_sympathiser_list", name="Lê Thị Bình", born=date(2008, 1, 21),
                       citizen_id="001308034567", days_ago=2)
    secretary = person(SECRETARY)
    check(secretary, "/inbox")
    page = secretary.go("/inbox")
    page.locator("[data-testid=inbox] tbody tr").first.get_by_role("link").first.click()
    page.wait_for_selector(TASK_FORM)
    assert not violations(page), "\n".join(violations(page))
    check(secretary, f"/cases/{case_id}")
    standing = person(STANDING)
    check(standing, "/inbox")
    page = standing.go("/inbox")
    page.locator("[data-testid=inbox] tbody tr").filter(has_text="Vũ Hoàng Yến").get_by_role("link").first.click()
    page.wait_for_selector(TASK_FORM)
    assert not violations(page), "\n".join(violations(page))


def test_the_auditors_and_administrators_pages_pass_the_accessibility_check(person, start_case, driver):
    case = start_case("TQ-CX-THPT-1", full_name="Nguyễn Văn An")
    driver.run(case.id, until="plan_cell_meeting")
    first, second = _a_failed_case_on_a_second_version(start_case, driver)
    auditor, found = person("tq.auditor"), []
    check(auditor, "/audit/cases", found=found)
    check(auditor, f"/cases/{case.id}/history", found=found)
    check(auditor, f"/cases/{case.id}/diagram", ready="body[data-marked=yes]", found=found)
    admin = person("admin")
    for path in ("/admin/processes", "/admin/versions", "/admin/operations", "/admin/users", "/admin/units",
                 "/admin/forms", "/admin/processes/upload"):
        check(admin, path, found=found)
    check(admin, f"/admin/versions?old={first}&new={second}", ready=".compare-canvas[data-shown=new]", found=found)
    assert not found, "\n".join(found)


def _a_failed_case_on_a_second_version(start_case, driver):
    """(first, second) version ids: the second stored with a script that fails (as an older version could
    hold it), and a case whose step failed on it — the comparison and the operations view have content."""
    files = files_from_directories(ROOT / "processes", ROOT / "forms")
    files["admission.bpmn"] = files["admission.bpmn"].replace(ANCHOR, b"x = name_nobody_set")
    first = active_version().id
    second, _ = store_version(files, comment="a typo that got in")
    db.session.commit()
    failing = start_case("TQ-LN-THPT", full_name="Trần Thị Lỗi")
    task = driver.run(failing.id, until="add_to_sympathiser_list")[0]
    with pytest.raises(StepFailed):
        driver.complete(task)
    return first, second.id


def _tab_until(page, selector, limit=80):
    """Press Tab until the element matching `selector` has the focus; the order of what was reached."""
    reached = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        here = page.evaluate("() => { const e = document.activeElement; "
                             "return e ? (e.name || e.id || e.textContent.trim().slice(0, 30)) : '' }")
        reached.append(here)
        if page.evaluate(f"() => document.activeElement && document.activeElement.matches({selector!r})"):
            return reached
    raise AssertionError(f"{selector} never got the focus by Tab; reached {reached}")


def test_the_task_page_and_the_inbox_work_by_keyboard(person, start_case):
    started_and_driven(start_case, "add_to_sympathiser_list", name="Lê Thị Bình", born=date(2008, 1, 21),
                       citizen_id="001308034567", days_ago=2)
    secretary = person(SECRETARY)
    page = secretary.go("/inbox")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_attribute("href", "#content")
    expect(skip).to_be_visible()  # shown when focused, hidden otherwise
    page.keyboard.press("Enter")
    # From the main content, Tab reaches the student's link in the inbox; Enter opens the task.
    _tab_until(page, "[data-testid=inbox] tbody a")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle + ' ' + "
                            "getComputedStyle(document.activeElement).boxShadow")
    assert outline.split()[0] != "none" or "rgb" in outline, f"no visible focus: {outline}"
    page.keyboard.press("Enter")
    page.wait_for_selector(TASK_FORM)
    # Every field of the form is reached by Tab, in the order it is shown, then the submit button.
    names = page.locator(f"{TASK_FORM} :is(input, select, textarea):not([type=hidden])").evaluate_all(
        "els => els.filter(e => !e.disabled && e.offsetParent !== null).map(e => e.name)")
    reached = _tab_until(page, f"{TASK_FORM} [data-testid=submit]", limit=200)
    order = [name for name in reached if name in names]
    assert list(dict.fromkeys(order)) == list(dict.fromkeys(names)), (order, names)
