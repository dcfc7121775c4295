"""E-mail copies of notices, sent by `flask worker` through the SMTP relay of the configuration.

The notice is already stored; this only sends its copy. A relay that is down or refuses leaves the
copy due again later (`RETRY_AFTER`, growing with each attempt) and records why, so nothing is lost
and no step waits on the relay. Each copy is its own short transaction, claimed before sending, so
two workers do not send it twice.

What an e-mail says: the kind of notice, the case number, the step, the unit and the dates, and a
link when a public address is configured. Never a name, a CCCD or family data: e-mail leaves our
servers, so it carries nothing a reader of the mailbox could not be shown without signing in.
"""
import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import date, timedelta
from email.message import EmailMessage

from sqlalchemy import select, update

from ..extensions import db
from ..models import Notice, NoticeSetting
from .clock import VIETNAM, resolve_now

BATCH = 100
MAX_ATTEMPTS = 20
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Relay:
    host: str
    port: int = 25
    sender: str = "ketnap@localhost"
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 10.0
    public_url: str | None = None  # e.g. https://ketnap.example.vn, for links in the e-mail
    digest_hour: int = 7  # Vietnam time: the daily digest goes out at or after this hour


def retry_after(attempts):
    """Wait 1, 2, 4 … minutes between attempts, at most 6 hours."""
    return timedelta(minutes=min(2 ** max(0, attempts - 1), 360))


_WORDS = {
    "due_soon": ("Sắp đến hạn: bước “{step}” của hồ sơ số {case} ({unit}) hạn ngày {due}.",
                 "Due soon: step “{step}” of case no. {case} ({unit}) is due on {due}."),
    "overdue": ("Quá hạn: bước “{step}” của hồ sơ số {case} ({unit}) đã quá hạn từ ngày {due}.",
                "Overdue: step “{step}” of case no. {case} ({unit}) was due on {due}."),
    "escalated": ("Báo cấp trên: bước “{step}” của hồ sơ số {case} tại {unit} đã quá hạn từ ngày {due}.",
                  "For the level above: step “{step}” of case no. {case} at {unit} was due on {due}."),
    "verification_requested": ("Yêu cầu thẩm tra lý lịch của hồ sơ số {case} từ {unit}, hạn trả lời ngày {due}.",
                               "A background verification request for case no. {case} from {unit}, due {due}."),
    "residence_comment_requested": ("{unit} đề nghị chi ủy nhận xét nơi cư trú của hồ sơ số {case}.",
                                    "{unit} asks for the residence comment of case no. {case}."),
    "finding_cleared": ("Cấp ủy có thẩm quyền đã kết luận vấn đề lý lịch của hồ sơ số {case} ({unit}).",
                        "The competent committee concluded on the background of case no. {case} ({unit})."),
    "finding_stopped": ("Cấp ủy có thẩm quyền đã kết luận dừng xem xét kết nạp hồ sơ số {case} ({unit}).",
                        "The competent committee concluded to stop the admission of case no. {case} ({unit})."),
    "history_not_eligible": ("Cấp ủy cơ sở chứng nhận lý lịch của hồ sơ số {case} ({unit}) không đủ điều kiện.",
                             "The grassroots committee certified case no. {case} ({unit}) not eligible."),
    "deadline_extended": ("Cấp trên đã gia hạn thời gian quyết định kết nạp của hồ sơ số {case} ({unit}).",
                          "The upper level extended the time to decide on case no. {case} ({unit})."),
    "admission_decided": ("Đã có quyết định kết nạp của hồ sơ số {case} ({unit}).",
                          "The admission of case no. {case} ({unit}) has been decided."),
    "admission_rejected": ("Cấp trên không kết nạp hồ sơ số {case} ({unit}).",
                           "The upper level did not admit case no. {case} ({unit})."),
    "member_recognised": ("Đã có quyết định công nhận đảng viên chính thức của hồ sơ số {case} ({unit}).",
                          "Official membership was decided for case no. {case} ({unit})."),
    "member_removed": ("Cấp trên đã xóa tên đảng viên dự bị của hồ sơ số {case} ({unit}).",
                       "The upper level removed the probationary member of case no. {case} ({unit})."),
}
_OTHER = ("Có thông báo mới về hồ sơ số {case}.", "There is a new notice about case no. {case}.")


def _dmy(iso):
    try:
        return date.fromisoformat(iso).strftime("%d/%m/%Y")
    except (TypeError, ValueError):
        return ""


def notice_lines(notice, relay):
    """The Vietnamese and English lines of one notice; only the fields named above are used."""
    params = notice.params or {}
    facts = {"step": params.get("step", ""), "case": notice.instance_id or params.get("case", ""),
             "unit": params.get("unit", ""), "due": _dmy(params.get("due_on"))}
    vi, en = _WORDS.get(notice.kind, _OTHER)
    lines = [vi.format(**facts), en.format(**facts)]
    if relay.public_url and notice.instance_id:
        lines.append(f"{relay.public_url.rstrip('/')}/cases/{notice.instance_id}")
    return lines


def _message(relay, to, subject, paragraphs):
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = relay.sender, to, subject
    footer = ("Thư tự động của ketnap; xem và đánh dấu đã đọc trong mục Thông báo.\n"
              "Automatic message from ketnap; see and mark read under Notices.")
    message.set_content("\n\n".join([*paragraphs, footer]) + "\n")
    return message


def _send(relay, message):
    with smtplib.SMTP(relay.host, relay.port, timeout=relay.timeout) as smtp:
        if relay.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if relay.username:
            smtp.login(relay.username, relay.password or "")
        smtp.send_message(message)


def send_pending_mail(relay, now=None):
    """Send the copies due now, then the daily digests due today; return how many e-mails went out."""
    now = resolve_now(now)
    return _send_each(relay, now) + _send_digests(relay, now)


def _failed(notice_ids, error, now):
    reason = f"{type(error).__name__}: {str(error)[:150]}"
    for notice in db.session.execute(select(Notice).where(Notice.id.in_(notice_ids))).scalars():
        notice.mail_attempts += 1
        notice.mail_error = reason
        notice.mail_due_at = now + retry_after(notice.mail_attempts)
        if notice.mail_attempts >= MAX_ATTEMPTS:
            notice.mail_state = "none"  # given up: the notice itself stays in the centre
    db.session.commit()
    log.warning("e-mail of %d notice(s) not sent (%s); kept for a retry", len(notice_ids), type(error).__name__)


def _send_each(relay, now):
    sent = 0
    rows = db.session.execute(
        select(Notice.id).where(Notice.mail_state == "pending", Notice.mail_due_at <= now)
        .order_by(Notice.mail_due_at, Notice.id).limit(BATCH)).scalars().all()
    db.session.rollback()
    for notice_id in rows:
        # Claim it: push its due time forward first, so a second worker skips it while we send.
        claimed = db.session.execute(
            update(Notice).where(Notice.id == notice_id, Notice.mail_state == "pending", Notice.mail_due_at <= now)
            .values(mail_due_at=now + timedelta(minutes=10))).rowcount
        db.session.commit()
        if not claimed:
            continue
        notice = db.session.get(Notice, notice_id)
        setting = db.session.get(NoticeSetting, notice.user_id)
        if setting is None or setting.delivery == "off":
            notice.mail_state = "none"
            db.session.commit()
            continue
        try:
            _send(relay, _message(relay, setting.email, "ketnap: thông báo / notice", notice_lines(notice, relay)))
        except (OSError, smtplib.SMTPException) as error:
            _failed([notice_id], error, now)
            continue
        notice.mail_state, notice.mail_error = "sent", None
        db.session.commit()
        sent += 1
    return sent


def _send_digests(relay, now):
    local = now.astimezone(VIETNAM)
    if local.hour < relay.digest_hour:
        return 0
    today = local.date()
    users = db.session.execute(
        select(NoticeSetting.user_id).where(
            NoticeSetting.delivery == "daily",
            (NoticeSetting.digest_sent_on.is_(None)) | (NoticeSetting.digest_sent_on < today),
            select(Notice.id).where(Notice.user_id == NoticeSetting.user_id, Notice.mail_state == "digest",
                                    (Notice.mail_due_at.is_(None)) | (Notice.mail_due_at <= now)).exists())
        .order_by(NoticeSetting.user_id).limit(BATCH)).scalars().all()
    db.session.rollback()
    sent = 0
    for user_id in users:
        sent += _send_digest(relay, user_id, today, now)
    return sent


def _send_digest(relay, user_id, today, now):
    # Claim the day first: a second worker finds the digest already sent today and skips it.
    claimed = db.session.execute(
        update(NoticeSetting).where(NoticeSetting.user_id == user_id,
                                    (NoticeSetting.digest_sent_on.is_(None)) | (NoticeSetting.digest_sent_on < today))
        .values(digest_sent_on=today)).rowcount
    db.session.commit()
    if not claimed:
        return 0
    setting = db.session.get(NoticeSetting, user_id)
    notices = db.session.execute(select(Notice).where(Notice.user_id == user_id, Notice.mail_state == "digest")
                                 .order_by(Notice.id).limit(200)).scalars().all()
    if not notices:
        db.session.commit()
        return 0
    paragraphs = [f"{len(notices)} thông báo mới / new notice(s):"]
    paragraphs += ["\n".join(notice_lines(notice, relay)) for notice in notices]
    ids = [notice.id for notice in notices]
    try:
        _send(relay, _message(relay, setting.email, "ketnap: thông báo trong ngày / daily notices", paragraphs))
    except (OSError, smtplib.SMTPException) as error:
        setting.digest_sent_on = None  # not sent: due again at the next round after the wait
        db.session.commit()
        _failed(ids, error, now)
        return 0
    for notice in notices:
        notice.mail_state, notice.mail_error = "sent", None
    db.session.commit()
    return 1
