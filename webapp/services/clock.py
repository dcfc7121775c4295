"""The time a use case runs at: passed in by tests and the worker, the real time otherwise."""
from datetime import UTC, datetime


def resolve_now(now=None):
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError("pass an aware datetime")
    return now
