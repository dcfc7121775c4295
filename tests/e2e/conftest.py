"""Browser tests: the app served on a local port, Debian's chromium driven by Playwright, headless."""
import os
import shutil
import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from webapp.demo import DEMO_PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("KETNAP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync", "--lang=vi-VN"]


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.exit(f"CI requires chromium at {CHROMIUM} (.ci/run installs it)", returncode=1)
        pytest.skip(f"chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
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
        self.page.goto(self.base_url + path)
        return self.page

    def sign_in(self):
        page = self.go("/login")
        page.fill("#username", self.username)
        page.fill("#password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        return page

    def shot(self, name):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.fixture()
def person(chromium, live_server, world):
    contexts = []

    def _open(username, *, width=1280, sign_in=True):
        context = chromium.new_context(viewport={"width": width, "height": 900}, locale="vi-VN")
        contexts.append(context)
        who = Person(context, live_server, username)
        if sign_in:
            who.sign_in()
        return who

    yield _open
    for context in contexts:
        context.close()
