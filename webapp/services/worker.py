"""`flask worker`: the background loop beside the web server — due timers, and the daily walk
over the audit chain."""
import time

from ..extensions import db
from .integrity import run_due_verification
from .timers import run_due_timers


def run_worker(poll_seconds, *, walk_every=None, stop=lambda: False, log=print):
    """Fire due timers every `poll_seconds`; with `walk_every` (a timedelta), also walk the whole
    audit chain when the latest walk is older than that."""
    while not stop():
        try:
            _one_round(walk_every, log)
        except Exception as error:  # noqa: BLE001 — a database away for a while must not end the worker
            db.session.rollback()
            log(f"worker round failed ({type(error).__name__}); trying again in {poll_seconds:g} s")
        time.sleep(poll_seconds)


def _one_round(walk_every, log):
    fired = run_due_timers()
    if fired:
        log(f"fired timers on {len(fired)} case(s)")
    if walk_every is not None:
        walked = run_due_verification(walk_every)
        if walked is not None:
            _walk, report = walked
            log(f"audit chain intact: {report.checked} events checked" if report.intact else
                f"audit chain BROKEN at event {report.first_broken_seq}: {report.reason}")
