"""Names typed into a search box never travel in an address.

A GET query string is written to the access log of every server and proxy on the way, to the
browser's history and to bookmarks; a student's name there is personal data leaking into all of
them. So a search form POSTs (with its CSRF token), the text is kept in the user's session under
a short random key, and the page is shown at `?s=<key>` with only the non-personal filters (unit,
step, status, dates, page) in the address. Pagination and the CSV export carry the key. The key
means nothing outside this session: signing out forgets every search.
"""
import secrets

from flask import flash, redirect, request, session, url_for
from flask_babel import gettext as _

from .formatting import search_text

SESSION_KEY = "searches"
#: The searches a session remembers (oldest forgotten first): enough for the back button, small
#: enough for a session cookie.
KEPT = 5
SEARCH_TEXT = "q"
KEY = "s"


def remember(text):
    """The key standing for `text` in this session (the same key for the same text), or None for no text."""
    if not text:
        return None
    searches = [pair for pair in session.get(SESSION_KEY) or [] if isinstance(pair, list) and len(pair) == 2]
    for key, kept in searches:
        if kept == text:
            return key
    key = secrets.token_urlsafe(6)
    session[SESSION_KEY] = [*searches, [key, text]][-KEPT:]
    return key


def recall(key):
    """The text `key` stands for in this session, or None."""
    return next((text for stored, text in session.get(SESSION_KEY) or [] if stored == key), None) if key else None


def needs_moving():
    """A search form was posted, or a name arrived in the address (an old link): either way, redirect."""
    return request.method == "POST" or SEARCH_TEXT in request.args


def redirect_with_key(endpoint, fields, **values):
    """To `endpoint` with the non-personal `fields` (from the form, or the address) and the text's key."""
    source = request.form if request.method == "POST" else request.args
    args = {name: source.get(name) for name in fields if source.get(name)}
    key = remember(search_text(source.get(SEARCH_TEXT)))
    if key:
        args[KEY] = key
    return redirect(url_for(endpoint, **values, **args), 303)


def searched_text():
    """(the search text of this address, whether its key is unknown: a search forgotten or not this session's)."""
    key = request.args.get(KEY)
    text = recall(key)
    return text, bool(key) and text is None


def say_forgotten():
    flash(_("Không còn nhớ tên cần tìm (đã đăng xuất hoặc tìm đã lâu): hãy nhập lại."), "warning")


def recalled_search():
    """The search text of this address; a key this session does not know is said, not silently ignored."""
    text, forgotten = searched_text()
    if forgotten:
        say_forgotten()
    return text
