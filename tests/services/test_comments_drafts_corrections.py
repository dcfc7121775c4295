"""Comments, drafts and corrections (issue 15) through the real procedure, on the real database.

A correction resets the workflow to the step (SpiffWorkflow's reset) and the timeline keeps both
versions; a draft is one person's and goes when the task closes; a comment is read exactly where
the case is, and a step's comment only where that step's data is read.
"""
import pytest
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import CaseComment, CaseStage, HumanTask, InstanceEvent, StepCorrection, TaskDraft, User
from webapp.services import Forbidden, InvalidSubmission, NotFound, StaleCase, TaskAlreadyCompleted
from webapp.services.comments import add_comment, case_comments
from webapp.services.corrections import CorrectionRefused, case_corrections, correctable_step, reopen_step
from webapp.services.drafts import save_draft, saved_draft


def _user(world, key):
    return world.users[key]


def _task(instance_id, spec, status="open"):
    return db.session.execute(select(HumanTask).where(
        HumanTask.instance_id == instance_id, HumanTask.spec_name == spec, HumanTask.status == status)
        .order_by(HumanTask.id.desc())).scalars().first()


def _kinds(instance_id):
    return [kind for kind in db.session.execute(select(InstanceEvent.kind).where(
        InstanceEvent.instance_id == instance_id, InstanceEvent.kind != "dossier_viewed")
        .order_by(InstanceEvent.seq)).scalars()]


@pytest.fixture()
def at_verification(start_case, driver):
    """The application was just written; the verifications and the introducers are waiting."""
    case = start_case("TQ-LN-THPT", full_name="Phạm Thị Sửa")
    driver.run(case.id, until="record_verification")
    return case


def test_the_secretary_corrects_the_application_and_the_timeline_keeps_both_versions(world, at_verification,
                                                                                         driver):
    case = at_verification
    secretary = _user(world, ("TQ-LN-THPT", "cell_secretary"))
    application = _task(case.id, "write_application", "completed")
    first = dict(application.submitted)
    assert correctable_step(secretary, case.id).task_id == application.id

    correction = reopen_step(secretary, application.id, "Gõ nhầm nơi cư trú", now=driver.now)

    assert correction.kind == "same_body" and correction.previous_values == first
    db.session.refresh(application)
    assert application.status == "open" and application.submitted is None
    # The steps the first submission opened are cancelled: the workflow is back at the application.
    assert {t.spec_name for t in driver.open_tasks(case.id)} == {"write_application"}
    assert db.session.scalar(select(func.count()).select_from(HumanTask).where(
        HumanTask.instance_id == case.id, HumanTask.spec_name == "record_verification",
        HumanTask.status == "cancelled")) == 2

    driver.complete(application, {"write_application": {"residence_place": "Đảng ủy phường Đúng Chỗ"}})

    assert {t.spec_name for t in driver.open_tasks(case.id)} == {"record_verification", "assign_introducers"}
    kinds = _kinds(case.id)
    assert kinds[-3:] == ["task_completed", "step_reopened", "task_completed"]
    payloads = [e.payload for e in db.session.execute(select(InstanceEvent).where(
        InstanceEvent.instance_id == case.id, InstanceEvent.task_spec == "write_application")
        .order_by(InstanceEvent.seq)).scalars()]
    assert payloads[0]["data"]["residence_place"] == first["residence_place"]
    assert payloads[1]["reason"] == "Gõ nhầm nơi cư trú" and payloads[1]["by"] == "same_body"
    assert payloads[2]["data"]["residence_place"] == "Đảng ủy phường Đúng Chỗ"
    (view,) = case_corrections(secretary.id, case.id)
    (place,) = [field for field in view.fields if field.spec.name == "residence_place"]
    assert place.changed and (place.before, place.after) == (first["residence_place"], "Đảng ủy phường Đúng Chỗ")
    assert view.reopened_by == secretary.full_name and view.reason == "Gõ nhầm nơi cư trú"


def test_the_level_above_reopens_with_a_reason_and_others_are_refused(world, at_verification, driver):
    case = at_verification
    application = _task(case.id, "write_application", "completed")
    verifier = _user(world, ("TQ-LN-THPT", "verifier"))
    auditor = world.users["auditor"]

    for stranger in (verifier, auditor):
        with pytest.raises(CorrectionRefused) as refused:
            reopen_step(stranger, application.id, "Sai", now=driver.now)
        assert refused.value.code == "not_your_correction"
    secretary = _user(world, ("TQ-LN-THPT", "cell_secretary"))
    with pytest.raises(InvalidSubmission) as empty:
        reopen_step(secretary, application.id, "   ", now=driver.now)
    assert empty.value.errors == {"reason": ["reason_required"]}
    with pytest.raises(StaleCase):
        reopen_step(secretary, application.id, "Sai", seen_version=-1, now=driver.now)
    assert _task(case.id, "write_application", "completed").id == application.id  # nothing changed

    above = _user(world, ("TQ-LN", "standing_committee"))  # the commune's committee over its school cell
    assert correctable_step(above, case.id).kind == "level_above"
    correction = reopen_step(above, application.id, "Ban kiểm tra phát hiện sai ngày", now=driver.now)
    assert correction.kind == "level_above"
    with pytest.raises(CorrectionRefused) as twice:  # a second click
        reopen_step(above, application.id, "Ban kiểm tra phát hiện sai ngày", now=driver.now)
    assert twice.value.code == "step_not_submitted"


def test_a_step_after_which_someone_acted_cannot_be_reopened(world, at_verification, driver):
    case = at_verification
    application = _task(case.id, "write_application", "completed")
    driver.complete(_task(case.id, "assign_introducers"))
    secretary = _user(world, ("TQ-LN-THPT", "cell_secretary"))
    assert correctable_step(secretary, case.id).task_id != application.id
    with pytest.raises(CorrectionRefused) as refused:
        reopen_step(secretary, application.id, "Sai", now=driver.now)
    assert refused.value.code == "next_step_started"
    with pytest.raises(NotFound):
        reopen_step(_user(world, ("TQ-CH-THPT", "cell_secretary")), application.id, "Sai", now=driver.now)


def test_the_stage_facts_of_the_corrected_step_follow_the_correction(world, start_case, driver):
    case = start_case("TQ-LN-THPT", full_name="Lê Văn Giai Đoạn")
    driver.run(case.id, until="add_to_sympathiser_list")
    nominated = set(db.session.execute(select(CaseStage.stage).where(CaseStage.instance_id == case.id)).scalars())
    driver.complete(_task(case.id, "add_to_sympathiser_list"))
    reached = set(db.session.execute(select(CaseStage.stage).where(CaseStage.instance_id == case.id)).scalars())
    assert "sympathiser" in reached - nominated
    secretary = _user(world, ("TQ-LN-THPT", "cell_secretary"))
    reopen_step(secretary, _task(case.id, "add_to_sympathiser_list", "completed").id, "Sai số nghị quyết",
                now=driver.now)
    assert set(db.session.execute(select(CaseStage.stage).where(CaseStage.instance_id == case.id)).scalars()) \
        == nominated


def test_a_draft_is_the_persons_own_and_goes_when_the_task_closes(world, at_verification, driver):
    case = at_verification
    verification = _task(case.id, "record_verification")
    verifier = _user(world, ("TQ-LN-THPT", "verifier"))
    secretary = _user(world, ("TQ-LN-THPT", "cell_secretary"))
    save_draft(verifier, verification.id, {"verification_notes": "Đã gặp chi ủy nơi cư trú", "csrf_token": "x"},
               now=driver.now)
    draft = saved_draft(verifier.id, verification.id)
    assert draft.form_values == {"verification_notes": ["Đã gặp chi ủy nơi cư trú"]}
    assert saved_draft(secretary.id, verification.id) is None  # never another person's
    with pytest.raises((Forbidden, NotFound)):
        save_draft(secretary, verification.id, {"verification_notes": "x"}, now=driver.now)
    # Nothing about a draft enters the audit trail.
    assert "Đã gặp chi ủy" not in str([e.payload for e in db.session.execute(select(InstanceEvent)).scalars()])

    driver.complete(verification, actor=verifier)
    assert db.session.scalar(select(func.count()).select_from(TaskDraft)) == 0
    with pytest.raises(TaskAlreadyCompleted):
        save_draft(verifier, verification.id, {"verification_notes": "x"}, now=driver.now)


def test_comments_are_read_where_the_case_is_and_a_steps_where_its_data_is(world, at_verification, driver):
    case = at_verification
    secretary = _user(world, ("TQ-LN-THPT", "cell_secretary"))
    youth = _user(world, ("TQ-LN-THPT", "youth_union"))
    auditor = world.users["auditor"]
    application = _task(case.id, "write_application", "completed")

    add_comment(secretary, case.id, "Hồ sơ đủ, chờ thẩm tra <b>gấp</b>", now=driver.now)
    add_comment(secretary, case.id, "Nơi cư trú cần xác minh lại", human_task_id=application.id, now=driver.now)

    bodies = lambda user: [c.body for c in case_comments(user.id, case.id)[0]]  # noqa: E731
    assert bodies(secretary) == ["Hồ sơ đủ, chờ thẩm tra <b>gấp</b>", "Nơi cư trú cần xác minh lại"]
    assert bodies(auditor) == bodies(secretary)
    # The Youth Union reads the case's comments, not one on the personal history.
    assert bodies(youth) == ["Hồ sơ đủ, chờ thẩm tra <b>gấp</b>"]
    with pytest.raises(Forbidden):
        add_comment(youth, case.id, "Xem giúp", human_task_id=application.id, now=driver.now)
    # The verifier reads no verification data of others, but comments on the step waiting for them.
    verification = _task(case.id, "record_verification")
    verifier = _user(world, ("TQ-LN-THPT", "verifier"))
    add_comment(verifier, case.id, "Đã hẹn gặp chi ủy nơi cư trú", human_task_id=verification.id, now=driver.now)
    assert "Đã hẹn gặp chi ủy nơi cư trú" in bodies(verifier) and "Đã hẹn gặp chi ủy nơi cư trú" in bodies(secretary)
    assert "Đã hẹn gặp chi ủy nơi cư trú" not in bodies(youth)
    for text, code in (("  ", "comment_empty"), ("x" * 2001, "comment_too_long"),
                       ("a\u202eb", "comment_control_characters"),
                       ("Hồ sơ đủ, chờ thẩm tra <b>gấp</b>", "comment_duplicate")):
        with pytest.raises(InvalidSubmission) as refused:
            add_comment(secretary, case.id, text, now=driver.now)
        assert refused.value.errors == {"comment": [code]}
    outsider = _user(world, ("TQ-CH-THPT", "cell_secretary"))
    with pytest.raises(NotFound):
        add_comment(outsider, case.id, "Xin chào", now=driver.now)
    assert db.session.scalar(select(func.count()).select_from(CaseComment)) == 3
    events = db.session.execute(select(InstanceEvent.payload).where(InstanceEvent.kind == "comment_added")).scalars()
    assert all("Nơi cư trú" not in str(p) and len(p["sha256"]) == 64 for p in events)
    assert db.session.get(User, secretary.id)  # the author stays
    assert db.session.scalar(select(func.count()).select_from(StepCorrection)) == 0
