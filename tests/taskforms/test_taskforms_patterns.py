"""Form patterns run on RE2 (linear time): a hostile pattern cannot hold the server (issue 9)."""
import json
import time

import pytest
import re2

from webapp.taskforms import FormDefinitionError, load_definition, validate_submission
from webapp.taskforms import patterns as patterns_module
from webapp.taskforms.patterns import PatternError, compile_pattern, pattern_matches

HOSTILE = "a" * 50 + "!"


def _form(pattern):
    schema = {"title": "Demo", "type": "object",
              "properties": {"code": {"type": "string", "maxLength": 100, "pattern": pattern}}}
    return load_definition("demo", json.dumps(schema).encode(), None)


@pytest.mark.parametrize("pattern", [r"^(a+)+$", r"^(a|a)*$", r"^(a|aa)+$", r"^(.*a){20}$", r"^([a-z]+)*[0-9]$"])
def test_a_catastrophic_pattern_answers_at_once_and_refuses_the_text(pattern):
    form = _form(pattern)  # deployable: RE2 runs it in linear time
    assert isinstance(compile_pattern(pattern), re2._Regexp)
    started = time.perf_counter()
    result = validate_submission(form, {"code": HOSTILE}, lang="vi")
    elapsed = time.perf_counter() - started
    assert result.errors["code"] and "code" not in result.data
    assert elapsed < 0.5, elapsed  # Python's re takes longer than anyone would wait; a sanity bound only


def test_every_submitted_pattern_goes_through_re2(monkeypatch):
    seen = []
    real = patterns_module.compile_pattern

    def spy(pattern):
        seen.append(pattern)
        return real(pattern)

    monkeypatch.setattr(patterns_module, "compile_pattern", spy)
    result = validate_submission(_form(r"^[0-9]+-NQ"), {"code": "12-NQ"}, lang="vi")
    assert result.data["code"] == "12-NQ" and not result.errors
    assert seen == [r"^[0-9]+-NQ"]


@pytest.mark.parametrize("pattern", [r"^(a)\1$", r"^(?=a)a", r"(?<!x)y", r"(?P<n>a)(?P=n)"])
def test_a_pattern_re2_cannot_run_is_refused_at_deployment(pattern):
    with pytest.raises(FormDefinitionError) as refused:
        _form(pattern)
    assert refused.value.key == "properties.code.pattern"
    assert "RE2" in str(refused.value) and "back-references and look-arounds" in str(refused.value)
    with pytest.raises(PatternError):
        compile_pattern(pattern)


@pytest.mark.parametrize("pattern, text, matches", [
    (r"^\w+$", "Nguyễn", True),                 # a Vietnamese name is all word characters, as in Python's re
    (r"^[\w ]+$", "Lê Thị Hồng", True),
    (r"^\d{12}$", "001207000001", True),
    (r"^\d{12}$", "00120700000", False),
    (r"^\W+$", "---", True),
    (r"^\W+$", "ễ", False),
    (r"^[^\d]+$", "abc", True),
    (r"[0-9]+-NQ", "Số 12-NQ/TW", True),         # unanchored, as JSON Schema says
    (r"^[\]a]+$", "]a", True),
    (r"^[]a]+$", "]a", True),
    (r"^\\w$", "\\w", True),                     # an escaped backslash is not a class
])
def test_patterns_mean_what_they_meant_on_pythons_re(pattern, text, matches):
    assert pattern_matches(pattern, text) is matches
