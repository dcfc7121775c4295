"""An injectable clock for timers.

SpiffWorkflow's timer module reads ``datetime.now``. We swap that module's ``datetime`` for a
subclass whose ``now`` answers from a context variable, so a service (or a test) can say what
time it is for one engine call without patching anything globally or sleeping.
"""
import contextvars
from contextlib import contextmanager
from datetime import UTC, datetime

from SpiffWorkflow.bpmn.specs.event_definitions import timer as _timer_module

_now = contextvars.ContextVar("ketnap_engine_now", default=None)


class _ClockedDatetime(datetime):
    @classmethod
    def now(cls, tz=None):
        fixed = _now.get()
        if fixed is None:
            return datetime.now(tz)
        return fixed.astimezone(tz) if tz else fixed.replace(tzinfo=None)


_timer_module.datetime = _ClockedDatetime


@contextmanager
def engine_clock(now):
    """Run the block as if the time were `now` (an aware datetime; naive means UTC)."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    token = _now.set(now)
    try:
        yield
    finally:
        _now.reset(token)
