"""A report as tables (`Sheet`s) — drawn by the page, written to .xlsx and to CSV from the same data.

Numbers stay numbers in the .xlsx (openpyxl writes int/float cells as numbers), text stays UTF-8,
and text that a spreadsheet would run as a formula is neutralised as in every CSV we write
(services/exports.neutralised). The workbook is written in openpyxl's write-only mode: one pass,
nothing held but the rows.
"""
import io
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from ..exports import csv_writer, neutralised


@dataclass(frozen=True)
class Cell:
    value: object  # int, float, str or None
    href: str | None = None  # the cases behind a number (pages only)
    testid: str | None = None


@dataclass
class Sheet:
    key: str
    title: str
    header: list
    rows: list = field(default_factory=list)  # lists of Cell or plain values
    note: str = ""
    header_groups: list = field(default_factory=list)  # [(label, span)] above the header (the form's groups)


def plain(value):
    return value.value if isinstance(value, Cell) else value


def _sheet_name(title, used):
    name = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28] or "Sheet"
    while name in used:
        name = name[:26] + f"{len(used)}"
    used.add(name)
    return name


def xlsx_bytes(sheets, *, heading=""):
    """The sheets as one .xlsx workbook (one worksheet each)."""
    book = Workbook(write_only=True)
    used = set()
    for sheet in sheets:
        out = book.create_sheet(_sheet_name(sheet.title, used))
        bold = Font(bold=True)
        title = WriteOnlyCell(out, value=neutralised(sheet.title))
        title.font = bold
        out.append([title])
        if heading:
            out.append([neutralised(heading)])
        if sheet.note:
            out.append([neutralised(sheet.note)])
        if sheet.header_groups:
            row = []
            for label, span in sheet.header_groups:
                row.extend([neutralised(label)] + [None] * (span - 1))
            out.append(row)
        header = []
        for label in sheet.header:
            cell = WriteOnlyCell(out, value=neutralised(label))
            cell.font = bold
            header.append(cell)
        out.append(header)
        for row in sheet.rows:
            out.append([neutralised(plain(value)) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(sheets, *, heading=""):
    """The sheets one after another in one CSV (UTF-8 with a BOM, as every export: Excel reads Vietnamese)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv_writer(out)
    for index, sheet in enumerate(sheets):
        if index:
            writer.writerow([])
        writer.writerow([sheet.title])
        if heading:
            writer.writerow([heading])
        if sheet.note:
            writer.writerow([sheet.note])
        writer.writerow(sheet.header)
        writer.writerows([plain(value) for value in row] for row in sheet.rows)
    return out.getvalue().encode("utf-8")
