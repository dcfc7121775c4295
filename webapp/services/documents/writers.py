"""A filled document as .docx (python-docx: editable, as Vietnamese offices work) and as PDF (fpdf2).

Layout of party documents (Hướng dẫn 12/38 on forms, Hướng dẫn 36 on presentation): a two-column
header, the issuing committee and the number on the left, "ĐẢNG CỘNG SẢN VIỆT NAM" (underlined)
and the italic place-date line on the right; the title centred in bold capitals; the body
justified; the signature block on the right. A4, margins 20/15/30/15 mm, a Times-like serif at 13-14 pt.

The PDF needs a Unicode TrueType font with Vietnamese: Liberation Serif 2 (Debian
fonts-liberation2, metric-compatible with Times New Roman) where installed, else DejaVu Serif
(fonts-dejavu-core). The .docx names Times New Roman, which the reader's Word supplies.
"""
import io
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from fpdf import FPDF
from fpdf.enums import XPos, YPos

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"
FONT_FAMILIES = (
    ("/usr/share/fonts/truetype/liberation2", "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf",
     "LiberationSerif-Italic.ttf"),
    ("/usr/share/fonts/truetype/dejavu", "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf"),
)
WORD_FONT = "Times New Roman"


class NoFont(RuntimeError):
    """No Unicode serif font is installed for the PDF (the docs name the Debian packages)."""


def _font_files():
    for folder, *names in FONT_FAMILIES:
        paths = [Path(folder) / name for name in names]
        if all(path.is_file() for path in paths):
            return paths
    raise NoFont("install fonts-liberation2 or fonts-dejavu-core for the PDF documents")


def _is_heading(line):
    """Signature headings (T/M CHI BỘ, BÍ THƯ) are written in capitals and printed bold."""
    return line.isupper()


# --- .docx ------------------------------------------------------------------------------------------


def _run(paragraph, text, *, bold=False, italic=False, underline=False, size=13):
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.name, run.font.size = WORD_FONT, Pt(size)
    return run


def _cell_line(cell, text, first, **style):
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    _run(paragraph, text, **style)


def to_docx(doc):
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    corner = document.add_paragraph()
    corner.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(corner, f"Mẫu {doc.code}", italic=True, size=11)
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    for i, line in enumerate(doc.issuer):
        _cell_line(left, line, i == 0, bold=i == len(doc.issuer) - 1, size=13)
    if doc.issuer:
        _cell_line(left, "*", False, size=13)
    if doc.number:
        _cell_line(left, doc.number, not doc.issuer, size=13)
    _cell_line(right, doc.authority, True, bold=True, underline=True, size=14)
    _cell_line(right, doc.place_date, False, italic=True, size=13)
    for text, style in ((doc.title, {"bold": True, "size": 14}), (doc.subtitle, {"bold": True, "size": 13}),
                        (doc.addressee, {"size": 13})):
        if text:
            paragraph = document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(paragraph, text, **style)
    for item in doc.body:
        paragraph = document.add_paragraph()
        if isinstance(item, tuple):
            _run(paragraph, item[1], bold=True, size=13)
        else:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            paragraph.paragraph_format.first_line_indent = Mm(10)
            _run(paragraph, item, size=13)
    signature = document.add_table(rows=1, cols=2).rows[0].cells[1]
    for i, line in enumerate(doc.signature):
        _cell_line(signature, line, i == 0, bold=_is_heading(line), italic=line.startswith("("), size=13)
    out = io.BytesIO()
    document.core_properties.title = f"{doc.code} {doc.title}".strip()
    document.save(out)
    return out.getvalue()


# --- PDF -------------------------------------------------------------------------------------------


class _Pdf(FPDF):
    def line_block(self, x, width, lines):
        """Centred lines in a column starting at x; returns the y below them."""
        for text, style, size in lines:
            self.set_x(x)
            self.set_font("serif", style, size)
            self.multi_cell(width, 6, text, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        return self.get_y()


def to_pdf(doc):
    regular, bold, italic = _font_files()
    pdf = _Pdf(format="A4")
    pdf.set_margins(30, 20, 15)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_font("serif", "", str(regular))
    pdf.add_font("serif", "B", str(bold))
    pdf.add_font("serif", "I", str(italic))
    pdf.set_title(f"{doc.code} {doc.title}".strip())
    pdf.add_page()
    width = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    pdf.set_font("serif", "I", 11)
    pdf.cell(0, 5, f"Mẫu {doc.code}", align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    top = pdf.get_y()
    left = [(line, "B" if i == len(doc.issuer) - 1 else "", 13) for i, line in enumerate(doc.issuer)]
    left += ([("*", "", 13)] if doc.issuer else []) + ([(doc.number, "", 13)] if doc.number else [])
    bottom_left = pdf.line_block(pdf.l_margin, width, left)
    pdf.set_y(top)
    bottom_right = pdf.line_block(pdf.l_margin + width, width, [(doc.authority, "BU", 13), (doc.place_date, "I", 12)])
    pdf.set_y(max(bottom_left, bottom_right) + 8)
    full = pdf.w - pdf.l_margin - pdf.r_margin
    for text, style, size in ((doc.title, "B", 14), (doc.subtitle, "B", 13), (doc.addressee, "", 13)):
        if text:
            pdf.set_font("serif", style, size)
            pdf.multi_cell(full, 7, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    for item in doc.body:
        if isinstance(item, tuple):
            pdf.set_font("serif", "B", 13)
            pdf.multi_cell(full, 7, item[1], align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        else:
            pdf.set_font("serif", "", 13)
            pdf.multi_cell(full, 7, item, align="J", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)
    pdf.ln(6)
    x = pdf.l_margin + width
    for line in doc.signature:
        pdf.set_x(x)
        pdf.set_font("serif", "B" if _is_heading(line) else ("I" if line.startswith("(") else ""), 13)
        pdf.multi_cell(width, 7, line, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    return bytes(pdf.output())
