"""What the web tests read: pages as a user sees them, the database as an auditor counts it, tiny real files."""
import hashlib
import re
import struct
import zlib
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import (
    Attachment,
    CaseComment,
    HumanTask,
    InstanceEvent,
    ProcessInstance,
    ProcessVersion,
    RoleAssignment,
    StepCorrection,
    Student,
    TaskDraft,
    User,
)

# --- pages ------------------------------------------------------------------------------------------


def html(response):
    """The parsed page (lxml), for XPath questions about what is shown where."""
    return lxml.html.fromstring(response.get_data(as_text=True))


def squash(text):
    return re.sub(r"\s+", " ", text or "").strip()


def texts(response_or_doc, xpath):
    doc = html(response_or_doc) if hasattr(response_or_doc, "get_data") else response_or_doc
    return [squash(node.text_content()) for node in doc.xpath(xpath)]


def visible_text(response):
    """All text of the page body, white space collapsed (what a reader sees, scripts aside)."""
    doc = html(response)
    for script in doc.xpath("//script"):
        script.drop_tree()
    return squash(doc.xpath("//body")[0].text_content())


def heading(response):
    found = texts(response, "//main//h1")
    return found[0] if found else ""


def alerts(response):
    """Flashed messages and form-level messages (Bootstrap alerts)."""
    return texts(response, "//*[contains(concat(' ', @class, ' '), ' alert ')]")


def field_errors(response, name):
    """Messages shown under the field `name` of a task form (macros.render_field)."""
    return texts(response, f"//*[@data-field='{name}']//*[contains(@class, 'invalid-feedback')]")


def input_value(response, name):
    values = html(response).xpath(f"//input[@name='{name}']/@value | //textarea[@name='{name}']/text()")
    return values[0] if values else None


def redirect_path(response):
    """The path (and query) a redirect points to, or None when it is not a redirect."""
    if response.status_code not in (301, 302, 303, 307, 308):
        return None
    parts = urlsplit(response.headers["Location"])
    return parts.path + (f"?{parts.query}" if parts.query else "")


def goes_off_site(response):
    location = response.headers.get("Location", "")
    parts = urlsplit(location.replace("\\", "/"))
    return bool(parts.scheme or parts.netloc) and parts.netloc not in ("", "localhost")


# --- the database -----------------------------------------------------------------------------------


def db_state():
    """What a request could have changed: tasks, the audit trail, files, cases, students, accounts.

    Reading is not changing: the `dossier_viewed` events that record an auditor's reading are left out.
    """
    def scalar(statement):
        return db.session.execute(statement).scalar()

    db.session.expire_all()
    passwords = hashlib.sha256("".join(
        db.session.execute(select(User.password_hash).order_by(User.id)).scalars()).encode()).hexdigest()
    return {
        "tasks": dict(db.session.execute(
            select(HumanTask.status, func.count()).group_by(HumanTask.status)).all()),
        "events": scalar(select(func.count()).select_from(InstanceEvent)
                         .where(InstanceEvent.kind != "dossier_viewed")),
        "attachments": scalar(select(func.count()).select_from(Attachment)),
        "cases": scalar(select(func.count()).select_from(ProcessInstance)),
        "case_versions": scalar(select(func.coalesce(func.sum(ProcessInstance.lock_version), 0))),
        "students": scalar(select(func.count()).select_from(Student)),
        "roles": scalar(select(func.count()).select_from(RoleAssignment)),
        "passwords": passwords,
        # issue 15: comments, drafts and corrections (a draft is no event: counted on its own)
        "notes": tuple(scalar(select(func.count()).select_from(model)) for model in (CaseComment, TaskDraft,
                                                                                     StepCorrection)),
    }


def events(kind=None, instance_id=None):
    query = select(InstanceEvent).order_by(InstanceEvent.seq)
    if kind:
        query = query.where(InstanceEvent.kind == kind)
    if instance_id:
        query = query.where(InstanceEvent.instance_id == instance_id)
    db.session.expire_all()
    return db.session.execute(query).scalars().all()


def open_task(instance_id, spec_name=None):
    db.session.expire_all()
    query = select(HumanTask).where(HumanTask.instance_id == instance_id, HumanTask.status == "open")
    if spec_name:
        query = query.where(HumanTask.spec_name == spec_name)
    return db.session.execute(query.order_by(HumanTask.id)).scalars().first()


# --- files ------------------------------------------------------------------------------------------


def tiny_pdf():
    """A valid one-page PDF (empty page), xref offsets computed."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def tiny_png():
    """A valid 1×1 red PNG."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
            + chunk(b"IEND", b""))


def tiny_jpeg():
    """A valid 1×1 baseline JPEG (grey), as a camera app would write one."""
    return bytes.fromhex(
        "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912130f"
        "141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0000b08000100010101"
        "1100ffc4001f0000010501010101010100000000000000000102030405060708090a0bffc400b5100002010303020403050504"
        "040000017d01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25"
        "262728292a3435363738393a434445464748494a535455565758595a636465666768696a737475767778797a838485868788"
        "898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3"
        "e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f00fbd3ffd9")


PROCESSES = Path(__file__).resolve().parents[2] / "processes"
CEREMONY_LABEL = 'name="Tổ chức lễ kết nạp, phân công đảng viên giúp đỡ"'
NEW_CEREMONY_LABEL = 'name="Tổ chức lễ kết nạp (có đại diện Đoàn trường)"'


def process_source(name="admission.bpmn"):
    """A shipped diagram's text, as an administrator would open it to edit."""
    return (PROCESSES / name).read_text(encoding="utf-8")


def process_versions():
    """Every deployed version, oldest first, read afresh."""
    db.session.expire_all()
    return db.session.execute(select(ProcessVersion).order_by(ProcessVersion.number)).scalars().all()
