"""The school a new case starts with: the school's name, never the cell's (issue 15)."""
import pytest

from webapp.extensions import db
from webapp.services import create_unit
from webapp.services.schools import school_in_name, school_name


def test_each_kind_of_cell_of_the_demo_gives_its_school(world):
    assert school_name(world.cells["TQ-LN-THPT"].id) == "Trường THPT Lộc Ninh"  # the cell names the school
    assert school_name(world.cells["TQ-CH-THPT"].id) == "Trường THPT Chiêm Hóa"
    assert school_name(world.cells["TQ-CX-THPT-1"].id) == "Trường THPT Cẩm Xuyên"  # from the committee above
    assert school_name(world.cells["TQ-DHTT-SP-SV"].id) == "Trường Đại học Tân Trào"  # two levels up


@pytest.mark.parametrize(("name", "school"), [
    ("Chi bộ Trường THPT Lộc Ninh", "Trường THPT Lộc Ninh"),
    ("Đảng ủy Trường THPT Cẩm Xuyên", "Trường THPT Cẩm Xuyên"),
    ("  Chi bộ trường THCS Kim Bình  ", "trường THCS Kim Bình"),
    ("Chi bộ Giáo viên - Học sinh 1", None),
    ("Chi bộ Trưởng thôn", None),  # "Trưởng" (a head), not "Trường" (a school)
    ("", None),
    (None, None),
])
def test_a_name_names_a_school_or_not(name, school):
    assert school_in_name(name) == school


def test_a_unit_with_no_school_above_gives_its_name_without_the_party_body(world):
    village = create_unit(kind="cell", name="Chi bộ Thôn 3 <b>", code="TQ-LN-T3", parent=world.tree["cells"][0])
    db.session.flush()
    before = db.session.get(type(village), village.id).name
    assert school_name(village.id).startswith("Trường")  # its parent cell names a school
    lonely = create_unit(kind="cell", name="Chi bộ Thôn 3 <b>", code="TQ-T3", parent=None)
    assert school_name(lonely.id) == "Thôn 3 <b>"  # kept as text: pages escape it
    assert db.session.get(type(village), village.id).name == before  # nothing was changed
    assert school_name(999_999_999) == ""  # no such unit
