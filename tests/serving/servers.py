"""Real server processes for the serving tests: gunicorn, `flask worker`, a TCP proxy to cut, a browser.

The browser is urllib with a cookie jar: it reads the sign-in and task pages, takes their hidden
fields (the CSRF token among them) and posts the forms as a person's browser would.
"""
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

from webapp import create_app
from webapp.config import Config
from webapp.demo import DEMO_PASSWORD, build_world
from webapp.extensions import db
from webapp.services import deploy, files_from_directories

from ..conftest import POSTGRES_URL, START

ROOT = Path(__file__).resolve().parents[2]
HIDDEN = re.compile(r'<input[^>]*type="hidden"[^>]*>')
NAME, VALUE = re.compile(r'name="([^"]+)"'), re.compile(r'value="([^"]*)"')


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(database_url, **extra):
    return {"DATABASE_URL": database_url, "KETNAP_AUDIT_KEY": "serving-test-audit-key-0123456789abc",
            "SECRET_KEY": "serving-test-secret-key", "KETNAP_PASSWORD_HASH": "pbkdf2:sha256:1000",
            "KETNAP_SCRIPT_WORKERS": "1", "KETNAP_DATABASE_CONNECT_SECONDS": "2", **extra}


def postgres_database(suffix):
    """A fresh PostgreSQL database named after the test database (so concurrent runs never share one)."""
    url = sa.make_url(POSTGRES_URL)
    name = f"{url.database}_{suffix}"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name)


def prepare(database_url, build=None):
    """Schema, the shipped diagrams and the demo world; `build(users)` adds what a test needs."""
    app = create_app(Config(environment(database_url)))
    with app.app_context():
        upgrade()
        deploy(files_from_directories(ROOT / "processes", ROOT / "forms"), comment="serving test")
        _, users = build_world(START)
        db.session.commit()
        result = build(users) if build else None
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return result


class Process:
    """A child process whose output is kept in a file (read it when a test fails)."""

    def __init__(self, args, env, log_path):
        self.log_path = log_path
        self.log = open(log_path, "wb")  # closed in stop()
        self.process = subprocess.Popen(args, cwd=ROOT, env={**os.environ, **env}, stdout=self.log,
                                        stderr=subprocess.STDOUT)

    def output(self):
        return Path(self.log_path).read_text(errors="replace")

    def stop(self, timeout=15):
        """SIGTERM, as an operator or systemd stops it; the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise
        finally:
            self.log.close()


def gunicorn(database_url, log_path, *, workers=1, threads=4, **extra):
    port = free_port()
    env = environment(database_url, KETNAP_BIND=f"127.0.0.1:{port}", KETNAP_WORKERS=str(workers),
                      KETNAP_THREADS=str(threads), **extra)
    server = Process([sys.executable, "-m", "gunicorn", "-c", "python:webapp.serving"], env, log_path)
    server.base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 40
    while True:
        try:
            urllib.request.urlopen(server.base + "/livez", timeout=2).read()
            return server
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline or server.process.poll() is not None:
                server.process.kill()
                raise RuntimeError("gunicorn did not start:\n" + server.output()) from None
            time.sleep(0.2)


def timer_worker(database_url, log_path, poll_seconds=0.5):
    env = environment(database_url, FLASK_APP="webapp:create_app", KETNAP_TIMER_POLL_SECONDS=str(poll_seconds),
                      KETNAP_AUDIT_WALK_HOURS="0")
    return Process([sys.executable, "-m", "flask", "worker"], env, log_path)


class Answer:
    def __init__(self, status, body, headers):
        self.status, self.body, self.headers = status, body, headers

    def h1(self):
        match = re.search(r"<h1[^>]*>(.*?)</h1>", self.body, re.S)
        return match.group(1).strip() if match else None

    def message(self):
        match = re.search(r'data-testid="error-message">(.*?)</p>', self.body, re.S)
        return match.group(1).strip() if match else None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A person's browser: a cookie jar, forms posted with their hidden fields, redirects not followed."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  _NoRedirect())

    def open(self, path, fields=None, headers=None, timeout=30):
        data = urllib.parse.urlencode(fields).encode() if fields is not None else None
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            response = self.opener.open(request, timeout=timeout)
            return Answer(response.status, response.read().decode(), response.headers)
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.read().decode(), error.headers)

    def hidden_fields(self, path):
        page = self.open(path)
        assert page.status == 200, (path, page.status, page.body[:300])
        fields = {}
        for tag in HIDDEN.findall(page.body):
            name, value = NAME.search(tag), VALUE.search(tag)
            if name:
                fields[name.group(1)] = value.group(1) if value else ""
        return fields

    def submit(self, path, fields):
        """GET the form, POST it with its hidden fields; confirm once if the page asks to."""
        answer = self.open(path, {**self.hidden_fields(path), **fields})
        confirm = re.search(r'name="_confirm"[^>]*value="([^"]+)"', answer.body)
        if answer.status == 200 and confirm:
            answer = self.open(path, {**self.hidden_fields(path), **fields, "_confirm": confirm.group(1)})
        return answer

    def sign_in(self, username, password=DEMO_PASSWORD):
        answer = self.submit("/login", {"username": username, "password": password})
        assert answer.status == 302, (username, answer.status, answer.body[:300])
        # Follow the redirect as a browser does: the page drawn there puts the CSRF secret in the new
        # session, before tabs (threads) of this browser open forms at once.
        assert self.open(answer.headers["Location"]).status == 200
        return self


class CuttableProxy:
    """A TCP forwarder in front of PostgreSQL; `cut()` closes it and every connection through it."""

    def __init__(self, target_port):
        self.target_port, self.port = target_port, free_port()
        self._connections, self._lock, self._listener = [], threading.Lock(), None
        self.open()

    def open(self):
        self._listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, args=(self._listener,), daemon=True).start()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                client.close()
                continue
            with self._lock:
                self._connections += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source, sink):
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self):
        try:
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() in progress (close alone does not)
        except OSError:
            pass
        self._listener.close()
        with self._lock:
            connections, self._connections = self._connections, []
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
                connection.close()
            except OSError:
                pass
