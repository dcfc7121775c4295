"""What a submission would set in motion that a person should confirm before it is recorded.

A vote that does not reach its fraction (two thirds) is not an error (the procedure branches on it), but a typo
in a tally would send the case down the "not passed" branch at once; a decision that ends or stops
the case cannot be taken back from the task page either. `consequences(definition, values, lang, rule_set)`
says, in the user's language, what such a submission will do, so the task page can ask "are you
sure?" first. It reads the raw form values (strings); what it cannot read it leaves to validation.

`fingerprint(texts)` ties a confirmation to what was shown: a person who changes the tally after
seeing the warning is asked again instead of the old confirmation passing the new values.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from webapp.rules import counted_members, tally_problems, threshold, vote_passes

from .definition import FormDefinition
from .messages import norm_lang
from .vote_checks import vote_fraction, vote_minimum

#: Choices that end, stop or send the case up, by field name and value (the diagrams branch on these).
ENDING_CHOICES: dict[tuple[str, str], str] = {
    ("decision", "reject"): "ends_rejected",
    ("recognition_decision", "remove"): "ends_removed",
    ("reconsider_decision", "close"): "ends_closed",
    ("verification_finding", "problem"): "goes_to_conclusion",
    ("verification_finding", "unclear"): "goes_to_conclusion",
    ("finding_conclusion", "stop"): "stops_verification",
    ("history_certification", "not_eligible"): "stops_verification",
}

TEXTS: dict[str, dict[str, str]] = {
    "vote_fails": {
        "vi": "Biểu quyết này không đạt {fraction}: {agree} tán thành trên {counted} được tính, cần ít nhất "
              "{needed}. Hồ sơ sẽ đi theo nhánh biểu quyết không đạt.",
        "en": "This vote does not reach {fraction}: {agree} in favour of {counted} counted, at least {needed} "
              "needed. The case will go down the failed-vote branch.",
    },
    "ends_rejected": {
        "vi": "Quyết định không kết nạp sẽ kết thúc hồ sơ.",
        "en": "A decision not to admit ends the case.",
    },
    "ends_removed": {
        "vi": "Quyết định xóa tên sẽ kết thúc hồ sơ.",
        "en": "A removal decision ends the case.",
    },
    "ends_closed": {
        "vi": "Dừng xem xét sẽ đóng hồ sơ.",
        "en": "Stopping the review closes the case.",
    },
    "goes_to_conclusion": {
        "vi": "Kết quả này đưa hồ sơ lên cấp ủy có thẩm quyền kết luận; việc xét kết nạp chờ kết luận đó.",
        "en": "This finding sends the case to the competent committee; the admission waits for its conclusion.",
    },
    "stops_verification": {
        "vi": "Kết luận không đủ điều kiện sẽ dừng việc xét kết nạp của hồ sơ này.",
        "en": "A conclusion that the history is not eligible stops this case's admission.",
    },
}


_ENGLISH_FRACTIONS = {(2, 3): "two thirds", (3, 4): "three quarters", (1, 2): "one half"}


def _text(key: str, lang: str, **params: object) -> str:
    texts = TEXTS[key]
    return (texts.get(norm_lang(lang)) or texts["vi"]).format(**params)


def _count(values: Mapping, key: object) -> int | None:
    """A non-negative whole number typed as ASCII digits, else None (validation speaks to it)."""
    if not key:
        return 0
    raw = str(values.get(key) or "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else None


def _failing_vote(params: Mapping, values: Mapping, lang: str, rule_set: str | None) -> str | None:
    """The vote's fraction and minimum of counted members are the case's rule set's, as in the
    vote_tally check and the page's preview (vote_checks.vote_fraction, vote_checks.vote_minimum)."""
    counts = {role: _count(values, params.get(role))
              for role in ("members", "attached", "exempt_absent", "present", "agree", "disagree")}
    if any(value is None for value in counts.values()) or counts["attached"] + counts["exempt_absent"] > counts[
            "members"]:
        return None
    counted = counted_members(counts["members"], counts["attached"], counts["exempt_absent"])
    if tally_problems(members=counted, present=counts["present"], agree=counts["agree"],
                      disagree=counts["disagree"], minimum_members=vote_minimum(params, rule_set)):
        return None  # the tally is wrong in itself: its own error comes first
    numerator, denominator = vote_fraction(params, rule_set)
    if vote_passes(counts["agree"], counted, numerator, denominator):
        return None
    shown = f"{numerator}/{denominator}"
    if norm_lang(lang) == "en":
        shown = _ENGLISH_FRACTIONS.get((numerator, denominator), shown)
    return _text("vote_fails", lang, agree=counts["agree"], counted=counted, fraction=shown,
                 needed=threshold(counted, numerator, denominator))


def consequences(definition: FormDefinition | None, values: Mapping, lang: str = "vi",
                 rule_set: str | None = None) -> list[str]:
    """The sentences to confirm for this submission ([] when it needs no confirmation); `rule_set`
    is the key of the case's rule set (None: the rule sets' common defaults)."""
    if definition is None:
        return []
    texts = []
    for check in definition.checks:
        if check.rule == "vote_tally":
            failing = _failing_vote(check.params, values, lang, rule_set)
            if failing:
                texts.append(failing)
    for spec in definition.fields:
        key = ENDING_CHOICES.get((spec.name, str(values.get(spec.name) or "")))
        if key:
            texts.append(_text(key, lang))
    return texts


def fingerprint(texts: list[str]) -> str:
    """A short digest of what was shown, sent back by the confirm button."""
    return hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()[:20] if texts else ""
