"""The known-device cookie: a signed, long-lived list of marks of users who signed in on this browser.

An attempt that carries the user's mark counts against a budget of its own, which guessing at
the user name from elsewhere cannot spend (services/signin.py). The cookie is only sent to
/login, and a mark is void once that user's password changes (services.auth.device_mark).
"""
from datetime import timedelta

from flask import current_app, request
from itsdangerous import BadData, URLSafeTimedSerializer

COOKIE = "ketnap_device"
LIFETIME = timedelta(days=180)
#: A shared computer remembers this many users, the most recent first.
KEEP = 5


def _serializer():
    return URLSafeTimedSerializer(current_app.secret_key, salt="ketnap-known-device")


def device_marks():
    """The marks of this browser's cookie; none when it is missing, forged, expired or malformed."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return []
    try:
        marks = _serializer().loads(raw, max_age=int(LIFETIME.total_seconds()))
    except BadData:
        return []
    if not isinstance(marks, list):
        return []
    return [mark for mark in marks if isinstance(mark, str)][:KEEP]


def remember_device(response, mark):
    """Put `mark` first in this browser's cookie (re-signed, so its lifetime starts again)."""
    marks = [mark, *(known for known in device_marks() if known != mark)][:KEEP]
    response.set_cookie(COOKIE, _serializer().dumps(marks), max_age=int(LIFETIME.total_seconds()), path="/login",
                        httponly=True, samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response
