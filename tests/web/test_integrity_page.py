"""The integrity page through HTTP: the last walk over the whole chain, the newer events checked live."""
import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import InstanceEvent

from .helpers import html, texts, visible_text


def _count_events():
    return db.session.execute(sa.select(sa.func.count()).select_from(InstanceEvent)).scalar()


def _field(response, testid):
    return " ".join(texts(response, f"//*[@data-testid='{testid}']")).strip()


def test_the_page_shows_the_last_walk_and_checks_what_came_after(app, as_user, start_case, driver):
    case = start_case("TQ-LN-THPT")
    driver.run(case.id, until="write_application")
    auditor = as_user("tq.auditor")

    never = auditor.get("/audit/integrity")
    assert "Chuỗi nhật ký nguyên vẹn." in visible_text(never)
    assert _field(never, "last-walk") == "chưa có"
    assert _field(never, "newer-checked") == str(_count_events())

    assert app.test_cli_runner().invoke(args=["audit", "verify"]).exit_code == 0
    walked = auditor.get("/audit/integrity")
    assert f"{_count_events()} sự kiện" in _field(walked, "last-walk")
    assert _field(walked, "newer-checked") == "0"

    driver.run(case.id, until="plan_cell_meeting")
    last = db.session.execute(sa.select(InstanceEvent).order_by(InstanceEvent.seq.desc()).limit(1)).scalar_one()
    db.session.execute(sa.update(InstanceEvent).where(InstanceEvent.seq == last.seq).values(actor_name="X"))
    db.session.commit()
    broken = auditor.get("/audit/integrity")
    message = _field(broken, "integrity")
    assert f"#{last.seq}" in message and "không khớp với mã của nó (đã bị sửa)" in message
    assert html(broken).xpath("//*[@data-testid='integrity']//a/@href") == [f"/cases/{last.instance_id}"]
