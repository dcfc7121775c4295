"""The printed dossier prints every completed step's data, not the newest step's alone (issue 13).

A browser prints a closed <details> as its summary line only; the case page opens the newest
step and folds the others, which is right on screen and was wrong on paper.
"""
from .helpers import html, squash


def test_every_completed_step_prints_its_recorded_values(as_user, world, driver, start_case):
    case = start_case("TQ-LN-THPT", full_name="Lò Thị Giấy")
    driver.run(case.id, until="plan_cell_meeting",
               overrides={"write_application": {"hometown_place": "Xã Nơi Sinh In Được"},
                          "nominate_student": {"achievements": "Học sinh giỏi ba năm liền"}})
    page = as_user("tq-ln-thpt.cell_secretary").get(f"/cases/{case.id}/print")
    assert page.status_code == 200
    doc = html(page)
    steps = doc.xpath("//section[@data-testid='dossier']//details[@data-step]")
    assert len(steps) >= 5
    folded = [step.get("data-step") for step in steps if step.get("open") is None]
    assert folded == [], f"steps printed as titles only: {folded}"
    text = {step.get("data-step"): squash(step.text_content()) for step in steps}
    assert "Xã Nơi Sinh In Được" in text["write_application"]  # an early step, not the newest
    assert "Học sinh giỏi ba năm liền" in text["nominate_student"]  # the very first step


def test_the_case_page_still_folds_all_but_the_newest_step(as_user, world, driver, start_case):
    case = start_case("TQ-LN-THPT")
    driver.run(case.id, until="plan_cell_meeting")
    doc = html(as_user("tq-ln-thpt.cell_secretary").get(f"/cases/{case.id}"))
    steps = doc.xpath("//section[@data-testid='dossier']//details[@data-step]")
    assert [step.get("open") is not None for step in steps].count(True) == 1
