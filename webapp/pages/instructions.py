"""A step's instructions (SpiffArena's instructionsForEndUser) as safe HTML: a small Markdown subset.

Everything the modeler wrote is escaped first, then only these are turned into tags: paragraphs
(blank lines), line breaks, `- ` / `* ` bullet lists, `1. ` numbered lists, `#` headings (shown as
a bold line), **bold**, *italic* and `code`. Links, images and raw HTML stay as text, so a
`<script>` in the instructions is shown, never run. `{{ name }}` is replaced by the plain value of
that task data field (services.instructions) — escaped like the rest; nothing is evaluated.
"""
import re

from markupsafe import Markup, escape

from ..services.instructions import PLACEHOLDER

MAX_CHARS = 20_000
BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
NUMBERED = re.compile(r"^\s*\d{1,3}[.)]\s+(.*)$")
HEADING = re.compile(r"^\s*#{1,6}\s+(.*)$")
CODE = re.compile(r"`([^`\n]+)`")
BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
ITALIC = re.compile(r"(?<![*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*\w])")


def _inline(text, values):
    html = str(escape(text))  # from here on only fixed tags and escaped text are added
    html = CODE.sub(r"<code>\1</code>", html)
    html = BOLD.sub(r"<strong>\1</strong>", html)
    html = ITALIC.sub(r"<em>\1</em>", html)

    def value(match):
        name = match.group(1)
        return str(escape(_plain(values[name]))) if name in values else match.group(0)
    return PLACEHOLDER.sub(value, html)


def _plain(value):
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return str(value)


def _list(tag, pattern, lines, values):
    items = "".join(f"<li>{_inline(pattern.match(line).group(1), values)}</li>" for line in lines)
    return f"<{tag}>{items}</{tag}>"


def _block(block, values):
    lines = [line.rstrip() for line in block.split("\n")]
    if all(BULLET.match(line) for line in lines):
        return _list("ul", BULLET, lines, values)
    if all(NUMBERED.match(line) for line in lines):
        return _list("ol", NUMBERED, lines, values)
    if len(lines) == 1 and HEADING.match(lines[0]):
        return f'<p class="fw-semibold mb-1">{_inline(HEADING.match(lines[0]).group(1), values)}</p>'
    return "<p>" + "<br>".join(_inline(line.strip(), values) for line in lines) + "</p>"


def instructions_html(source, values=()):
    """Markup of `source` (the instructions as modelled); `values`: ((name, value), …) for {{ name }}."""
    text = (source or "").replace("\r\n", "\n").replace("\r", "\n").strip()[:MAX_CHARS]
    if not text:
        return Markup("")
    values = dict(values)
    blocks = [b for b in re.split(r"\n[ \t]*\n", text) if b.strip()]
    return Markup("".join(_block(block, values) for block in blocks))  # every piece was escaped above
