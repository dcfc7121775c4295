"""Issue 12: the deputies page over real HTTP — naming a colleague, the refusals in words, the
deputy's inbox during the period, cancelling, and the history's "on behalf of"."""
from datetime import timedelta

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Deputyship, HumanTask, RoleAssignment
from webapp.services.clock import VIETNAM, resolve_now

from .helpers import texts, visible_text

CELL = "TQ-LN-THPT"
HOLDER, DEPUTY = "tq-ln-thpt.cell_secretary", "tq-ln-thpt.youth_union"


def _today():
    return resolve_now().astimezone(VIETNAM).date()


def _form(world, deputy_key="youth_union", first=0, last=7, reason="Nghỉ phép năm"):
    secretary = world.users[(CELL, "cell_secretary")]
    assignment = db.session.execute(select(RoleAssignment.id).where(
        RoleAssignment.user_id == secretary.id, RoleAssignment.role == "cell_secretary")).scalar_one()
    return {"assignment_id": str(assignment), "deputy_id": str(world.users[(CELL, deputy_key)].id),
            "starts_on": (_today() + timedelta(days=first)).strftime("%d/%m/%Y"),
            "ends_on": (_today() + timedelta(days=last)).strftime("%d/%m/%Y"), "reason": reason}


def test_a_holder_names_a_deputy_who_then_acts_in_the_role(as_user, world, start_case):
    case = start_case(CELL)
    holder = as_user(HOLDER)
    page = holder.get("/deputies/")
    assert page.status_code == 200 and "Cử người làm thay" in visible_text(page)
    assert world.users[(CELL, "youth_union")].full_name in visible_text(page)
    done = holder.post("/deputies/", _form(world), token_from="/deputies/")
    assert done.status_code == 302
    [row] = texts(holder.get("/deputies/"), "//*[@data-testid='deputyship']")
    assert "đang làm thay" in row and "Nghỉ phép năm" in row

    deputy = as_user(DEPUTY)
    granted = db.session.execute(
        select(RoleAssignment).where(RoleAssignment.deputyship_id.is_not(None))).scalar_one()
    picked = deputy.post("/acting", {"assignment": str(granted.id)})
    assert picked.status_code == 302
    inbox = deputy.get("/inbox")
    assert inbox.status_code == 200
    opened = db.session.execute(select(HumanTask.id).where(
        HumanTask.instance_id == case.id, HumanTask.status == "open", HumanTask.role == "cell_secretary")
    ).scalars().all()
    for task_id in opened:
        assert deputy.get(f"/tasks/{task_id}").status_code == 200
    assert "đang làm thay" in visible_text(deputy.get("/deputies/"))


def test_refusals_are_said_and_nothing_is_kept(as_user, world):
    holder = as_user(HOLDER)
    for change, words in (({"first": -2}, "không được trước hôm nay"),
                          ({"first": 5, "last": 1}, "không được trước ngày bắt đầu"),
                          ({"reason": ""}, "Hãy ghi lý do"),
                          ({"deputy_key": "cell_secretary"}, "Không thể tự cử mình")):
        refused = holder.post("/deputies/", _form(world, **change), token_from="/deputies/")
        assert refused.status_code == 422, change
        assert words in visible_text(refused)
    bad_date = holder.post("/deputies/", {**_form(world), "starts_on": "31/02/2026"}, token_from="/deputies/")
    assert bad_date.status_code == 422 and "Ngày không hợp lệ" in visible_text(bad_date)
    assert db.session.execute(select(Deputyship)).first() is None


def test_nobody_else_names_or_cancels(as_user, world):
    other = as_user("tq-cx-thpt-1.cell_secretary")
    forged = other.post("/deputies/", _form(world), token_from="/deputies/")
    assert forged.status_code == 403
    assert db.session.execute(select(Deputyship)).first() is None

    holder = as_user(HOLDER)
    holder.post("/deputies/", _form(world), token_from="/deputies/")
    deputyship = db.session.execute(select(Deputyship)).scalar_one()
    assert other.post(f"/deputies/{deputyship.id}/cancel", {}, token_from="/deputies/").status_code == 404
    deputy = as_user(DEPUTY)
    own = db.session.execute(select(RoleAssignment.id).where(
        RoleAssignment.user_id == deputyship.deputy_id, RoleAssignment.deputyship_id.is_(None))).scalars().first()
    deputy.post("/acting", {"assignment": str(own)})
    assert deputy.post(f"/deputies/{deputyship.id}/cancel", {}, token_from="/deputies/").status_code == 403
    db.session.expire_all()
    assert db.session.get(Deputyship, deputyship.id).state == "active"
    assert holder.post(f"/deputies/{deputyship.id}/cancel", {}, token_from="/deputies/").status_code == 302
    db.session.expire_all()
    assert db.session.get(Deputyship, deputyship.id).state == "cancelled"
    assert db.session.execute(select(RoleAssignment).where(
        RoleAssignment.deputyship_id == deputyship.id)).first() is None
