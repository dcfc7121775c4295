"""Hardened parsing and timer expressions as modelers write them."""
import pytest

from webapp.engine.errors import ProcessDefinitionError
from webapp.engine.timers import normalise_timer_expression
from webapp.engine.xmlsafe import parse_xml

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<definitions>&x;</definitions>"""

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<definitions>&b;</definitions>"""


@pytest.mark.parametrize("payload", [XXE, BOMB])
def test_doctype_and_entities_are_refused(payload):
    with pytest.raises(ProcessDefinitionError, match="DOCTYPE"):
        parse_xml(payload, file_name="evil.bpmn")


@pytest.mark.parametrize("payload, reason", [
    (b"", "empty"),
    (b"<definitions><process>", "not well-formed"),
    ("<d>\u00e9</d>".encode("latin-1"), "UTF-8"),
])
def test_broken_files_get_one_clear_message(payload, reason):
    with pytest.raises(ProcessDefinitionError, match=reason):
        parse_xml(payload, file_name="broken.bpmn")


def test_oversized_files_are_refused_before_parsing():
    with pytest.raises(ProcessDefinitionError, match="limit"):
        parse_xml(b"<a>" + b" " * 100 + b"</a>", file_name="big.bpmn", max_bytes=50)


@pytest.mark.parametrize("written, expected", [
    ("P12M", "'P12M'"),
    ("PT30S", "'PT30S'"),
    ("2026-07-01T00:00:00+07:00", "'2026-07-01T00:00:00+07:00'"),
    ("probation_end + 'T00:00:00+07:00'", "probation_end + 'T00:00:00+07:00'"),
    ('"P1D"', '"P1D"'),
])
def test_bare_iso_timers_are_quoted_and_expressions_kept(written, expected):
    assert normalise_timer_expression(written) == expected
