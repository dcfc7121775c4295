"""The vote checks: a vote record that adds up (`vote_tally`) and a body's decision that reaches its fraction
(`decision_vote`); `vote_minimum` and `vote_fraction` are also read by the task page and the confirmations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields as dataclass_fields

from webapp.rules import RuleSet, counted_members, tally_problems, threshold, vote_passes

from .check_values import FORM, Problem, count_value, from_rule_set
from .messages import message


def vote_minimum(params: Mapping, rule_set: str | None) -> int | None:
    """The fewest counted members a vote may be held with. The cell vote's form names the rule
    (`minimum_rule: min_cell_members`), so the number is the case's rule set's; a number written in
    the form itself still wins. Outside a case (no rule set) the rule sets' common default stands."""
    minimum = params.get("minimum_members")
    if minimum is None and params.get("minimum_rule"):
        name = str(params["minimum_rule"])
        common = next((f.default for f in dataclass_fields(RuleSet) if f.name == name), None)
        minimum = from_rule_set({"rule_set": rule_set}, name, None, common)
    return minimum


def vote_fraction(params: Mapping, rule_set: str | None) -> tuple[int, int]:
    """The (numerator, denominator) a vote or decision needs: written in the form (`numerator`,
    `denominator` of decision_vote), else the case's rule set's `fraction_rule` value, else the
    rule sets' common default (outside a case)."""
    if params.get("numerator") and params.get("denominator"):
        return params["numerator"], params["denominator"]
    name = str(params.get("fraction_rule") or "cell_vote_fraction")
    common = next((f.default for f in dataclass_fields(RuleSet) if f.name == name), (2, 3))
    fraction = from_rule_set({"rule_set": rule_set}, name, None, common)
    return fraction if isinstance(fraction, tuple) and len(fraction) == 2 else (2, 3)


def vote_tally(values: dict, context: Mapping, params: dict, lang: str) -> list[Problem]:
    """A vote record that does not add up (6-KNĐ, 8-KNĐ, 13-KNĐ, 15-KNĐ).

    counted = counted_members(members, attached, exempt_absent); then each tally_problems code
    is an error. A tally that fails the threshold is NOT an error: the process branches on it.
    """
    keys = {role: params.get(role) for role in ("members", "attached", "exempt_absent")}
    keys |= {role: params.get(role) for role in ("present", "agree", "disagree")}
    counts = {role: count_value(values, key) if key else 0 for role, key in keys.items()}
    if any(value is None for value in counts.values()):
        return []
    official, attached, exempt = counts["members"], counts["attached"], counts["exempt_absent"]
    present, agree, disagree = counts["present"], counts["agree"], counts["disagree"]
    if any(value < 0 for value in counts.values()):
        return [(FORM, message("tally_negative_count", lang))]
    if attached + exempt > official:
        target = keys["attached"] or keys["exempt_absent"] or keys["members"]
        text = message("tally_excluded_exceed_members", lang, excluded=attached + exempt, official=official)
        return [(target, text)]
    counted = counted_members(official, attached, exempt)
    minimum = vote_minimum(params, context.get("rule_set"))
    problems = []
    for code in tally_problems(
        members=counted, present=present, agree=agree, disagree=disagree, minimum_members=minimum
    ):
        if code == "too_few_members":
            text = message("tally_too_few_members", lang, counted=counted, minimum=minimum)
            problems.append((keys["members"], text))
        elif code == "present_exceeds_members":
            text = message("tally_present_exceeds_members", lang, present=present, counted=counted)
            problems.append((keys["present"], text))
        elif code == "votes_exceed_present":
            text = message(
                "tally_votes_exceed_present",
                lang,
                agree=agree,
                disagree=disagree,
                total=agree + disagree,
                present=present,
            )
            problems.append((keys["agree"], text))
        else:
            problems.append((FORM, message("tally_negative_count", lang)))
    return problems


# ---------------------------------------------------------------- decision_vote


def decision_vote(values: dict, context: Mapping, params: dict, lang: str) -> list[Problem]:
    """A decision by a body of `members` (9-KNĐ, recognition): agree ≤ members, and an approving
    decision needs agree ≥ ⌈numerator/denominator × members⌉ (default 2/3)."""
    agree_key = params["agree"]
    members, agree = count_value(values, params["members"]), count_value(values, agree_key)
    if members is None or agree is None or members < 0 or agree < 0:
        return []
    if agree > members:
        return [(agree_key, message("decision_agree_exceeds_members", lang, agree=agree, members=members))]
    numerator, denominator = vote_fraction({"fraction_rule": "standing_committee_fraction", **params},
                                           context.get("rule_set"))
    if values.get(params["decision"]) == params["approve"] and not vote_passes(agree, members, numerator, denominator):
        needed = threshold(members, numerator, denominator)
        text = message(
            "decision_below_threshold",
            lang,
            needed=needed,
            members=members,
            agree=agree,
            numerator=numerator,
            denominator=denominator,
        )
        return [(agree_key, text)]
    return []
