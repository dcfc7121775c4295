"""Named cross-field rules, referenced from a schema as `"x-checks": [{"rule": name, ...params}]`.

A check is `check(values, context, params, lang) -> [(field name or "_form", message)]`:
`values` are the clean, JSON-native values of the fields that were valid (dates as ISO strings,
empty optional fields absent), `context` the case data (read-only), `params` the rule's
parameters from the definition with defaults filled in. A check skips what it cannot evaluate
(an input missing or invalid already has its own field error) and never raises on purpose;
the caller still guards it. The domain arithmetic comes from `webapp.rules`.

Parameters are declared per rule in CHECK_PARAMS (check_params.py) and checked when a definition
is loaded, so a definition naming a missing field or an unknown parameter is refused before it
reaches a user. The checks themselves: vote_checks.py (votes and decisions), person_checks.py
(introducers, the verifier), course_checks.py (the course), act_checks.py (the dates of acts).
"""

from __future__ import annotations

from .act_checks import act_conditions, act_dates, ceremony_deadline, certificate_in_time
from .check_values import Check
from .course_checks import course_certificate, course_class_size
from .person_checks import introducers, not_a_relative
from .vote_checks import decision_vote, vote_tally

CHECKS: dict[str, Check] = {
    "vote_tally": vote_tally,
    "decision_vote": decision_vote,
    "introducers": introducers,
    "course_certificate": course_certificate,
    "ceremony_deadline": ceremony_deadline,
    "not_a_relative": not_a_relative,
    "act_dates": act_dates,
    "act_conditions": act_conditions,
    "certificate_in_time": certificate_in_time,
    "course_class_size": course_class_size,
}
