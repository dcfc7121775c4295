"""`flask worker`: the background loop beside the web server — due timers, deputies' periods,
reminders and escalations, e-mail copies of notices, and the daily walk over the audit chain."""
import time

from ..extensions import db
from .deputies import run_deputy_periods
from .integrity import run_due_verification
from .mail import send_pending_mail
from .reminders import ReminderPolicy, run_due_reminders
from .timers import run_due_timers


def run_worker(poll_seconds, *, walk_every=None, reminders=ReminderPolicy(), relay=None, stop=lambda: False,
               log=print):
    """Every `poll_seconds`: fire due timers, send due reminders and escalations (`reminders`, a
    ReminderPolicy), and with `relay` (services/mail.Relay) the e-mail copies of notices; with
    `walk_every` (a timedelta), also walk the whole audit chain when the latest walk is older."""
    while not stop():
        try:
            _one_round(walk_every, log, reminders, relay)
        except Exception as error:  # noqa: BLE001 — a database away for a while must not end the worker
            db.session.rollback()
            log(f"worker round failed ({type(error).__name__}); trying again in {poll_seconds:g} s")
        time.sleep(poll_seconds)


def _one_round(walk_every, log, reminders, relay):
    fired = run_due_timers()
    if fired:
        log(f"fired timers on {len(fired)} case(s)")
    started, ended = run_deputy_periods()
    if started or ended:
        log(f"deputies: {started} period(s) started, {ended} ended")
    swept = run_due_reminders(policy=reminders)
    if swept.reminded or swept.escalated:
        log(f"reminded {swept.reminded} step(s), escalated {swept.escalated} overdue step(s)")
    if relay is not None:
        mailed = send_pending_mail(relay)
        if mailed:
            log(f"sent {mailed} e-mail(s)")
    if walk_every is not None:
        walked = run_due_verification(walk_every)
        if walked is not None:
            _walk, report = walked
            log(f"audit chain intact: {report.checked} events checked" if report.intact else
                f"audit chain BROKEN at event {report.first_broken_seq}: {report.reason}")
