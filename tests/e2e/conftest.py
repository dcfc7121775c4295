"""Browser tests: the app served on a local port, Debian's chromium driven by Playwright, headless."""
import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from webapp.demo import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
FAILURES = ROOT / "test-artifacts" / "failures"
CHROMIUM = os.environ.get("KETNAP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync", "--lang=vi-VN"]
CSRF_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
TIMEOUT_MS = 10_000  # a page of this app answers in milliseconds; fail fast rather than wait 30 s


#: How to get the browser, said wherever the browser tests cannot run (README "The two commands").
GET_CHROMIUM = (f"chromium is not installed at {CHROMIUM}. Install it with `sudo apt-get install chromium` "
                "(Debian/Ubuntu), or point KETNAP_CHROMIUM at a chromium or chrome binary, e.g. the one "
                "`.venv/bin/playwright install chromium` downloads (its path is printed).")
_missing = []


def pytest_terminal_summary(terminalreporter):
    """A skipped browser run is said at the end of the run, in a block of its own, not only per test."""
    if _missing:
        terminalreporter.section("browser tests skipped", sep="!", red=True, bold=True)
        terminalreporter.write_line(GET_CHROMIUM)
        terminalreporter.write_line("Set CI=1 to make a missing browser fail the run instead.")


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.exit(f"CI requires the browser tests: {GET_CHROMIUM}", returncode=1)
        _missing.append(CHROMIUM)
        pytest.skip(GET_CHROMIUM)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)  # static URLs are content-hashed: cached
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


class Person:
    """One signed-in person in their own browser context (cookies of their own)."""

    def __init__(self, context, base_url, username):
        self.context = context
        self.page = context.new_page()
        self.base_url = base_url
        self.username = username

    def go(self, path):
        self.page.goto(self.base_url + path, wait_until="domcontentloaded")  # scripts sit at the end of body
        return self.page

    def new_tab(self, path):
        """Another page of the same context: the same person, the same session, a second tab."""
        page = self.context.new_page()
        page.goto(self.base_url + path)
        return page

    def sign_in_through_the_form(self):
        page = self.go("/login")
        page.fill("#username", self.username)
        page.fill("#password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        return page

    def sign_in(self):
        """Sign in with the login form's own request (its CSRF token, this context's cookies), without drawing it."""
        login = self.base_url + "/login"
        token = CSRF_TOKEN.search(self.context.request.get(login).text())
        assert token, "no CSRF token on the login page"
        answer = self.context.request.post(login, max_redirects=0, form={
            "csrf_token": token.group(1), "username": self.username, "password": DEMO_PASSWORD})
        assert answer.status == 302, f"{self.username} could not sign in ({answer.status})"

    def shot(self, name, *, full_page=True, page=None):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        (page or self.page).screenshot(path=str(path), full_page=full_page)
        return path


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture()
def person(request, chromium, live_server, world):
    """person('tq-ln-thpt.cell_secretary') → that demo user signed in, in a browser context of their own.

    The same user asked for twice in one test gets the same Person (one sign-in per user and test).
    """
    contexts, people = [], {}

    def _open(username, *, width=1280, height=800, sign_in=True):
        key = (username, width, height, sign_in)
        if key in people:
            return people[key]
        context = chromium.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        who = Person(context, live_server, username)
        if sign_in:
            who.sign_in()
        people[key] = who
        return who

    yield _open
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:  # what each person was looking at when the test failed
        FAILURES.mkdir(parents=True, exist_ok=True)
        for number, context in enumerate(contexts):
            for tab, page in enumerate(context.pages):
                page.screenshot(path=str(FAILURES / f"{request.node.name}-{number}-{tab}.png"), full_page=True)
    for context in contexts:
        context.close()
