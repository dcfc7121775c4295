"""Diagrams are stored as UTF-8: a file written in another encoding is converted when it is deployed.

libxml2 reads UTF-16 (by its byte-order mark) or a declared `encoding="windows-1258"` correctly,
but everything after the parser — the diagram editor, the XML view, the diff of two versions —
reads the stored bytes as UTF-8 and would show such a file garbled. So the text is decoded by its
byte-order mark or declaration, the declaration is rewritten to say UTF-8, and the UTF-8 bytes are
what is validated and stored. A file with neither stays as it is: XML without a declaration is UTF-8,
and the parser says so when it is not.
"""
import codecs
import re

_BOMS = (  # longest first: the UTF-32 LE mark begins with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_UNMARKED = ((b"<\0?\0", "utf-16-le"), (b"\0<\0?", "utf-16-be"))  # '<?' of a declaration without a mark
_DECLARED = re.compile(rb"""^<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']""")
_DECLARATION_ENCODING = re.compile(r"""^(<\?xml[^>]*?\sencoding\s*=\s*)(["'])[A-Za-z0-9._-]{1,40}\2""")


def _detected(data):
    """(codec name, bytes to skip) or None when the bytes are (or claim to be) UTF-8."""
    for mark, name in _BOMS:
        if data.startswith(mark):
            return name, len(mark)
    for start, name in _UNMARKED:
        if data.startswith(start):
            return name, 0
    declared = _DECLARED.match(data)
    if declared:
        return declared.group(1).decode("ascii").lower(), 0
    return None


def as_utf8(data):
    """`data` (the bytes of one XML file) as UTF-8 with a declaration saying so.

    Unchanged when it is UTF-8 already, names an encoding Python does not know, or does not decode
    in the encoding it names: the parser then refuses it with its own reason.
    """
    if not isinstance(data, bytes):
        return data
    detected = _detected(data)
    if detected is None:
        return data
    name, skip = detected
    try:
        if codecs.lookup(name).name == "utf-8" and not skip:
            return data
        text = data[skip:].decode(name)
    except (LookupError, UnicodeDecodeError):
        return data
    if not text.lstrip().startswith("<"):  # e.g. ASCII bytes declaring UTF-16: decoded, but as nonsense
        return data
    return _DECLARATION_ENCODING.sub(r"\1\2UTF-8\2", text, count=1).encode("utf-8")


def files_as_utf8(files):
    """{name: bytes} with every diagram (.bpmn, .dmn) converted to UTF-8; other files as they are."""
    return {name: as_utf8(content) if name.endswith((".bpmn", ".bpmn20.xml", ".dmn")) else content
            for name, content in files.items()}
