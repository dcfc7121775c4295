"""The time a use case runs at: passed in by tests and the worker, the real time otherwise."""
from datetime import UTC, datetime, timedelta, timezone

#: Dates people see and deadlines count in Vietnam's time zone.
VIETNAM = timezone(timedelta(hours=7))


def resolve_now(now=None):
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError("pass an aware datetime")
    return now
