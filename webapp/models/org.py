"""The organisation tree: units and the closure table that answers "is X under Y" in SQL."""
from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db

UNIT_KINDS = (
    "province", "district", "commune", "grassroots_committee", "grassroots_cell", "subcommittee", "cell",
)
#: Units whose standing committee can decide admissions for the organisations below them.
DECIDING_KINDS = ("province", "district", "commune")


class OrgUnit(db.Model):
    __tablename__ = "org_unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(40), unique=True)
    # The unit whose standing committee decides admissions below this one; resolved upwards
    # when empty. Which level decides is data, never a hard-coded level (2021 vs 2025 rules).
    deciding_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    delegated: Mapped[bool] = mapped_column(Boolean, default=False)
    official_members: Mapped[int] = mapped_column(Integer, default=0)
    committee_members: Mapped[int] = mapped_column(Integer, default=0)
    rule_set: Mapped[str] = mapped_column(String(10), default="2025")

    parent: Mapped["OrgUnit | None"] = relationship(remote_side=[id], foreign_keys=[parent_id])

    def __repr__(self):
        return f"<OrgUnit {self.code} {self.kind}>"


class UnitClosure(db.Model):
    """One row per (ancestor, descendant) pair, depth 0 for a unit and itself."""

    __tablename__ = "unit_closure"

    ancestor_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="CASCADE"), primary_key=True)
    descendant_id: Mapped[int] = mapped_column(
        ForeignKey("org_unit.id", ondelete="CASCADE"), primary_key=True, index=True)
    depth: Mapped[int] = mapped_column(Integer)
