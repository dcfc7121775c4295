"""CSV that a spreadsheet opens as data: no cell of ours can become a formula.

Excel, LibreOffice and Google Sheets run a cell that starts with `=`, `+`, `-` or `@` as a formula
(`=HYPERLINK(...)` in a student's name reached an auditor's spreadsheet), and a leading tab or
carriage return hides such a start from a naive check. Every CSV the application writes goes
through `csv_writer`, which prefixes those cells with an apostrophe (OWASP's advice): the
spreadsheet shows the text as typed, and the apostrophe tells a reader it was neutralised.

A long export is streamed (`csv_chunks`): the rows go out in chunks as the database hands them
over, so neither the rows nor the text of 50,000 cases is ever held in memory at once.
"""
import csv
import io

#: What a spreadsheet reads as the start of a formula (OWASP "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value):
    """The cell as written: text starting like a formula gets a leading apostrophe; other values as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _SafeWriter:
    """csv.writer's interface, every cell neutralised on the way out."""

    def __init__(self, out, **options):
        self._writer = csv.writer(out, **options)

    def writerow(self, row):
        return self._writer.writerow([neutralised(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(out, **options):
    """A csv.writer for `out` whose every cell is neutralised (the only way the application writes CSV)."""
    return _SafeWriter(out, **options)


#: Rows written before a chunk goes out: ~60 KB of text, few enough calls into the server.
ROWS_PER_CHUNK = 500


def csv_chunks(header, rows, *, rows_per_chunk=ROWS_PER_CHUNK):
    """The CSV as UTF-8 byte chunks, with a BOM so Excel reads Vietnamese; every cell neutralised.

    The first chunk is the header alone, before `rows` is touched: the download starts at once.
    `rows` is consumed lazily (a generator over a database cursor): memory holds one chunk at a time.
    """
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv_writer(out)
    writer.writerow(header)
    yield out.getvalue().encode("utf-8")
    out.seek(0)
    out.truncate()
    for count, row in enumerate(rows, 1):
        writer.writerow(row)
        if count % rows_per_chunk == 0:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")
