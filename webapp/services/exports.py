"""CSV that a spreadsheet opens as data: no cell of ours can become a formula.

Excel, LibreOffice and Google Sheets run a cell that starts with `=`, `+`, `-` or `@` as a formula
(`=HYPERLINK(...)` in a student's name reached an auditor's spreadsheet), and a leading tab or
carriage return hides such a start from a naive check. Every CSV the application writes goes
through `csv_writer`, which prefixes those cells with an apostrophe (OWASP's advice): the
spreadsheet shows the text as typed, and the apostrophe tells a reader it was neutralised.
"""
import csv

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
