"""Issue 15 at the service level: one fold for names, kept on the student by whoever writes the name,
back-filled by migration 0008, and the searches (cases, unit cases, inbox) that use it; the identity
number found only for the roles that read it."""
import importlib.util
import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import insert, select, update

from webapp.extensions import db
from webapp.models import Student
from webapp.rules.names import fold_name
from webapp.services import SearchFilters, inbox, search_cases, unit_cases
from webapp.services.auth import acting_roles
from webapp.services.clock import resolve_now
from webapp.services.inbox import CaseFilters, InboxFilters


@pytest.mark.parametrize(("name", "folded"), [
    ("Nguyễn Văn An", "nguyen van an"),
    ("ĐẶNG THỊ MẪU", "dang thi mau"),
    ("  Đỗ   Thị\tHuệ ", "do thi hue"),
    (unicodedata.normalize("NFD", "Hoàng Ưng"), "hoang ung"),  # decomposed marks too
    ("Ngô Thị Thuý Hằng", "ngo thi thuy hang"),
    ("100%_a", "100%_a"),  # punctuation stays: it is searched for, not obeyed
    ("", ""), (None, ""),
])
def test_one_fold_for_names(name, folded):
    assert fold_name(name) == folded


def _acting(world, key):
    (acting,) = acting_roles(world.users[key].id)
    return acting


def _folded_of(student_id):
    db.session.expire_all()
    return db.session.execute(select(Student.name_folded).where(Student.id == student_id)).scalar_one()


def test_the_folded_name_follows_the_name_through_the_model_and_bulk_inserts(start_case):
    case = start_case("TQ-LN-THPT", full_name="Đặng Thị Hồng")
    assert _folded_of(case.student_id) == "dang thi hong"
    student = db.session.get(Student, case.student_id)
    student.full_name = "Lê Thị Ánh"  # a corrected name
    db.session.commit()
    assert _folded_of(case.student_id) == "le thi anh"
    # Bulk loads (bench/, imports) insert with Core, many rows at once: each row gets its own fold.
    rows = [{key: getattr(student, key) for key in ("date_of_birth", "sex", "citizen_id", "school", "class_name",
                                                    "unit_id")} | {"full_name": name}
            for name in ("Trần Văn Dũng", "Phạm Thị Đào")]
    db.session.execute(insert(Student), rows)
    db.session.commit()
    assert set(db.session.execute(select(Student.name_folded).where(Student.id != case.student_id)).scalars()) == {
        "tran van dung", "pham thi dao"}


def test_migration_0008_back_fills_every_student(start_case):
    ids = [start_case("TQ-LN-THPT", full_name=name).student_id for name in ("Nguyễn Văn An", "Đỗ Văn Phúc")]
    db.session.execute(update(Student).values(name_folded=""))
    db.session.commit()
    path = Path(__file__).parents[2] / "migrations" / "versions" / "0008_student_name_folded.py"
    spec = importlib.util.spec_from_file_location("migration_0008", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    with db.engine.begin() as connection:
        migration._back_fill(connection)
    assert [_folded_of(student_id) for student_id in ids] == ["nguyen van an", "do van phuc"]


@pytest.fixture()
def three(start_case):
    return {name: start_case(cell, full_name=name, citizen_id=number) for name, cell, number in (
        ("Đặng Thị Hồng", "TQ-CH-THPT", "001307000555"), ("Nguyễn Văn An", "TQ-CH-THPT", "001207000666"),
        ("Trần Văn Dũng", "TQ-LN-THPT", "001207000777"))}


def _names(page):
    return {row.student_name for row in page.rows}


def test_the_services_find_names_without_marks_and_numbers_for_those_who_read_them(world, three):
    today = resolve_now().date()
    auditor, board = _acting(world, "auditor"), _acting(world, ("TQ-CH", "org_board"))
    secretary = _acting(world, ("TQ-CH-THPT", "cell_secretary"))
    youth = _acting(world, ("TQ-CH-THPT", "youth_union"))
    assert _names(search_cases(auditor, SearchFilters(q="dang thi hong"), today)) == {"Đặng Thị Hồng"}
    assert _names(search_cases(auditor, SearchFilters(q="D"), today)) == {"Đặng Thị Hồng", "Trần Văn Dũng"}
    assert _names(search_cases(auditor, SearchFilters(q="%"), today)) == set()
    assert _names(search_cases(auditor, SearchFilters(q="\u0301"), today)) == set()  # a lone mark folds to nothing
    # the number: the board and the cell secretary read it; the auditor and the Youth Union do not
    assert _names(search_cases(board, SearchFilters(q="001207000666"), today)) == {"Nguyễn Văn An"}
    assert _names(search_cases(auditor, SearchFilters(q="001207000666"), today)) == set()
    assert _names(unit_cases(secretary, CaseFilters(search="001307000555"))) == {"Đặng Thị Hồng"}
    assert _names(unit_cases(secretary, CaseFilters(search="001207000777"))) == set()  # not its cell
    assert _names(unit_cases(youth, CaseFilters(search="001307000555"))) == set()
    user = world.users[("TQ-CH-THPT", "youth_union")]
    assert _names(inbox(user.id, youth, InboxFilters(search="nguyen"), today)) == {"Nguyễn Văn An"}
    assert _names(inbox(user.id, youth, InboxFilters(search="001207000666"), today)) == set()
