"""Vote thresholds and tally checks for the cell, committee and standing committee votes.

All arithmetic is on integers: "two thirds" must never depend on float rounding.
"""

from ._checks import non_negative, positive, whole_number

# [C] a cell needs at least 3 official members to act.
MIN_CELL_MEMBERS = 3


def threshold(count: int, numerator: int = 2, denominator: int = 3) -> int:
    """Least k with k * denominator >= numerator * count, i.e. ceil(numerator/denominator * count)."""
    count = non_negative(count, "count")
    numerator = non_negative(numerator, "numerator")
    denominator = positive(denominator, "denominator")
    return -(-numerator * count // denominator)


def two_thirds_threshold(count: int) -> int:
    """[C] agree ≥ ⌈2/3 × members⌉: the least k with 3k >= 2 * count."""
    return threshold(count, 2, 3)


def counted_members(official: int, temporarily_attached: int = 0, exempt_absent: int = 0) -> int:
    """Denominator of a cell vote [S]: all official members, not those present, minus members
    temporarily attached elsewhere and exempted members who are absent."""
    official = non_negative(official, "official")
    attached = non_negative(temporarily_attached, "temporarily_attached")
    absent = non_negative(exempt_absent, "exempt_absent")
    counted = official - attached - absent
    if counted < 0:
        raise ValueError("temporarily_attached + exempt_absent exceed the official members")
    return counted


def vote_passes(agree: int, counted: int, numerator: int = 2, denominator: int = 3) -> bool:
    """True when `agree` reaches the fraction of `counted`; a body with no counted member passes nothing."""
    agree = non_negative(agree, "agree")
    required = threshold(counted, numerator, denominator)
    return counted > 0 and agree >= required


# Stable codes, in the order they are reported; the UI translates them.
_NEGATIVE = "negative_count"
_TOO_FEW = "too_few_members"
_PRESENT_EXCEEDS = "present_exceeds_members"
_VOTES_EXCEED = "votes_exceed_present"


def tally_problems(
    *, members: int, present: int, agree: int, disagree: int, minimum_members: int | None = None
) -> list[str]:
    """Problem codes for a tally that does not add up; [] when it is consistent.

    `members` is the counted denominator (see `counted_members`). Blank or spoilt ballots are
    allowed, so only agree + disagree > present is a problem.
    """
    counts = {
        "members": whole_number(members, "members"),
        "present": whole_number(present, "present"),
        "agree": whole_number(agree, "agree"),
        "disagree": whole_number(disagree, "disagree"),
    }
    problems = []
    if any(value < 0 for value in counts.values()):
        problems.append(_NEGATIVE)
    if minimum_members is not None and counts["members"] < non_negative(minimum_members, "minimum_members"):
        problems.append(_TOO_FEW)
    if counts["present"] > counts["members"]:
        problems.append(_PRESENT_EXCEEDS)
    if counts["agree"] + counts["disagree"] > counts["present"]:
        problems.append(_VOTES_EXCEED)
    return problems
