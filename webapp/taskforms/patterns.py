"""Form `pattern`s run on RE2, a linear-time regular-expression engine.

Python's `re` backtracks: `^(a+)+$` against fifty `a` and a `!` takes longer than the age of the
universe, and one such submission would hold a server process. RE2 answers in time proportional to
the text whatever the pattern is; what it cannot do in linear time (back-references, look-arounds)
it refuses to compile, so such a pattern is refused when the form is deployed.

RE2's `\\w` and `\\d` are ASCII; JSON Schema authors (and Python's `re`, which these patterns ran on
before) mean Unicode letters and digits — a Vietnamese name is all `\\w`. They are rewritten to
the Unicode classes before compiling. (`\\b` and `\\s` stay RE2's ASCII ones.)
"""
from functools import lru_cache

import re2

_WORD = r"\p{L}\p{N}_"
_DIGIT = r"\p{Nd}"
_OUTSIDE = {"w": f"[{_WORD}]", "W": f"[^{_WORD}]", "d": _DIGIT, "D": r"\P{Nd}"}
_INSIDE = {"w": _WORD, "d": _DIGIT}


class PatternError(ValueError):
    """RE2 cannot compile the pattern; the message says why (in English, RE2's words)."""


def _options():
    options = re2.Options()
    options.log_errors = False  # a refused pattern is the admin's business, not the server log's
    return options


def _unicode_classes(pattern):
    """`pattern` with \\w, \\W, \\d, \\D meaning what they mean in Python's `re` on text."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            escaped = pattern[i + 1]
            table = _INSIDE if in_class else _OUTSIDE
            out.append(table.get(escaped, char + escaped))
            i += 2
            continue
        if char == "[" and not in_class:
            in_class = True
            out.append(char)
            i += 1
            if pattern[i:i + 1] == "^":
                out.append("^")
                i += 1
            if pattern[i:i + 1] == "]":  # a leading ] is a literal
                out.append("]")
                i += 1
            continue
        if char == "]" and in_class:
            in_class = False
        out.append(char)
        i += 1
    return "".join(out)


@lru_cache(maxsize=512)
def compile_pattern(pattern):
    """The compiled RE2 expression, or PatternError when RE2 cannot run `pattern`."""
    try:
        return re2.compile(_unicode_classes(pattern), _options())
    except re2.error as error:
        detail = error.args[0] if error.args else error
        if isinstance(detail, bytes):
            detail = detail.decode("utf-8", "replace")
        raise PatternError(f"this pattern cannot run on the linear-time engine RE2 ({detail}); "
                           "back-references and look-arounds are not supported") from None


def pattern_matches(pattern, text):
    """JSON Schema's `pattern`: does it match anywhere in `text` (unanchored, like re.search)?"""
    return compile_pattern(pattern).search(text) is not None
