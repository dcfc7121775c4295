"""Security headers on every response, static files cached under content-hashed URLs, stored files
served inert, URL integers no database can hold answered with a 404.

Real requests through the test client against the real database; the browser half of these
findings (no CSP violation on any page, no script run from a stored diagram) is tests/e2e/test_csp.py.
"""
import hashlib
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.routing import IntegerConverter

from webapp.extensions import db
from webapp.models import Attachment, ProcessFile, ProcessInstance, ProcessVersion
from webapp.pages.converters import LARGEST, DatabaseIntConverter, at_most, url_int
from webapp.pages.headers import FILE_POLICY, PAGE_POLICY
from webapp.pages.static_files import FOREVER, REVALIDATE, ContentVersions

from .helpers import db_state, heading, html, tiny_pdf

STATIC = Path(__file__).resolve().parents[2] / "webapp" / "static"
AUDITOR = "tq.auditor"
SECRETARY = "tq-ln-thpt.cell_secretary"
XHTML_SCRIPT = (b'<bpmn:documentation><html:script xmlns:html="http://www.w3.org/1999/xhtml">'
                b'fetch("/cases/1").then(r => r.text()).then(t => fetch("/stolen?" + encodeURIComponent(t)))'
                b'</html:script></bpmn:documentation>')


def directives(policy):
    return dict((part.split(" ", 1) + [""])[:2] for part in (p.strip() for p in policy.split(";")) if part)


def assert_secured(response, *, policy=PAGE_POLICY):
    headers = response.headers
    assert headers["Content-Security-Policy"] == policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def assert_not_kept(response):
    assert response.headers["Cache-Control"] == "no-store"
    assert "Expires" not in response.headers


@pytest.fixture()
def finished_case(start_case, driver):
    case = start_case("TQ-LN-THPT", full_name="Phạm Thị Hoa")
    driver.run(case.id, until="record_cell_vote")
    return case


# --- the policy ---------------------------------------------------------------------------------------


def test_the_page_policy_allows_only_our_own_scripts():
    policy = directives(PAGE_POLICY)
    assert policy["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval', no other origin
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["default-src"] == "'self'"
    assert "unsafe" not in PAGE_POLICY and "*" not in PAGE_POLICY and "http" not in PAGE_POLICY
    assert directives(FILE_POLICY)["sandbox"] == "" and directives(FILE_POLICY)["default-src"] == "'none'"


def test_every_kind_of_dynamic_response_is_secured_and_never_kept(browser, as_user, finished_case):
    anonymous = [browser.get("/login"), browser.get("/inbox"), browser.get("/healthz"),
                 browser.get("/no-such-page"), browser.get("/login", headers={"Accept": "application/json"})]
    assert [r.status_code for r in anonymous] == [200, 302, 200, 404, 200]
    auditor = as_user(AUDITOR)
    signed_in = [auditor.get("/inbox"), auditor.get(f"/cases/{finished_case.id}/history"),
                 auditor.get(f"/cases/{finished_case.id}/diagram.json"),
                 auditor.get("/cases/999999", headers={"Accept": "application/json"}),
                 auditor.get("/cases/999999")]
    assert [r.status_code for r in signed_in] == [200, 200, 200, 404, 404]
    assert signed_in[2].is_json and signed_in[3].is_json
    assert heading(signed_in[4]) == "Không tìm thấy"  # the error page is secured like any page
    for response in anonymous + signed_in:
        assert_secured(response)
        assert_not_kept(response)


def test_downloads_are_sandboxed_and_never_kept(as_user, finished_case, world):
    attachment = Attachment(instance_id=finished_case.id, task_spec=None, file_name="don.pdf",
                            content_type="application/pdf", size=len(tiny_pdf()),
                            sha256=hashlib.sha256(tiny_pdf()).hexdigest(),
                            uploaded_by_id=world.users[("TQ-LN-THPT", "cell_secretary")].id,
                            uploaded_at=datetime(2026, 1, 5, tzinfo=UTC), content=tiny_pdf())
    db.session.add(attachment)
    db.session.commit()
    secretary = as_user(SECRETARY)
    download = secretary.get(f"/attachments/{attachment.id}")
    assert download.status_code == 200 and download.data == tiny_pdf()
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert_secured(download, policy=FILE_POLICY)
    assert_not_kept(download)

    export = as_user(AUDITOR).get("/audit/cases.csv")
    if export.status_code == 200:  # (whether this role may export is need-to-know's business)
        assert export.headers["Content-Disposition"].startswith("attachment")
        assert_secured(export, policy=FILE_POLICY)
        assert_not_kept(export)


TEMPLATES = STATIC.parent / "templates"


def test_no_template_carries_inline_code_the_policy_would_block():
    """Scripts are files; the only inline <script> is a JSON data island, which no browser executes."""
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for attributes in re.findall(r"<script\b([^>]*)>", text):
            assert "src=" in attributes or 'type="application/json"' in attributes, (path.name, attributes)
        assert not re.search(r"\son[a-z]+\s*=", text), path.name  # onclick=, onload=, ...
        assert "javascript:" not in text.lower(), path.name
        assert not re.search(r"<style\b|\sstyle\s*=", text), path.name  # style-src 'self': no inline style


# --- static files -----------------------------------------------------------------------------------


def _static_urls(page):
    doc = html(page)
    return doc.xpath("//script/@src") + doc.xpath("//link[@rel='stylesheet']/@href")


def test_pages_name_static_files_by_content_and_those_urls_are_cached_for_a_year(browser, as_user, finished_case):
    diagram_page = as_user(AUDITOR).get(f"/cases/{finished_case.id}/diagram")
    urls = _static_urls(browser.get("/login")) + _static_urls(diagram_page)
    assert len(urls) >= 8
    for url in urls:
        match = re.fullmatch(r"/static/(?P<name>[\w./-]+)\?v=(?P<v>[0-9a-f]{12})", url)
        assert match, url
        assert match["v"] == hashlib.sha256((STATIC / match["name"]).read_bytes()).hexdigest()[:12]
        response = browser.get(url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == FOREVER
        assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("query", ["", "?v=", "?v=000000000000", "?v=../../x", "?v=" + "f" * 5000])
def test_a_static_url_without_the_current_hash_is_revalidated_not_kept(browser, query):
    response = browser.get("/static/ketnap.css" + query)
    assert response.status_code == 200 and b"font-size" in response.data
    assert response.headers["Cache-Control"] == REVALIDATE
    etag = response.headers["ETag"]
    again = browser.get("/static/ketnap.css" + query, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["Cache-Control"] == REVALIDATE


def test_the_fonts_bpmn_js_css_names_by_relative_url_are_served(browser):
    css = (STATIC / "vendor/bpmn-js/assets/bpmn-font/css/bpmn.css").read_text()
    fonts = re.findall(r"url\('\.\./font/([^'?#]+)", css)
    assert "bpmn.woff2" in fonts
    for font in set(fonts):
        response = browser.get(f"/static/vendor/bpmn-js/assets/bpmn-font/font/{font}?21877404")
        assert response.status_code == 200 and response.data
        assert response.headers["Cache-Control"] == REVALIDATE


@pytest.mark.parametrize("path", ["/static/../config.py", "/static/%2e%2e/config.py", "/static/nothing.js",
                                  "/static/vendor", "/static/ketnap.css/x"])
def test_a_static_address_outside_the_files_is_a_404(browser, path):
    response = browser.get(path + "?v=abc")
    assert response.status_code == 404
    assert response.headers["Cache-Control"] == REVALIDATE


def test_a_changed_file_gets_a_new_version(tmp_path):
    (tmp_path / "app.js").write_text("one")
    versions = ContentVersions(str(tmp_path))
    first = versions.of("app.js")
    assert first == hashlib.sha256(b"one").hexdigest()[:12]
    assert versions.of("app.js") == first
    (tmp_path / "app.js").write_text("two!")
    assert versions.of("app.js") == hashlib.sha256(b"two!").hexdigest()[:12]
    assert versions.of("missing.js") is None and versions.of("../etc/passwd") is None and versions.of(None) is None


# --- stored files ------------------------------------------------------------------------------------


def plant_script_in_the_diagram_of(version_id):
    """Whatever a deployment let through before: the stored admission.bpmn carries an XHTML script."""
    stored = db.session.execute(select(ProcessFile).where(ProcessFile.version_id == version_id,
                                                          ProcessFile.name == "admission.bpmn")).scalar_one()
    opening = re.search(rb"<bpmn:process [^>]*>", stored.content)
    stored.content = stored.content[:opening.end()] + XHTML_SCRIPT + stored.content[opening.end():]
    db.session.commit()
    return stored.content


def plant_script_in_the_diagram(instance_id):
    """The same, in the version the case runs on."""
    return plant_script_in_the_diagram_of(db.session.get(ProcessInstance, instance_id).version_id)


def test_a_stored_diagram_is_served_as_inert_text(as_user, finished_case):
    planted = plant_script_in_the_diagram(finished_case.id)
    before = db_state()
    response = as_user(AUDITOR).get(f"/cases/{finished_case.id}/diagram/admission.bpmn")
    assert response.status_code == 200
    assert response.data == planted  # the exact bytes, for bpmn-js to draw
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"  # never parsed as XML/XHTML
    assert_secured(response, policy=FILE_POLICY)
    assert_not_kept(response)
    assert db_state() == before


def _only_our_scripts(response):
    doc = html(response)
    for script in doc.xpath("//script"):
        assert script.get("src", "").startswith("/static/") or script.get("type") == "application/json"
    assert not doc.xpath("//*[local-name()='script' and contains(., 'stolen')]")


def test_admin_pages_show_a_planted_diagram_as_text(as_user, version, world):
    """The editor (XML tab) and the version diff show stored markup escaped, inside our page."""
    planted = plant_script_in_the_diagram_of(version.id)
    copy = ProcessVersion(process_id=version.process_id, number=version.number + 1, content_hash="0" * 64,
                          comment="copy", deployed_by_id=None, active=False)
    db.session.add(copy)
    db.session.flush()
    for stored in version.files:
        content = stored.content.replace(XHTML_SCRIPT, b"") if stored.name == "admission.bpmn" else stored.content
        db.session.add(ProcessFile(version_id=copy.id, name=stored.name, content=content))
    db.session.commit()
    admin = as_user("admin")
    editor = admin.get("/admin/processes/edit/admission.bpmn")
    assert editor.status_code == 200
    assert planted.decode() in html(editor).xpath("//textarea[@id='xml']/text()")[0]
    _only_our_scripts(editor)
    diff = admin.get(f"/admin/versions?old={version.id}&new={copy.id}")
    assert diff.status_code == 200 and "html:script" in "".join(html(diff).xpath("//pre[@class='diff mb-0']//text()"))
    _only_our_scripts(diff)
    for response in (editor, diff):
        assert_secured(response)
        assert_not_kept(response)


@pytest.mark.parametrize("name", ["nothing.bpmn", "admission.bpmn%00", "..%2Fadmission.bpmn", "<script>"])
def test_a_diagram_file_that_is_not_stored_is_a_404(as_user, finished_case, name):
    response = as_user(AUDITOR).get(f"/cases/{finished_case.id}/diagram/{name}")
    assert response.status_code == 404
    assert_secured(response)


# --- URL integers ------------------------------------------------------------------------------------

HUGE = "99999999999999999999999"


def _int_routes(app):
    """Every rule with an `<int:...>` part, and the names of those parts."""
    for rule in app.url_map.iter_rules():
        ints = [name for name, converter in rule._converters.items() if isinstance(converter, DatabaseIntConverter)]
        if ints:
            yield rule, ints


def _address(rule, ints, value):
    """The rule's address with `value` in every integer part (and a stored file's name elsewhere)."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>",
                  lambda part: str(value) if part.group(1) in ints else "admission.bpmn", rule.rule)


@pytest.mark.parametrize("limit", [0, 7, 10, 99, 100, 907, LARGEST, 2**63 - 1])
def test_the_pattern_matches_exactly_the_numbers_up_to_the_limit(limit):
    pattern = re.compile(at_most(limit))
    width = len(str(limit))
    numbers = {*range(0, 1200), *range(max(limit - 1200, 0), limit + 1200), limit * 10, limit * 10 + 9}
    for number in numbers:
        for text in {str(number), str(number).zfill(width)}:
            assert bool(pattern.fullmatch(text)) == (number <= limit and len(text) <= width), text


def test_every_integer_route_uses_the_bounded_converter(app):
    rules = list(_int_routes(app))
    assert len(rules) >= 12
    stock = [rule.rule for rule in app.url_map.iter_rules()
             if any(type(c) is IntegerConverter for c in rule._converters.values())]
    assert stock == []


@pytest.mark.parametrize("value", [str(LARGEST + 1), "9999999999", HUGE, str(2**63), "1" + "0" * 400, "٣", "１", "-1"])
def test_an_integer_no_database_holds_is_a_404_on_every_route(app, as_user, value):
    admin, auditor = as_user("admin"), as_user(AUDITOR)
    before = db_state()
    for rule, ints in _int_routes(app):
        address = _address(rule, ints, value)
        for who in (admin, auditor):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = who._open(method.lower(), address)
                assert response.status_code == 404, (method, address, response.status_code)
                if method == "GET":
                    assert heading(response) == "Không tìm thấy", address
    assert db_state() == before


def test_the_largest_id_is_looked_up_and_not_found(app, as_user):
    admin, auditor = as_user("admin"), as_user(AUDITOR)
    before = db_state()
    for rule, ints in _int_routes(app):
        if "GET" not in rule.methods:
            continue
        address = _address(rule, ints, LARGEST)
        for who in (admin, auditor):
            response = who.get(address)
            assert response.status_code in (403, 404), (address, response.status_code)
    assert db_state() == before


NUMBER_ARGUMENTS = {  # the pages that read a number from their query string, by who may open them
    "admin": ["/admin/versions?old={v}&new={v}", "/admin/users?page={v}", "/inbox?page={v}"],
    AUDITOR: ["/audit/cases?unit={v}&page={v}", "/audit/cases.csv?unit={v}&page={v}", "/cases?page={v}"],
    SECRETARY: ["/inbox?page={v}", "/cases?page={v}", "/batch/hold_ceremony?page={v}"],
}


@pytest.mark.parametrize("value", [str(LARGEST + 1), "9999999999", HUGE, "²", "٣", "-1", "1e9", " 1"])
def test_a_number_in_a_query_string_no_database_holds_is_ignored(as_user, value):
    before = db_state()
    for username, addresses in NUMBER_ARGUMENTS.items():
        who = as_user(username)
        for address in addresses:
            response = who.get(address.format(v=value))
            assert response.status_code in (200, 302, 403), (address, value, response.status_code)
            assert_secured(response, policy=FILE_POLICY if ".csv" in address and response.status_code == 200
                           else PAGE_POLICY)
    assert {k: v for k, v in db_state().items() if k != "events"} == {k: v for k, v in before.items() if k != "events"}


def test_the_query_string_rule_is_the_url_rule():
    assert url_int("42") == 42 and url_int(str(LARGEST)) == LARGEST
    for text in (str(LARGEST + 1), HUGE, "²", "٣", "-1", "", None, "4 2", "0x10"):
        assert url_int(text) is None and url_int(text, 1) == 1
