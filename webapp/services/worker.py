"""`flask worker`: the background loop beside the web server — due timers, and the daily walk
over the audit chain."""
import time

from .integrity import run_due_verification
from .timers import run_due_timers


def run_worker(poll_seconds, *, walk_every=None, stop=lambda: False, log=print):
    """Fire due timers every `poll_seconds`; with `walk_every` (a timedelta), also walk the whole
    audit chain when the latest walk is older than that."""
    while not stop():
        fired = run_due_timers()
        if fired:
            log(f"fired timers on {len(fired)} case(s)")
        if walk_every is not None:
            walked = run_due_verification(walk_every)
            if walked is not None:
                _walk, report = walked
                log(f"audit chain intact: {report.checked} events checked" if report.intact else
                    f"audit chain BROKEN at event {report.first_broken_seq}: {report.reason}")
        time.sleep(poll_seconds)
