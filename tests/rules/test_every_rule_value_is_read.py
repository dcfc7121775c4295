"""Issue 10: no rule value read nowhere. Each number of the rule sets is used by the code, a diagram or a
form where the procedure applies it — or it is not held (webapp/rules/rulesets.py says which were
dropped and why). A read is the name quoted as the code reads a rule (`rule_value(rule_set, 'name')`,
a check's `"minimum_rule": "name"`, a task's `dueWorkingDaysRule`), quoted in a form text as
`{rule:name}`, or read as an attribute (`rules.name`); a comment or a docstring naming it is no read.
"""
import re
from dataclasses import fields
from pathlib import Path

from webapp.rules.rulesets import RULE_SETS, RuleSet

ROOT = Path(__file__).resolve().parents[2]
#: What a rule set is, not a number of it.
NOT_RULES = {"key", "label", "in_force_from", "in_force_to", "documents", "unconfirmed"}


def _sources():
    paths = [*ROOT.glob("webapp/**/*.py"), *ROOT.glob("webapp/templates/**/*.html"), *ROOT.glob("processes/*.bpmn"),
             *ROOT.glob("forms/*.json")]
    for path in paths:
        if path.name == "rulesets.py":
            continue  # where the values are held is not where they are used
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".py":  # comments and docstrings name rules without reading them
            text = re.sub(r'"""[\s\S]*?"""|#[^\n]*', "", text)
        yield path, text


def _reads(name, text):
    return re.search(rf"""['"]{name}['"]|\{{rule:{name}\}}|\.{name}\b""", text) is not None


def test_every_rule_value_is_read_somewhere():
    names = [field.name for field in fields(RuleSet) if field.name not in NOT_RULES]
    sources = list(_sources())
    unread = [name for name in names if not any(_reads(name, text) for _path, text in sources)]
    assert unread == [], f"rule values read nowhere (use them where the procedure applies them, or drop them): {unread}"


def test_the_finder_sees_a_read_and_not_a_mention():
    assert _reads("probation_months", "months = rule_value(instance.rule_set, 'probation_months')")
    assert _reads("course_resit_days", '"help": "trong vòng {rule:course_resit_days} ngày."')
    assert not _reads("probation_months", "probation_months_total = 3")


def test_every_unconfirmed_name_is_a_rule_value():
    names = {field.name for field in fields(RuleSet)} - NOT_RULES
    assert all(rules.unconfirmed <= names for rules in RULE_SETS.values())
