"""A whole cell's register from a CSV file, and the register as CSV.

Import is all or nothing: every row is checked first with the same checks as the form
(keeping.check_person), plus duplicates inside the file, and any error refuses the whole file
with the line number, the column and what is wrong (InvalidBatch: line → field → codes);
nothing is written. Headers may be written in Vietnamese, with or without marks, or as the
field names; the separator may be ',' or ';' (Excel with Vietnamese regional settings); the text
is UTF-8, with or without a BOM. One audit event records the import.

The export goes through services/exports.csv_writer (no cell can run as a formula) and masks
identity numbers.
"""
import csv
import io

from sqlalchemy import select

from ...extensions import db
from ...models import User
from ...models.register import BodyMembership, PartyMember
from ...rules.names import fold_name
from ..audit import append_event
from ..clock import resolve_now
from ..dossier import mask_citizen_id
from ..errors import InvalidBatch, InvalidSubmission
from ..exports import csv_writer
from .counting import counted_members
from .keeping import check_joined, check_person, require_keeper, today_in_vietnam

MAX_BYTES = 1024 * 1024
MAX_ROWS = 2000
#: Column → the headers accepted for it (compared folded: no marks, lower case).
COLUMNS = {
    "full_name": ("ho va ten", "ho ten", "full_name", "name"),
    "date_of_birth": ("ngay sinh", "date_of_birth"),
    "citizen_id": ("so cccd", "cccd", "citizen_id"),
    "status": ("trang thai", "status"),
    "admitted_on": ("ngay vao dang", "ngay ket nap", "admitted_on"),
    "official_on": ("ngay chinh thuc", "official_on"),
    "joined_on": ("ngay sinh hoat tai chi bo", "ngay vao chi bo", "joined_on"),
    "username": ("tai khoan", "username"),
}
REQUIRED_COLUMNS = ("full_name", "status", "joined_on")
STATUS_WORDS = {"chinh thuc": "official", "official": "official", "du bi": "probationary",
                "probationary": "probationary"}
#: The header the export writes (and the template offered for import).
EXPORT_HEADER = ("Họ và tên", "Ngày sinh", "Số CCCD", "Trạng thái", "Ngày vào Đảng", "Ngày chính thức",
                 "Ngày sinh hoạt tại chi bộ", "Tài khoản")


def _text(data):
    if len(data) > MAX_BYTES:
        raise InvalidSubmission({"file": ["register_csv_too_large"]})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidSubmission({"file": ["register_csv_not_utf8"]}) from None
    if not text.strip():
        raise InvalidSubmission({"file": ["register_csv_empty"]})
    return text


def _folded_header(title):
    return fold_name(title.replace("_", " "))


def _columns(header):
    """Column name → index, or InvalidSubmission naming unknown and missing headers."""
    known = {_folded_header(word): column for column, words in COLUMNS.items() for word in words}
    found, unknown = {}, []
    for index, title in enumerate(header):
        column = known.get(_folded_header(title))
        if column is None:
            if title.strip():
                unknown.append(title.strip())
        else:
            found[column] = index
    missing = [column for column in REQUIRED_COLUMNS if column not in found]
    if unknown or missing:
        raise InvalidSubmission({"file": ["register_csv_bad_header"], "unknown_columns": unknown,
                                 "missing_columns": missing})
    return found


def _rows(text):
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader)
    columns = _columns(header)
    rows = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        if len(rows) >= MAX_ROWS:
            raise InvalidSubmission({"file": ["register_csv_too_many_rows"]})
        values = {column: (row[index].strip() if index < len(row) else "") for column, index in columns.items()}
        rows.append((reader.line_num, values))
    if not rows:
        raise InvalidSubmission({"file": ["register_csv_empty"]})
    return rows


def _status(values):
    """'chính thức' / 'dự bị' (with or without marks) or the field's own words; unknown words stay, refused."""
    return STATUS_WORDS.get(fold_name(values.get("status")), values.get("status") or "")


def import_cell_csv(user, unit_id, data, *, now=None):
    """Enter every member listed in the CSV `data` (bytes) into the cell's register, or none of them."""
    now = resolve_now(now)
    unit = require_keeper(user, unit_id, "cell")
    today = today_in_vietnam(now)
    problems, clean_rows, seen_ids, seen_accounts = {}, [], set(), set()
    for line, values in _rows(_text(data)):
        values["status"] = _status(values)
        clean, errors = check_person(values, today, seen_citizen_ids=seen_ids)
        joined = check_joined(values, clean, today, errors)
        account = None
        if values.get("username"):
            account = db.session.execute(select(User).where(User.username == values["username"])).scalar_one_or_none()
            if account is None:
                errors.add("username", "register_unknown_account")
            elif account.id in seen_accounts or db.session.execute(
                    select(PartyMember.id).where(PartyMember.user_id == account.id)).first():
                errors.add("username", "register_account_taken")
        if errors:
            problems[line] = dict(errors)
            continue
        if clean["citizen_id"]:
            seen_ids.add(clean["citizen_id"])
        if account is not None:
            seen_accounts.add(account.id)
        clean_rows.append((clean, joined, account))
    if problems:
        raise InvalidBatch(problems)
    try:
        members = [PartyMember(**clean, user_id=account.id if account else None) for clean, _, account in clean_rows]
        db.session.add_all(members)
        db.session.flush()
        db.session.add_all([BodyMembership(member_id=member.id, unit_id=unit.id, body="cell", joined_on=joined)
                            for member, (_, joined, _) in zip(members, clean_rows, strict=True)])
        append_event(kind="register_imported", occurred_at=now, actor=user,
                     payload={"unit_id": unit.id, "body": "cell", "members": len(members),
                              "member_ids": [member.id for member in members], "source": "csv"})
        db.session.commit()
        return members
    except Exception:
        db.session.rollback()
        raise


def _day(value):
    return value.strftime("%d/%m/%Y") if value else ""


def register_csv(user, unit_id, on, *, status_labels=None):
    """The body's members on `on` as CSV text (header EXPORT_HEADER), identity numbers masked."""
    unit = require_keeper(user, unit_id, "cell")
    labels = status_labels or {"official": "Chính thức", "probationary": "Dự bị"}
    counted = counted_members(unit.id, on)
    entries = sorted((*counted.official, *counted.probationary), key=lambda entry: (entry.full_name, entry.member_id))
    people = {member.id: member for member in db.session.execute(select(PartyMember).where(
        PartyMember.id.in_([entry.member_id for entry in entries]))).scalars()}
    usernames = dict(db.session.execute(select(User.id, User.username).where(
        User.id.in_([entry.user_id for entry in entries if entry.user_id]))).all())
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv_writer(out)
    writer.writerow(EXPORT_HEADER)
    for entry in entries:
        person = people[entry.member_id]
        writer.writerow([entry.full_name, _day(person.date_of_birth),
                         mask_citizen_id(person.citizen_id) if person.citizen_id else "", labels[entry.status],
                         _day(entry.admitted_on), _day(entry.official_on), _day(entry.joined_on),
                         usernames.get(entry.user_id, "")])
    return out.getvalue()
