"""Every page works under the Content-Security-Policy, in the real browser: no violation reported.

The browser reports each blocked script, style, image, font or fetch twice: as a console message
and as a `securitypolicyviolation` event. Both are collected for every page an approver, an
auditor and an administrator opens, including the two bpmn-js pages (viewer and modeler).
Also here: a script planted in a stored diagram does not run when its address is opened, and
static files, under content-hashed URLs, are fetched once per browser and then kept.
"""
import logging

import pytest
from playwright.sync_api import expect

from tests.web.helpers import open_task
from tests.web.test_headers import plant_script_in_the_diagram

# Runs before the page's own scripts (Playwright injects it outside the page's CSP).
COLLECT_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI + " " + (event.sourceFile || ""));
});
window.print = function () { document.body.dataset.printed = "yes"; };
"""


@pytest.fixture()
def watched(person):
    """watched(username) → (Person, list of CSP messages its pages logged), violations collected."""
    def _open(username, *, sign_in=True):
        who = person(username, sign_in=sign_in)
        who.context.add_init_script(COLLECT_VIOLATIONS)
        logged = []
        who.context.on("console", lambda message: logged.append(message.text)
                       if "Content Security Policy" in message.text else None)
        return who, logged
    return _open


def _violations(page, logged):
    return logged + page.evaluate("window.__violations || []")


def _visit(who, logged, path, ready=None):
    page = who.go(path)
    if ready:
        page.wait_for_selector(ready, timeout=15_000)
    page.wait_for_load_state("load")
    assert _violations(page, logged) == [], "\n".join([path, *_violations(page, logged)])
    return page


def test_approver_and_auditor_pages_run_under_the_policy(watched, start_case, driver):
    at_vote = start_case("TQ-LN-THPT", full_name="Trần Văn Bình")
    driver.run(at_vote.id, until="record_cell_vote")
    vote_task = open_task(at_vote.id, "record_cell_vote")
    finished = start_case("TQ-CX-THPT-1", full_name="Lê Thị Cúc")
    driver.run(finished.id)

    secretary, logged = watched("tq-ln-thpt.cell_secretary")
    _visit(secretary, logged, "/inbox")
    page = _visit(secretary, logged, f"/tasks/{vote_task.id}")
    page.locator("[name=official_members]").fill("9")
    page.locator("[name=present]").fill("9")
    page.locator("[name=agree]").fill("6")
    expect(page.get_by_test_id("vote-preview")).to_be_visible()  # vote_preview.js ran
    page.locator("#user-menu").click()  # Bootstrap's dropdown ran
    expect(page.locator(".dropdown-menu.show")).to_be_visible()
    for path in (f"/cases/{at_vote.id}", "/cases", "/cases/new", "/batch/hold_ceremony", "/password", "/acting"):
        _visit(secretary, logged, path)

    auditor, logged = watched("tq.auditor")
    page = _visit(auditor, logged, f"/cases/{finished.id}/diagram", ready="body[data-marked=yes]")
    expect(page.locator(".djs-element.ketnap-done").first).to_be_visible()  # bpmn-js drew and marked the path
    page.locator("#zoom-fit").click()
    page.locator("[data-element-id=admission_committee_vote]").click()  # a called process: another fetch
    page.wait_for_selector("body[data-process=committee_vote]")
    assert _violations(page, logged) == []
    _visit(auditor, logged, f"/cases/{finished.id}/history")
    _visit(auditor, logged, "/audit/cases")
    _visit(auditor, logged, "/audit/integrity")
    page = _visit(auditor, logged, f"/cases/{finished.id}/print")
    page.get_by_test_id("print").click()  # the button's handler lives in a script file now
    expect(page.locator("body[data-printed=yes]")).to_have_count(1)
    assert _violations(page, logged) == []


def test_admin_pages_and_the_modeler_run_under_the_policy(watched, world):
    admin, logged = watched("admin")
    secretary = world.users[("TQ-LN-THPT", "cell_secretary")]
    for path in ("/admin/processes", "/admin/processes/upload", "/admin/versions", "/admin/forms", "/admin/units",
                 f"/admin/units/{world.cells['TQ-LN-THPT'].id}", "/admin/users", f"/admin/users/{secretary.id}"):
        _visit(admin, logged, path)
    page = _visit(admin, logged, "/admin/processes/edit/admission.bpmn", ready="#diagram-editor[data-state=ready]")
    page.get_by_test_id("find").fill("hold_ceremony")
    page.get_by_test_id("find").press("Enter")
    expect(page.get_by_test_id("panel-id")).to_have_text("hold_ceremony")  # the modeler and its panel work
    page.get_by_test_id("validate").click()
    expect(page.get_by_test_id("editor-valid")).to_be_visible()  # a POST through fetch
    page.get_by_test_id("tab-xml").click()
    expect(page.get_by_test_id("xml")).to_be_visible()
    assert _violations(page, logged) == []
    page = _visit(admin, logged, "/admin/forms/hold_ceremony")
    expect(page.get_by_test_id("form-preview").locator("[data-field=preview-ceremony_date]")).to_be_visible()
    assert _violations(page, logged) == []  # the preview was fetched and drawn


def test_sign_in_page_runs_under_the_policy(watched):
    visitor, logged = watched("tq-ln-thpt.cell_secretary", sign_in=False)
    page = _visit(visitor, logged, "/login")
    visitor.sign_in_through_the_form()
    _visit(visitor, logged, "/inbox")
    assert _violations(page, logged) == []


def test_a_script_stored_in_a_diagram_never_runs_when_its_address_is_opened(person, live_server, start_case, driver):
    case = start_case("TQ-LN-THPT", full_name="Vũ Văn Đức")
    driver.run(case.id, until="record_cell_vote")
    planted = plant_script_in_the_diagram(case.id)
    auditor = person("tq.auditor")
    requested = []
    auditor.context.on("request", lambda request: requested.append(request.url))

    page = auditor.go(f"/cases/{case.id}/diagram/admission.bpmn")
    expect(page.locator("pre")).to_contain_text("<html:script")  # shown as text, not parsed
    page.wait_for_timeout(500)
    assert [url for url in requested if "/stolen" in url or url.endswith("/cases/1")] == []

    # The same bytes served the way they were before (application/xml, no policy) do run: the
    # payload is real, and only the way it is served stops it.
    control = f"{live_server}/control-{case.id}.xml"
    page.route(control, lambda route: route.fulfill(body=planted, content_type="application/xml"))
    with page.expect_request(lambda request: "/stolen" in request.url):
        page.goto(control)
    stolen = len([url for url in requested if "/stolen" in url])

    # The auditor's diagram page still draws it (bpmn-js fetches the text), and nothing runs there either.
    page = auditor.go(f"/cases/{case.id}/diagram")
    page.wait_for_selector("body[data-marked=yes]", timeout=15_000)
    page.wait_for_timeout(300)
    assert len([url for url in requested if "/stolen" in url]) == stolen


def test_static_files_are_fetched_once_then_kept(person, caplog):
    secretary = person("tq-ln-thpt.cell_secretary")
    caplog.set_level(logging.INFO, logger="werkzeug")
    secretary.go("/inbox").wait_for_load_state("load")
    first = [r.getMessage() for r in caplog.records if "GET /static/" in r.getMessage()]
    assert len(first) >= 4  # Bootstrap's CSS and script, ours
    caplog.clear()
    secretary.go("/cases").wait_for_load_state("load")
    secretary.go("/inbox").wait_for_load_state("load")
    # The favicon is not the page's: Chromium's icon loader asks for it again whatever its cache headers.
    assert [r.getMessage() for r in caplog.records
            if "GET /static/" in r.getMessage() and "/static/favicon.svg" not in r.getMessage()] == []
    assert any("GET /inbox" in r.getMessage() for r in caplog.records)
