"""The password rule where passwords are set: one's own change, an administrator's new user and reset.

Hostile input is a password built from the user's own words (user name, name, unit), a common or
keyboard password, or one past the form's limit; each is refused with a message that says why, in
Vietnamese and in English, and nothing is written.
"""
import time

import pytest
from sqlalchemy import select

from webapp.demo import DEMO_PASSWORD
from webapp.extensions import db
from webapp.models import User
from webapp.services.passwords import fold, password_problems

from .helpers import db_state, field_errors, redirect_path, texts

SECRETARY = "tq-ln-thpt.cell_secretary"
HAS_NAME = "Mật khẩu không được chứa tên đăng nhập hay họ tên của người dùng."
COMMON = ("Mật khẩu quá dễ đoán: nó dựa trên một từ, một tên hoặc một mật khẩu hay gặp. "
          "Hãy ghép vài từ không liên quan đến nhau.")


def _user(username):
    db.session.expire_all()
    return db.session.execute(select(User).where(User.username == username)).scalar_one()


def _errors(response, name):
    return texts(response, f"//input[@name='{name}']/following-sibling::div[contains(@class, 'invalid-feedback')]")


# --- the rule itself --------------------------------------------------------------------------------


def test_names_are_compared_without_accents_case_or_punctuation():
    assert fold("Nguyễn Văn Đức") == "nguyenvanduc"
    assert fold("TQ-LN-THPT.Cell_Secretary") == "tqlnthptcellsecretary"


@pytest.mark.parametrize("password, code", [
    ("short-1", "too_short"),
    ("Nguyen.Van.Duc.1990", "password_has_name"),
    ("nguyễn văn đức 2026!", "password_has_name"),
    ("xx-TQ-LN-THPT.cell_secretary", "password_has_name"),
    ("Cell-Secretary-2026", "password_has_name"),
    ("password123456", "password_common"),
    ("qwertyuiop12", "password_common"),
    ("aaaaaaaaaaaaaaaa", "password_repeated"),
    ("abcdefghijklmn", "password_sequence"),
    ("19/05/1990 01", "password_date"),
])
def test_weak_or_own_passwords_are_refused_with_the_reason(password, code):
    assert password_problems(password, username="tq-ln-thpt.cell_secretary", full_name="Nguyễn Văn Đức",
                             unit_names=["Chi bộ Trường THPT Lộc Ninh"]) == [code]


def test_the_units_name_counts_as_the_users_own_words():
    assert password_problems("Chi bo Loc Ninh 2026", username="a.b", full_name="Hà Thu") == []
    assert password_problems("Chi bo Loc Ninh 2026", username="a.b", full_name="Hà Thu",
                             unit_names=["Chi bộ Trường THPT Lộc Ninh"]) == ["password_own_words"]


@pytest.mark.parametrize("password", [DEMO_PASSWORD, "sông-Lô-chảy-qua-đồi-chè-2026", "correct horse battery staple",
                                      "mat-khau-moi-2026", "mot-mat-khau-dai"])
def test_passphrases_the_demo_and_the_tests_use_pass(password):
    assert password_problems(password, username="tq-ln-thpt.cell_secretary", full_name="Nguyễn Văn An") == []


def test_a_very_long_password_is_judged_quickly():
    started = time.perf_counter()
    assert password_problems("Ab1!" * 50, username="x.y", full_name="Hà Thu") == ["password_repeated"]
    assert time.perf_counter() - started < 1.0


# --- changing one's own password --------------------------------------------------------------------


def _change(browser, new):
    return browser.post("/password", {"current_password": DEMO_PASSWORD, "new_password": new, "confirm": new})


def test_ones_own_name_is_refused_as_a_new_password_and_nothing_changes(as_user):
    secretary = as_user(SECRETARY)
    own = _user(SECRETARY).full_name.upper().replace(" ", "") + "!2026"
    before = db_state()
    response = _change(secretary, own)
    assert response.status_code == 422 and _errors(response, "new_password") == [HAS_NAME]
    assert db_state() == before


def test_a_common_password_is_refused_in_english_too(as_user):
    secretary = as_user(SECRETARY)
    secretary.get("/lang/en")
    before = db_state()
    response = _change(secretary, "password123456")
    assert response.status_code == 422
    assert _errors(response, "new_password") == [
        "The password is too easy to guess: it is built on a common word, name or password. "
        "Put together a few unrelated words."]
    assert db_state() == before


# --- an administrator sets a password ---------------------------------------------------------------


def test_an_administrator_cannot_create_a_user_whose_password_is_their_name(as_user):
    admin = as_user("admin")
    before = db_state()
    response = admin.post("/admin/users", {"username": "tq-ln-thpt.verifier2", "full_name": "Hà Thị Thu",
                                           "password": "ha-thi-thu-2026"})
    assert response.status_code == 422 and field_errors(response, "password") == [HAS_NAME]
    weak = admin.post("/admin/users", {"username": "tq-ln-thpt.verifier2", "full_name": "Hà Thị Thu",
                                       "password": "password123456"})
    assert weak.status_code == 422 and field_errors(weak, "password") == [COMMON]
    assert db_state() == before
    assert db.session.execute(select(User).where(User.username == "tq-ln-thpt.verifier2")).first() is None


def test_an_administrators_reset_follows_the_rule_with_the_users_unit(as_user):
    admin = as_user("admin")
    page = f"/admin/users/{_user(SECRETARY).id}"
    before = db_state()
    refused = admin.post(f"{page}/password", {"password": "Chi bo Loc Ninh 2026"}, token_from=page)
    assert refused.status_code == 422 and field_errors(refused, "password")
    assert db_state() == before
    assert redirect_path(admin.post(f"{page}/password", {"password": "sông-Lô-chảy-qua-đồi-chè-2026"},
                                    token_from=page)) == page


def test_the_password_page_says_the_rule_and_that_other_devices_are_signed_out(as_user):
    secretary = as_user(SECRETARY)
    page = secretary.get("/password")
    assert texts(page, "//*[@data-testid='password-rule']") == [
        "Ít nhất 10 ký tự, khó đoán (ví dụ một cụm vài từ không liên quan), không chứa tên đăng nhập hay họ tên "
        "của bạn."]
    assert texts(page, "//*[@data-testid='sessions-note']") == [
        "Đổi mật khẩu sẽ đăng xuất bạn khỏi mọi thiết bị khác."]
    secretary.get("/lang/en")
    assert texts(secretary.get("/password"), "//*[@data-testid='sessions-note']") == [
        "Changing your password signs you out on every other device."]
