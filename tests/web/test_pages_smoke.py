"""Sign-in, the inbox and a task page through real HTTP."""
from webapp.extensions import db
from webapp.models import HumanTask


def test_sign_in_then_inbox_shows_the_nomination(as_user, start_case):
    case = start_case("TQ-LN-THPT")
    youth = as_user("tq-ln-thpt.youth_union")
    page = youth.get("/inbox")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Nguyễn Văn An" in html and "Giới thiệu đoàn viên ưu tú" in html
    task = db.session.query(HumanTask).filter_by(instance_id=case.id, status="open").one()
    form_page = youth.get(f"/tasks/{task.id}")
    assert form_page.status_code == 200
    assert "nomination_number" in form_page.get_data(as_text=True)
