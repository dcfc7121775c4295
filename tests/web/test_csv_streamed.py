"""The auditor's CSV export is streamed (issue 14): chunks as the rows come, still the same CSV.

What a reader of the download relies on: a UTF-8 file with a BOM (Excel shows Vietnamese), the
header row, masked identity numbers, every formula-like cell neutralised, a download (not a page)
that no cache keeps. What the server relies on: the body goes out in chunks, the header before
any row, so 50,000 rows are never held in memory; and the export is recorded before the first row.
"""
import csv
import io

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import InstanceEvent
from webapp.services.exports import csv_chunks
from webapp.services.search import CSV_COLUMNS

HEADER = ("\ufeff" + ",".join(CSV_COLUMNS) + "\r\n").encode("utf-8")


def _parsed(body):
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_export_streams_the_header_first_then_the_rows(as_user, start_case):
    start_case("TQ-LN-THPT", full_name="=HYPERLINK(\"http://x\")", citizen_id="001207000901")
    start_case("TQ-LN-THPT", full_name="Nguyễn Thị Ánh Tuyết", citizen_id="001307000902", sex="F")
    response = as_user("tq.auditor").get("/audit/cases.csv")

    assert response.status_code == 200 and response.streamed
    assert response.sent_headers["Content-Type"] == "text/csv; charset=utf-8"  # once, not twice
    assert response.headers["Content-Disposition"] == "attachment; filename=ho-so.csv"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Content-Length" not in response.sent_headers  # not known before the last row is written
    assert response.chunks[0] == HEADER  # the download starts before the rows are read
    header, *rows = _parsed(response.get_data())
    assert tuple(header) == CSV_COLUMNS
    assert [row[1] for row in rows] == ["'=HYPERLINK(\"http://x\")", "Nguyễn Thị Ánh Tuyết"]
    assert rows[1][2] == "•" * 9 + "902" and rows[1][3] == "Nữ"


def test_the_export_is_recorded_with_the_rows_it_sends(as_user, start_case):
    for number in range(3):
        start_case("TQ-LN-THPT", full_name=f"Học sinh {number}", citizen_id=f"00120700{number:04d}")
    response = as_user("tq.auditor").get("/audit/cases.csv")
    _header, *rows = _parsed(response.get_data())
    exported = db.session.execute(select(InstanceEvent).where(InstanceEvent.kind == "cases_exported")).scalar_one()
    assert exported.payload == {"rows": len(rows), "filters": {}} and len(rows) == 3


def test_an_export_nobody_may_take_streams_nothing(as_user, start_case):
    start_case("TQ-LN-THPT", full_name="Lê Văn Bình", citizen_id="001207000903")
    response = as_user("tq-ln-thpt.cell_secretary").get("/audit/cases.csv")
    assert response.mimetype != "text/csv" and "Lê Văn Bình" not in response.get_data(as_text=True)
    assert db.session.execute(select(InstanceEvent).where(InstanceEvent.kind == "cases_exported")).first() is None


def test_long_exports_go_out_in_chunks_of_rows_and_say_the_same():
    rows = [(number, f"Trần Thị {number}", "-1" if number == 7 else "a") for number in range(1234)]
    chunks = list(csv_chunks(("Mã", "Họ và tên", "Ghi chú"), iter(rows), rows_per_chunk=500))
    assert len(chunks) == 1 + 3  # the header, then 500 + 500 + 234 rows
    header, *parsed = _parsed(b"".join(chunks))
    assert header == ["Mã", "Họ và tên", "Ghi chú"] and len(parsed) == 1234
    assert parsed[7] == ["7", "Trần Thị 7", "'-1"] and parsed[1233] == ["1233", "Trần Thị 1233", "a"]
