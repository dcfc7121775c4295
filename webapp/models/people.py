"""Users, the roles they hold in units, and students (the subject of a case)."""
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, validates

from ..extensions import db
from ..rules.names import fold_name
from .types import UtcDateTime, utcnow

ROLES = (
    "applicant", "youth_union", "introducer", "cell_secretary", "verifier", "residence_cell",
    "political_center", "subcommittee", "grassroots_committee", "org_board", "standing_committee",
    "auditor", "admin",
)


class User(db.Model):
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Sign-in throttling lives in sign_in_attempt (models/sessions.py); a password change ends known devices.
    password_changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    # Flask-Login's user protocol.
    @property
    def is_authenticated(self):
        return True

    @property
    def is_active(self):
        return self.active

    @property
    def is_anonymous(self):
        return False

    def get_id(self):
        return str(self.id)

    def __repr__(self):
        return f"<User {self.username}>"


class RoleAssignment(db.Model):
    """A role is always held in a unit and reaches that unit and every unit below it."""

    __tablename__ = "role_assignment"
    __table_args__ = (
        UniqueConstraint("user_id", "role", "unit_id", name="uq_role_assignment"),
        Index("ix_role_assignment_role_unit", "role", "unit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(40))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    # Set on the role a deputy holds for the period of a deputyship (models/deputies.py): removed,
    # with every right it gave, when the period ends.
    deputyship_id: Mapped[int | None] = mapped_column(ForeignKey("deputyship.id", ondelete="CASCADE"))


FOLDED_LENGTH = 120


def _folded_from_row(context):
    """The folded name of the row being inserted (a Core insert of many rows gets one per row)."""
    return fold_name(context.get_current_parameters().get("full_name"))[:FOLDED_LENGTH]


class Student(db.Model):
    """The person a case is about; fields the statistics forms (Biểu 2-BTCTW) need later."""

    __tablename__ = "student"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(120))
    #: `full_name` folded for searching (rules/names.py): set with the name by the ORM (below) and by
    #: bulk Core inserts (the default reads the row's own name). A search still reads it row by row
    #: within the scope, as it read lower(full_name) before; no index on it would serve "contains".
    name_folded: Mapped[str] = mapped_column(String(FOLDED_LENGTH), default=_folded_from_row)
    date_of_birth: Mapped[date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(10))
    ethnicity: Mapped[str] = mapped_column(String(60), default="Kinh")
    religion: Mapped[str] = mapped_column(String(60), default="Không")
    #: Indexed for the search by identity number of the roles that read it (authz.may_search_citizen_id).
    citizen_id: Mapped[str] = mapped_column(String(20), index=True)
    youth_union_member: Mapped[bool] = mapped_column(Boolean, default=True)
    occupation: Mapped[str] = mapped_column(String(30), default="pupil")
    education_level: Mapped[str] = mapped_column(String(40), default="12/12")
    #: Admitted once before and now admitted again (kết nạp lại): its own row on the statistics form.
    readmission: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    school: Mapped[str] = mapped_column(String(200))
    class_name: Mapped[str] = mapped_column(String(40))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    @validates("full_name")
    def _keep_name_folded(self, _key, full_name):
        """Whoever sets or corrects the name through the ORM also sets what searches compare."""
        self.name_folded = fold_name(full_name)[:FOLDED_LENGTH]  # a ligature unfolds into several letters
        return full_name
