"""An auditor reads a finished case: the highlighted path, the history, the search, the CSV export."""
import csv
import io

from webapp.extensions import db
from webapp.models import InstanceEvent, OrgUnit


def _finished_case(start_case, driver, **student):
    case = start_case("TQ-CX-THPT-1", **student)
    driver.run(case.id)
    return case


def _box(page, element_id):
    return page.locator(f"[data-element-id={element_id}] .djs-visual").bounding_box()


def test_auditor_sees_the_path_the_case_took_on_its_diagram(person, start_case, driver):
    case = _finished_case(start_case, driver)
    auditor = person("tq.auditor")
    page = auditor.go(f"/cases/{case.id}/diagram")
    page.wait_for_selector("body[data-marked=yes]", timeout=15000)
    done = page.locator(".djs-element.ketnap-done")
    assert page.locator("[data-element-id=record_committee_vote]").count() == 0  # inside the called process
    assert page.locator("[data-element-id=nominate_student].ketnap-done").count() == 1
    assert page.locator("[data-element-id=decide_recognition].ketnap-done").count() == 1
    assert page.locator("[data-element-id=decide_admission_delegated].ketnap-done").count() == 0
    assert page.locator(".djs-connection.ketnap-taken").count() > 20
    assert done.count() > 30
    auditor.shot("auditor-diagram")
    # The whole diagram fitted into the page would be too small to read: it opens readable, on the
    # step the case ended with; the zoom buttons show the whole of it.
    canvas, last_step = page.get_by_test_id("diagram").bounding_box(), _box(page, "decide_recognition")
    assert last_step["width"] >= 60
    assert canvas["x"] <= last_step["x"] and last_step["x"] + last_step["width"] <= canvas["x"] + canvas["width"]
    page.locator("#zoom-out").click()
    assert _box(page, "decide_recognition")["width"] < last_step["width"]
    page.locator("#zoom-fit").click()
    assert _box(page, "decide_recognition")["width"] < 40
    # Opening the called vote process shows its recorded steps too.
    page.locator("[data-element-id=admission_committee_vote]").click()
    page.wait_for_selector("body[data-process=committee_vote]")
    page.wait_for_selector("[data-element-id=record_committee_vote].ketnap-done")
    # Clicking a step shows only its events.
    page.locator("#back-to-main").click()
    page.wait_for_selector("body[data-process=admission]")
    page.locator("#zoom-fit").click()
    page.locator("[data-element-id=hold_ceremony]").click()
    visible = page.locator("#events [data-kind]:visible")
    assert visible.count() == 1 and "hold_ceremony" == visible.first.get_attribute("data-step")


def test_auditor_reads_the_history_and_rule_checks(person, start_case, driver):
    case = _finished_case(start_case, driver)
    auditor = person("tq.auditor")
    page = auditor.go(f"/cases/{case.id}/history")
    timeline = page.locator("[data-testid=timeline] > li")
    assert timeline.count() >= 25
    assert page.locator("[data-rule=cell_vote][data-status=met]").count() == 1
    assert page.locator("[data-rule=age_at_meeting][data-status=met]").count() == 1
    assert page.locator("[data-rule=recognition][data-status=met]").count() == 1
    auditor.shot("auditor-history")
    viewed = db.session.query(InstanceEvent).filter_by(instance_id=case.id, kind="dossier_viewed").count()
    assert viewed >= 1


def test_auditor_searches_and_downloads_the_csv(person, start_case, driver):
    _finished_case(start_case, driver, full_name="Lê Thị Hằng", citizen_id="001307000111")
    start_case("TQ-LN-THPT", full_name="Phạm Văn Khoa", citizen_id="001207000222")
    auditor = person("tq.auditor")
    page = auditor.go("/audit/cases")
    assert page.locator("[data-testid=search-results] tbody tr[data-case]").count() == 2
    lộc_ninh = db.session.query(OrgUnit.id).filter_by(code="TQ-LN").scalar()
    page.select_option("select[name=unit]", str(lộc_ninh))
    page.select_option("select[name=step]", "write_application")
    page.click("[data-testid=search-form] button[type=submit]")
    rows = page.locator("[data-testid=search-results] tbody tr[data-case]")
    assert rows.count() == 0  # Phạm Văn Khoa has not reached the application yet
    page.select_option("select[name=step]", "")
    page.click("[data-testid=search-form] button[type=submit]")
    assert rows.count() == 1 and "Phạm Văn Khoa" in rows.first.inner_text()
    page = auditor.go("/audit/cases")
    page.select_option("select[name=status]", "official")
    page.click("[data-testid=search-form] button[type=submit]")
    rows = page.locator("[data-testid=search-results] tbody tr[data-case]")
    assert rows.count() == 1 and "Lê Thị Hằng" in rows.first.inner_text()
    assert "•••" in rows.first.inner_text()  # identity numbers masked
    with page.expect_download() as download:
        page.click("[data-testid=export-csv]")
    raw = open(download.value.path(), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert lines[0][1] == "Họ và tên" and len(lines) == 2
    assert lines[1][1] == "Lê Thị Hằng" and lines[1][2].endswith("111") and "001307" not in lines[1][2]


def test_tampering_is_named_on_the_integrity_page(person, start_case, driver):
    case = start_case("TQ-LN-THPT")
    driver.run(case.id, until="write_application")
    auditor = person("tq.auditor")
    page = auditor.go("/audit/integrity")
    assert page.locator("[data-testid=integrity][data-intact=yes]").count() == 1
    middle = db.session.query(InstanceEvent).filter_by(instance_id=case.id, kind="task_completed").all()[1]
    db.session.execute(db.text("UPDATE instance_event SET actor_name = 'X' WHERE seq = :s"), {"s": middle.seq})
    db.session.commit()
    page = auditor.go("/audit/integrity")
    message = page.locator("[data-testid=integrity][data-intact=no]")
    assert f"#{middle.seq}" in message.inner_text()
    auditor.shot("auditor-integrity")
