"""Real HTTP through the Flask test client, CSRF on, signed in as demo users.

Every request runs in a context of its own: the tests hold an application context open for the
whole test (tests/conftest.py), and a request pushed inside it would share its `g` — Flask-Login's
signed-in user and Flask-WTF's CSRF token would then leak from one client to the next.
"""
import contextvars
import re

import pytest

from webapp.demo import DEMO_PASSWORD

CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


class Browser:
    """A test client that signs in and posts forms with their CSRF token, as a browser would."""

    def __init__(self, client):
        self.client = client

    def _open(self, method, url, **kwargs):
        """One request in a fresh context, as a real server would run it (own app context, own `g`)."""
        return contextvars.Context().run(self._whole, method, url, **kwargs)

    def _whole(self, method, url, **kwargs):
        """A streamed body (the CSV export) is read in the request's own context, as a server reads it."""
        response = getattr(self.client, method)(url, **kwargs)
        response.streamed = response.is_streamed  # what the server sent: chunks as they were written
        if response.streamed:
            response.sent_headers = response.headers.copy()  # before set_data adds a Content-Length
            response.chunks = list(response.response)
            response.set_data(b"".join(response.chunks))
            response.close()
        return response

    def token(self, url):
        page = self.get(url)
        match = CSRF.search(page.get_data(as_text=True))
        assert match, f"no CSRF token on {url} ({page.status_code})"
        return match.group(1)

    def login(self, username, password=DEMO_PASSWORD):
        token = self.token("/login")
        return self._open("post", "/login", data={"username": username, "password": password, "csrf_token": token})

    def post(self, url, data, *, token_from=None, **kwargs):
        return self._open("post", url, data={**data, "csrf_token": self.token(token_from or url)}, **kwargs)

    def get(self, url, **kwargs):
        return self._open("get", url, **kwargs)


@pytest.fixture()
def browser(app, world):
    """A visitor who has not signed in (no `with client`: its requests run in contexts of their own)."""
    return Browser(app.test_client())


@pytest.fixture()
def as_user(app, world):
    """as_user('tq-ln-thpt.cell_secretary') → a signed-in Browser (a fresh client per user)."""
    clients = []

    def _sign_in(username):
        client = app.test_client()
        clients.append(client)
        browser = Browser(client)
        response = browser.login(username)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return browser

    yield _sign_in
