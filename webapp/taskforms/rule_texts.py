"""Rule values written into a form's texts as `{rule:name}`, filled from the case's rule set.

A hint such as "Phải tham gia ít nhất {rule:course_min_attendance_percent}% thời gian học." says
the number of the rule set the case follows (2021 or 2025), so a form never repeats a number a
new regulation may change (issue 10). A fraction is written "2/3", a decimal the language's way
("5,0" / "5.0"). A sentence whose value the rule set does not have (None: e.g. the 2025 class
size under 2021) is left out. Outside a case (the administrator's preview) the rule sets' common
default is shown. A text naming a rule value the case's rule set marks unconfirmed [U] is
reported as such, so the page can mark it "chưa xác nhận trong văn bản". The rule sets are read
at each call (`rulesets.RULE_SETS`), never copied.

Unknown names are refused when the form is loaded (`unknown_rule_names`), never at render time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

from webapp.rules import rulesets
from webapp.rules.rulesets import RuleSet

from .messages import fmt_number, norm_lang

PLACEHOLDER = re.compile(r"\{rule:([A-Za-z_][A-Za-z0-9_]*)\}")
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+")
#: The rule values a text may quote: numbers and fractions (a flag or a label is no number).
_QUOTABLE = {f.name: f.default for f in fields(RuleSet)
             if f.name not in ("key", "label", "in_force_from", "in_force_to", "documents", "unconfirmed",
                               "age_day_counts")}


@dataclass(frozen=True)
class RuleText:
    text: str
    unconfirmed: tuple[str, ...] = ()  # the [U] rule values the text quotes


def rule_names(text: str | None) -> tuple[str, ...]:
    return tuple(PLACEHOLDER.findall(text or ""))


def unknown_rule_names(text: str | None) -> list[str]:
    """The `{rule:…}` names in `text` that are no quotable rule value (a load-time error)."""
    return [name for name in rule_names(text) if name not in _QUOTABLE]


def _value(rule_set: str | None, name: str) -> object:
    rules = rulesets.RULE_SETS.get(rule_set) if isinstance(rule_set, str) else None
    return getattr(rules, name) if rules is not None else _QUOTABLE.get(name)


def _shown(value: object, lang: str) -> str:
    if isinstance(value, tuple):
        return f"{value[0]}/{value[1]}"
    if isinstance(value, float):
        text = f"{value:.1f}"
        return text.replace(".", ",") if norm_lang(lang) == "vi" else text
    return fmt_number(value, lang) if isinstance(value, (int, float)) else str(value)


def _unconfirmed(rule_set: str | None, names: tuple[str, ...]) -> tuple[str, ...]:
    rules = rulesets.RULE_SETS.get(rule_set) if isinstance(rule_set, str) else None
    # Outside a case: unconfirmed in any rule set is said, to be on the safe side.
    everywhere = frozenset().union(*(held.unconfirmed for held in rulesets.RULE_SETS.values()))
    marked = rules.unconfirmed if rules is not None else everywhere
    return tuple(dict.fromkeys(name for name in names if name in marked))


def render(text: str | None, rule_set: str | None, lang: str) -> RuleText:
    """`text` with its `{rule:name}` values from `rule_set` (None: outside a case)."""
    if not text or "{rule:" not in text:
        return RuleText(text or "")
    kept, quoted = [], []
    for sentence in _SENTENCE_END.split(text):
        names = rule_names(sentence)
        if any(_value(rule_set, name) is None for name in names):
            continue  # this rule set has no such rule: the sentence does not apply
        quoted.extend(names)
        kept.append(PLACEHOLDER.sub(lambda match: _shown(_value(rule_set, match.group(1)), lang), sentence))
    return RuleText(" ".join(kept), _unconfirmed(rule_set, tuple(quoted)))
