"""A report table's cells as HTML, in Python: the first of a row a header cell, the others right-aligned.

A number is written with '.' between thousands (Vietnamese), a share with one decimal, nothing as
'–'; a number with its cases behind it is a link, and a cell with a test id carries it.
"""
from markupsafe import Markup, escape


def _text(shown):
    if shown is None:
        return "–"
    if isinstance(shown, bool):
        return str(shown)
    if isinstance(shown, int):
        return f"{shown:,}".replace(",", ".")
    if isinstance(shown, float):
        return f"{shown:.1f}"
    return str(shown)


def report_cell(value):
    shown = getattr(value, "value", value)
    href, testid = getattr(value, "href", None), getattr(value, "testid", None)
    text = escape(_text(shown))
    testid_attr = Markup(' data-testid="{}"').format(testid) if testid else ""
    if href and shown is not None:
        return Markup('<a href="{}"{}>{}</a>').format(href, testid_attr, text)
    if testid:
        return Markup("<span{}>{}</span>").format(testid_attr, text)
    return Markup(text)


def report_row(row):
    cells = [Markup('<th scope="row">{}</th>').format(report_cell(value)) if index == 0
             else Markup('<td class="text-end">{}</td>').format(report_cell(value)) for index, value in enumerate(row)]
    return Markup("").join(cells)
