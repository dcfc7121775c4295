"""The register pages: a secretary keeps their own cell's register (add, import, absences, leaving), nobody else's."""
import io
from datetime import date

from sqlalchemy import func, select

from tests.web.helpers import html, squash, texts
from webapp.extensions import db
from webapp.models import InstanceEvent
from webapp.models.register import BodyMembership, MemberAbsence, PartyMember
from webapp.services.register import counted_members

CELL = "TQ-LN-THPT"
OTHER = "TQ-CH-THPT"
SECRETARY = "tq-ln-thpt.cell_secretary"


def _count(model):
    return db.session.execute(select(func.count()).select_from(model)).scalar()


def _state():
    return (_count(PartyMember), _count(BodyMembership), _count(MemberAbsence), _count(InstanceEvent))


def test_the_secretary_sees_their_cells_register_with_counts_matching_the_unit_record(as_user, world):
    secretary = as_user(SECRETARY)
    home = secretary.get("/inbox")
    assert "/register/" in home.get_data(as_text=True)  # the menu entry
    index = secretary.get("/register/")
    assert index.status_code == 302 and index.headers["Location"].endswith(f"/register/{world.cells[CELL].id}")
    page = secretary.get(f"/register/{world.cells[CELL].id}")
    assert page.status_code == 200
    counts = texts(page, "//*[@data-testid='register-counts']//*[@data-count='official']")
    assert counts == [f"Chính thức: {world.cells[CELL].official_members}"]
    assert len(html(page).xpath("//table[@data-testid='register-members']/tbody/tr[@data-member]")) == 11
    assert not html(page).xpath("//*[@data-testid='register-typed']")


def test_adding_a_member_through_the_page(as_user, world):
    secretary = as_user(SECRETARY)
    url = f"/register/{world.cells[CELL].id}"
    response = secretary.post(f"{url}/members", {
        "full_name": "Trịnh Thị Ngọc Ánh", "status": "official", "admitted_on": "02/09/2010",
        "official_on": "02/09/2011", "joined_on": "15/01/2015", "date_of_birth": "", "citizen_id": "",
        "username": ""}, token_from=url)
    assert response.status_code == 302
    page = secretary.get(url)
    assert "Trịnh Thị Ngọc Ánh" in texts(page, "//tr[@data-member]/td[1]")
    assert texts(page, "//*[@data-count='official']") == ["Chính thức: 12"]
    assert html(page).xpath("//*[@data-testid='register-disagrees']")  # the unit record still says 11


def test_a_future_date_is_refused_with_a_message_and_nothing_changes(as_user, world):
    secretary = as_user(SECRETARY)
    url = f"/register/{world.cells[CELL].id}"
    before = _state()
    response = secretary.post(f"{url}/members", {
        "full_name": "Tương Lai", "status": "official", "official_on": "01/01/2099", "joined_on": "01/01/2099"},
        token_from=url)
    assert response.status_code == 422
    assert texts(response, "//*[@data-testid='error-official_on']") == [
        "Ngày này chưa đến: sổ đảng viên chỉ ghi những việc đã xảy ra."]
    assert html(response).xpath("//input[@name='full_name']/@value") == ["Tương Lai"]  # what was typed stays
    assert _state() == before


def test_another_cells_register_is_closed_to_a_secretary_with_a_reason(as_user, world):
    secretary = as_user(SECRETARY)
    other = world.cells[OTHER].id
    before = _state()
    page = secretary.get(f"/register/{other}")
    assert page.status_code == 403
    assert "chi bộ mình làm bí thư" in squash(page.get_data(as_text=True))
    own = f"/register/{world.cells[CELL].id}"
    assert secretary.post(f"/register/{other}/members", {"full_name": "X", "status": "official",
                                                         "official_on": "01/01/2010", "joined_on": "01/01/2010"},
                          token_from=own).status_code == 403
    foreign = counted_members(other, date(2026, 1, 1)).official[0]
    assert secretary.get(f"/register/memberships/{foreign.membership_id}").status_code == 403
    assert secretary.post(f"/register/memberships/{foreign.membership_id}/leaving",
                          {"left_on": "01/01/2026", "left_reason": "x"}, token_from=own).status_code == 403
    assert secretary.get(f"/register/{other}/register.csv").status_code == 403
    assert secretary.get("/register/2147483647").status_code == 404
    assert _state() == before


def test_posts_without_the_csrf_token_are_refused(as_user, world):
    secretary = as_user(SECRETARY)
    before = _state()
    response = secretary.client.post(f"/register/{world.cells[CELL].id}/members", data={
        "full_name": "Không Token", "status": "official", "official_on": "01/01/2010", "joined_on": "01/01/2010"})
    assert response.status_code == 400
    assert _state() == before


def test_a_csv_import_with_a_bad_line_names_it_and_enters_nobody(as_user, world):
    secretary = as_user(SECRETARY)
    url = f"/register/{world.cells[CELL].id}"
    before = _state()
    text = ("Họ và tên;Trạng thái;Ngày chính thức;Ngày sinh hoạt tại chi bộ\n"
            "Lò Văn Được;Chính thức;01/01/2010;01/01/2012\n"
            "Hà Thị Sai;chính thức;31/02/2010;01/01/2012\n")
    response = secretary.post(f"{url}/import", {"file": (io.BytesIO(text.encode()), "chi-bo.csv")}, token_from=url,
                              content_type="multipart/form-data")
    assert response.status_code == 422
    assert texts(response, "//*[@data-testid='import-errors']//tr[@data-line]/td") == [
        "3", "Ngày chính thức", "Ngày không hợp lệ: ghi theo dạng dd/mm/yyyy."]
    assert _state() == before
    header = secretary.post(f"{url}/import", {"file": (io.BytesIO("Tên;Tuổi\nA;3\n".encode()), "x.csv")},
                            token_from=url, content_type="multipart/form-data")
    assert header.status_code == 422
    assert "Tên, Tuổi" in texts(header, "//*[@data-testid='import-header-errors']")[0]
    good = secretary.post(f"{url}/import", {"file": (io.BytesIO(text.replace("31/02", "28/02").encode()), "c.csv")},
                          token_from=url, content_type="multipart/form-data")
    assert good.status_code == 302
    assert {"Lò Văn Được", "Hà Thị Sai"} <= set(texts(secretary.get(url), "//tr[@data-member]/td[1]"))


def test_recording_an_attachment_then_leaving_changes_the_counts_at_those_dates(as_user, world):
    secretary = as_user(SECRETARY)
    cell = world.cells[CELL].id
    entry = counted_members(cell, date(2026, 1, 1)).official[-1]
    url = f"/register/memberships/{entry.membership_id}"
    bad = secretary.post(f"{url}/absence", {"kind": "attached", "starts_on": "01/01/2026", "ends_on": "01/12/2025",
                                            "detail": ""}, token_from=url)
    assert bad.status_code == 422
    assert texts(bad, "//*[@data-testid='error-ends_on']") == ["Ngày kết thúc không thể trước ngày bắt đầu."]
    ok = secretary.post(f"{url}/absence", {"kind": "attached", "starts_on": "01/01/2026", "ends_on": "",
                                           "detail": "Đảng bộ Sở Giáo dục"}, token_from=url)
    assert ok.status_code == 302
    page = secretary.get(f"/register/{cell}?on=10/01/2026")
    assert texts(page, "//*[@data-count='attached']") == ["Sinh hoạt tạm thời nơi khác: 1"]
    left = secretary.post(f"{url}/leaving", {"left_on": "01/02/2026", "left_reason": "Chuyển công tác"},
                          token_from=url)
    assert left.status_code == 302
    assert texts(secretary.get(f"/register/{cell}?on=01/02/2026"), "//*[@data-count='official']") == [
        "Chính thức: 10"]
    assert texts(secretary.get(f"/register/{cell}?on=31/01/2026"), "//*[@data-count='official']") == [
        "Chính thức: 11"]
    kinds = [e.kind for e in db.session.execute(select(InstanceEvent).order_by(InstanceEvent.seq)).scalars()][-2:]
    assert kinds == ["member_absence_recorded", "member_left"]


def test_the_export_is_a_csv_with_masked_identity_numbers(as_user, world):
    admin = as_user("admin")
    response = admin.get(f"/register/{world.cells[CELL].id}/register.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "\ufeffHọ và tên,Ngày sinh,Số CCCD,Trạng thái,Ngày vào Đảng,Ngày chính thức," \
                       "Ngày sinh hoạt tại chi bộ,Tài khoản"
    assert len(lines) == 1 + world.cells[CELL].official_members
    assert admin.get("/register/").status_code == 200  # an administrator chooses among every unit


def test_the_unit_tree_shows_the_registers_counts_and_flags_typed_ones(as_user, world):
    other = world.cells[OTHER]
    ids = db.session.execute(select(BodyMembership.id).where(BodyMembership.unit_id == other.id)).scalars().all()
    db.session.query(BodyMembership).filter(BodyMembership.id.in_(ids)).delete()
    db.session.commit()  # the other school's cell now keeps no register: its typed 14 stands, flagged
    page = as_user("admin").get("/admin/units")
    ln = html(page).xpath(f"//tr[@data-unit='{CELL}']/td[@data-official]")[0]
    assert (ln.get("data-official"), squash(ln.text_content())) == ("register", "11")
    ch = html(page).xpath(f"//tr[@data-unit='{OTHER}']/td[@data-official]")[0]
    assert (ch.get("data-official"), squash(ch.text_content())) == ("typed", "14 nhập tay")
    committee = html(page).xpath("//tr[@data-unit='TQ-CX-THPT']/td[@data-committee]")[0]
    assert (committee.get("data-committee"), squash(committee.text_content())) == ("register", "7")


def test_an_administrator_adds_a_cell_member_to_the_grassroots_committee_once(as_user, world):
    admin = as_user("admin")
    committee = world.tree["grassroots_committees"][0]  # Đảng ủy Trường THPT Cẩm Xuyên, 7 members
    url = f"/register/{committee.id}?body=committee"
    page = admin.get(url)
    assert texts(page, "//*[@data-count='official']") == ["Chính thức: 7"]
    choices = html(page).xpath("//select[@name='member_id']/option/@value")
    assert len(choices) == world.cells["TQ-CX-THPT-1"].official_members  # the cell below it
    done = admin.post(f"/register/{committee.id}/body-members", {"body": "committee", "member_id": choices[0],
                                                                  "joined_on": "01/01/2025"}, token_from=url)
    assert done.status_code == 302
    assert texts(admin.get(url), "//*[@data-count='official']") == ["Chính thức: 8"]
    before = _state()
    again = admin.post(f"/register/{committee.id}/body-members", {"body": "committee", "member_id": choices[0],
                                                                   "joined_on": "01/01/2025"}, token_from=url)
    assert again.status_code == 422
    assert texts(again, "//*[@data-testid='error-member_id']") == ["Đảng viên này đã là thành viên của cấp ủy này."]
    assert _state() == before
    secretary = as_user("tq-cx-thpt-1.cell_secretary")
    assert secretary.get(url).status_code == 403  # committees are kept by administrators
