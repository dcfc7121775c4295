"""Real HTTP against a real server process: gunicorn (webapp/serving.py) on PostgreSQL, whole lifecycles.

A fresh database (`ketnap_bench_http`) gets the processes and the demo world; gunicorn is started
as `make run` starts it, with one process and one thread (`bench/http_server.py`: the production
settings plus a statement count per request). Each case is started by its cell's secretary
(through the service), then every step is done over HTTP by a holder of its role, signed in with
the sign-in form and its CSRF token (the acting role picked on /acting where a user holds several):
the inbox, the task page (its hidden fields read as a browser sends them), the POST of the form
with the demo's lawful answers (webapp/demo/answers.py), and the redirect it answers with. Timers
(probation) are fired by the timer worker's service with the injectable clock; the server's
own clock is real, so the dates typed are today's.

For each completion the raw SpiffWorkflow cost of the same completion (restore, run, engine steps,
serialize, as in bench/engine.py) is measured in this process right after it: interleaved.
Prints median / p95 / p99 of the POST alone and of the full sequence, their ratio to raw, the
statements per POST (counted in the server process), and the server process's memory (RSS)
after every 1,000 completions.

    .venv/bin/python bench/http_bench.py [--cases 48] [--quick]   # 48 cases ≈ 1,000 completions
"""
import argparse
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select

from bench.common import ROOT, make_app
from bench.engine import raw_completion_times
from webapp.demo import DEMO_PASSWORD, CaseDriver, build_world
from webapp.extensions import db
from webapp.models import HumanTask, ProcessInstance, RoleAssignment
from webapp.services import active_version, deploy, files_from_directories, register_and_start
from webapp.services.timers import fire_instance_timers
from webapp.services.versions import loaded_version

DATABASE = "ketnap_bench_http"
START = datetime.now(UTC) - timedelta(days=2)


def percentiles(samples):
    ordered = sorted(samples)

    def at(share):
        return ordered[max(0, round(share * len(ordered)) - 1)] * 1000

    return {"n": len(ordered), "median_ms": statistics.median(ordered) * 1000, "p95_ms": at(0.95),
            "p99_ms": at(0.99)}


class _Hidden(HTMLParser):
    """The hidden inputs of a page (CSRF token, the version of the case the page showed)."""

    def __init__(self):
        super().__init__()
        self.fields = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "hidden" and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value") or ""


def hidden_fields(body):
    parser = _Hidden()
    parser.feed(body)
    return parser.fields


class Client:
    """One browser: a kept-alive connection and its cookies."""

    def __init__(self, port):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies = {}
        self.headers = {}

    def request(self, method, path, form=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            self.connection.close()  # the server closed an idle kept-alive connection: open a new one
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        self.headers = dict(response.getheaders())
        return response.status, text, self.headers

    def sign_in(self, username, assignment_id):
        _, page, _ = self.request("GET", "/login")
        status, _, _ = self.request("POST", "/login", {"username": username, "password": DEMO_PASSWORD,
                                                       "csrf_token": hidden_fields(page)["csrf_token"]})
        assert status == 302, f"sign-in of {username}: {status}"
        if self.request("GET", "/inbox")[0] == 302:  # several roles: pick the task's, as on /acting
            _, page, _ = self.request("GET", "/acting")
            status, _, _ = self.request("POST", "/acting", {"assignment": assignment_id,
                                                            "csrf_token": hidden_fields(page)["csrf_token"]})
            assert status == 302, f"acting role of {username}: {status}"


def refusal(body):
    """What a refused page says (its alerts and field errors), for the bench's error message."""
    found = re.findall(r'class="(?:alert[^"]*|invalid-feedback[^"]*)"[^>]*>(.*?)</', body, re.S)
    return " | ".join(" ".join(text.split()) for text in found) or body[:300]


def form_of(answers):
    """The answers as a browser posts them: a ticked box sends 'y', an unticked one nothing."""
    form = {}
    for name, value in answers.items():
        if value is True:
            form[name] = "y"
        elif value is False or value is None:
            continue
        else:
            form[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return form


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(url, port, log):
    env = os.environ | {"DATABASE_URL": url, "KETNAP_BIND": f"127.0.0.1:{port}", "KETNAP_WORKERS": "1",
                        "KETNAP_THREADS": "1", "SECRET_KEY": "bench", "KETNAP_AUDIT_KEY": "bench-audit-key-" + "x" * 20,
                        "KETNAP_PASSWORD_HASH": "pbkdf2:sha256:1000"}
    server = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "-c", "python:bench.http_server",
                               "--access-logfile", "/dev/null"], cwd=ROOT, env=env, stdout=log, stderr=log)
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError("gunicorn did not start (see its log)")


def rss_mib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return None


class HttpDriver(CaseDriver):
    """Every step over HTTP; the raw engine cost of the same completion measured right after it."""

    def __init__(self, port, loaded):
        super().__init__(START)
        self.port, self.loaded = port, loaded
        self.clients = {}
        self.post, self.sequence, self.raw, self.statements, self.rss = [], [], [], [], []
        self.pid = None

    def client_for(self, task):
        user = self.actor_for(task)
        assignment = db.session.execute(select(RoleAssignment.id).where(
            RoleAssignment.user_id == user.id, RoleAssignment.role == task.role,
            RoleAssignment.unit_id == task.unit_id)).scalar()
        key = (user.username, assignment)
        if key not in self.clients:
            self.clients[key] = Client(self.port)
            self.clients[key].sign_in(user.username, assignment)
        return self.clients[key]

    def complete(self, task, overrides=None, actor=None):
        client = self.client_for(task)
        before = db.session.get(ProcessInstance, task.instance_id).serialized
        uuid, task_id = task.task_uuid, task.id
        form = form_of(self.answers(task, overrides))
        db.session.commit()
        started = time.perf_counter()
        status, _, _ = client.request("GET", "/inbox")
        status, page, _ = client.request("GET", f"/tasks/{task_id}")
        assert status == 200, f"task page {task_id}: {status}"
        posted = time.perf_counter()
        # The token and the version the page showed, as a browser sends them. (Not the register's
        # `present_members_shown` marker: the bench types the counts, it ticks no member.)
        hidden = {k: v for k, v in hidden_fields(page).items() if k in ("csrf_token", "_seen_version")}
        status, body, headers = client.request("POST", f"/tasks/{task_id}", hidden | form)
        post_took = time.perf_counter() - posted
        if status not in (302, 303):
            Path("/tmp/ketnap-bench-http-refused.html").write_text(page)
        assert status in (302, 303), f"POST /tasks/{task_id} ({task.spec_name}): {status} {refusal(body)}"
        statements = int(headers.get("X-Statements", 0))
        client.request("GET", urlsplit(headers["Location"]).path)
        self.sequence.append(time.perf_counter() - started)
        self.post.append(post_took)
        self.statements.append(statements)
        self.pid = headers.get("X-Worker-Pid")
        db.session.expire_all()
        submitted = db.session.get(HumanTask, task_id).submitted
        self.raw.extend(raw_completion_times([(before, uuid, submitted)], self.loaded))
        if len(self.post) % 1000 == 0:
            self.rss.append((len(self.post), rss_mib(self.pid)))
            print(f"  {len(self.post):>6} completions: server process RSS {self.rss[-1][1]:.1f} MiB", flush=True)

    def drive(self, instance_id):
        for _ in range(300):
            tasks = self.open_tasks(instance_id)
            if tasks:
                self.complete(tasks[0])
                continue
            instance = db.session.get(ProcessInstance, instance_id)
            db.session.refresh(instance)
            if instance.next_timer_at is None:
                return instance.status
            # The probation year: fired as the timer worker fires it, with the clock where the timer falls
            # due; the steps after it are then typed with today's dates, as the server's clock is real.
            fire_instance_timers(instance_id, max(datetime.now(UTC), instance.next_timer_at) + timedelta(minutes=1))
        raise RuntimeError(f"case {instance_id} did not end")

    def local_day(self):
        return (datetime.now(UTC) + timedelta(hours=7)).date()


def fmt(label, stats, raw=None):
    ratio = (f"  ({stats['median_ms'] / raw['median_ms']:.1f}x / {stats['p95_ms'] / raw['p95_ms']:.1f}x"
             f" / {stats['p99_ms'] / raw['p99_ms']:.1f}x raw)") if raw else ""
    return (f"  {label:<44} n={stats['n']:>5}  median {stats['median_ms']:7.2f}  p95 {stats['p95_ms']:7.2f}"
            f"  p99 {stats['p99_ms']:7.2f} ms{ratio}")


def run(cases):
    app = make_app("postgres", database=DATABASE)
    with app.app_context():
        deploy(files_from_directories(ROOT / "processes", ROOT / "forms"), comment="bench")
        tree, users = build_world(START)
        db.session.commit()
        url = db.engine.url.render_as_string(hide_password=False)
        port = free_port()
        log = open(Path(os.environ.get("TMPDIR", "/tmp")) / "ketnap-bench-http.log", "w")
        server = start_server(url, port, log)
        try:
            version = active_version()
            driver = HttpDriver(port, loaded_version(version.id, version.content_hash).process)
            cells = tree["cells"]
            statuses = {}
            started = time.perf_counter()
            for index in range(cases):
                cell = cells[index % len(cells)]
                case = register_and_start(users[(cell.code, "cell_secretary")], cell.id, {
                    "full_name": f"Học sinh {index}", "date_of_birth": datetime(2006, 1, 1).date(), "sex": "F",
                    "citizen_id": f"{index:012d}", "school": cell.name, "class_name": "12A"}, now=START)
                status = driver.drive(case.id)
                statuses[status] = statuses.get(status, 0) + 1
            wall = time.perf_counter() - started
            final_rss = rss_mib(driver.pid)
        finally:
            server.terminate()
            server.wait(timeout=60)
            log.close()
        db.engine.dispose()
    raw, post, sequence = percentiles(driver.raw), percentiles(driver.post), percentiles(driver.sequence)
    ordered = sorted(driver.statements)
    print(f"\n[http, gunicorn 1 process × 1 thread, PostgreSQL] {cases} lifecycles, {len(driver.post)} completions"
          f" in {wall:.0f} s; cases ended: {statuses}")
    print(fmt("raw SpiffWorkflow, same completion", raw))
    print(fmt("HTTP POST of the task form", post, raw))
    print(fmt("inbox → task page → POST → redirect", sequence, raw))
    print(f"  {'SQL statements per POST':<44} median {statistics.median(ordered):.0f}  min {ordered[0]}"
          f"  max {ordered[-1]}")
    print(f"  {'server process RSS at the end':<44} {final_rss:.1f} MiB; every 1,000: {driver.rss}")
    print(f"  targets: POST median ≤ 2x raw ({post['median_ms'] / raw['median_ms']:.1f}x), p95 ≤ 3x "
          f"({post['p95_ms'] / raw['p95_ms']:.1f}x); sequence ≤ 5x ({sequence['median_ms'] / raw['median_ms']:.1f}x)")
    return {"cases": cases, "completions": len(driver.post), "raw": raw, "post": post, "sequence": sequence,
            "statements": {"median": statistics.median(ordered), "min": ordered[0], "max": ordered[-1]},
            "rss_mib": driver.rss, "final_rss_mib": final_rss, "statuses": statuses}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=48, help="lifecycles (≈ 21 completions each); "
                        "480 for the 10,000-completion memory check")
    parser.add_argument("--quick", action="store_true", help="3 lifecycles (about a minute)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    result = run(3 if args.quick else args.cases)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
