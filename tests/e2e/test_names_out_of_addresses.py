"""Personal data stays out of addresses and so out of the access log (issue 9).

The app is served by werkzeug's own server (tests/e2e/conftest.py), whose access log is what the
development server writes: one line per request with its path and query string. A user searches
by a student's name on the case search, the unit's cases and the inbox, pages through and exports
the CSV; neither the name nor the identity number may appear in any address the browser went to
nor in any log line, while the log did record those very requests.
"""
import csv
import io
import logging
from urllib.parse import quote, quote_plus

import pytest

NAME, CITIZEN_ID = "Lê Thị Hằng", "001307000111"
FORMULA = '=HYPERLINK("http://evil.example/","Bấm")'


def _encodings(text):
    return {text, quote(text), quote_plus(text), text.lower(), quote(text.lower()), quote_plus(text.lower())}


def _assert_clean(where, texts):
    for text in texts:
        for secret in _encodings(NAME) | {CITIZEN_ID, "Hằng", quote("Hằng"), quote_plus("Hằng")}:
            assert secret not in text, f"{secret!r} in {where}: {text!r}"


@pytest.fixture()
def access_log(caplog):
    caplog.set_level(logging.INFO)  # werkzeug's request lines and everything the app logs
    return caplog


def test_a_name_searched_for_is_in_no_address_and_no_log_line(person, start_case, driver, access_log):
    start_case("TQ-LN-THPT", full_name=NAME, citizen_id=CITIZEN_ID, sex="F")
    start_case("TQ-LN-THPT", full_name=FORMULA, citizen_id="001207000999")
    start_case("TQ-LN-THPT", full_name="Phạm Văn Khoa", citizen_id="001207000222")
    visited = []

    auditor = person("tq.auditor")
    page = auditor.go("/audit/cases")
    page.on("request", lambda request: visited.append(request.url))
    page.fill("[data-testid=search-form] input[name=q]", "Hằng")
    page.click("[data-testid=search-form] button[type=submit]")
    rows = page.locator("[data-testid=search-results] tbody tr[data-case]")
    assert rows.count() == 1 and NAME in rows.first.inner_text()
    assert "s=" in page.url and page.input_value("input[name=q]") == "Hằng"
    with page.expect_download() as download:
        page.click("[data-testid=export-csv]")
    lines = list(csv.reader(io.StringIO(open(download.value.path(), "rb").read().decode("utf-8-sig"))))
    assert [line[1] for line in lines[1:]] == [NAME]
    page.reload()  # the key keeps working within the session
    assert rows.count() == 1

    page.fill("[data-testid=search-form] input[name=q]", "HYPERLINK")
    page.click("[data-testid=search-form] button[type=submit]")
    assert rows.count() == 1
    with page.expect_download() as download:
        page.click("[data-testid=export-csv]")
    lines = list(csv.reader(io.StringIO(open(download.value.path(), "rb").read().decode("utf-8-sig"))))
    assert lines[1][1] == "'" + FORMULA  # the spreadsheet shows the text, never runs it

    youth = person("tq-ln-thpt.youth_union")
    for path, table in (("/inbox", "[data-testid=inbox] tbody tr"), ("/cases", "[data-testid=cases] tbody tr")):
        page = youth.go(path)
        page.on("request", lambda request: visited.append(request.url))
        page.fill("form input[name=q]", "Hằng")
        page.locator("form:has(input[name=q]) button[type=submit]").click()
        page.wait_for_load_state()
        assert "s=" in page.url and page.locator(table).count() == 1
        assert NAME in page.locator(table).first.inner_text()
        visited.append(page.url)

    requests_logged = [record.getMessage() for record in access_log.records if record.name == "werkzeug"]
    assert any("/audit/cases?s=" in line for line in requests_logged)  # the log did see those requests
    assert any("/audit/cases.csv?s=" in line for line in requests_logged)
    assert any("/inbox?" in line and "s=" in line for line in requests_logged)
    assert any("/cases?s=" in line for line in requests_logged)
    _assert_clean("the addresses the browser asked for", visited)
    _assert_clean("the access log", requests_logged)
    _assert_clean("the application's log", [record.getMessage() for record in access_log.records])
