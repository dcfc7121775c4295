"""The school a unit belongs to, for the student's "school" field.

A unit has no school column: a school appears in the party bodies' names ("Chi bộ Trường THPT Lộc
Ninh", or for a cell of a school's committee its parent "Đảng ủy Trường THPT Cẩm Xuyên"). The
school is the nearest unit, from the cell up, whose name names a "Trường …", without the party
body's own words in front; a unit with no school above it gives its own name without them. The
field stays editable on the new case page: this is only the value it starts with.
"""
import re

from sqlalchemy import select

from ..extensions import db
from ..models import OrgUnit, UnitClosure

SCHOOL = re.compile(r"(?:^|\s)(trường\s.+)$", re.IGNORECASE)
PARTY_BODY = re.compile(r"^(?:chi bộ|đảng ủy bộ phận|đảng ủy|đảng bộ)\s+", re.IGNORECASE)


def school_in_name(name):
    """ "Chi bộ Trường THPT Lộc Ninh" → "Trường THPT Lộc Ninh"; None when the name names no school."""
    found = SCHOOL.search((name or "").strip())
    return found.group(1).strip() if found else None


def school_name(unit_id):
    """The school of `unit_id` (the nearest one naming a school, the unit itself first)."""
    names = db.session.execute(
        select(OrgUnit.name).join(UnitClosure, UnitClosure.ancestor_id == OrgUnit.id)
        .where(UnitClosure.descendant_id == unit_id).order_by(UnitClosure.depth)).scalars().all()
    for name in names:
        school = school_in_name(name)
        if school:
            return school
    return PARTY_BODY.sub("", names[0].strip()) if names else ""
