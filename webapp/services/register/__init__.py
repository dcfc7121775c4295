"""The party member register (issue 10): the facts the votes and the introducers stand on.

API for the other parts of issue 10 (H7 votes/introducers, H8 dates) — the names are stable:

Reading (no commit, no authorisation: the caller has already decided the case or page is theirs)
- `counted_members(unit_id, on, body="cell") -> CountedMembers` — the body's register on day `on`:
  `.official`, `.probationary`, `.attached_elsewhere` (official members temporarily attached to
  another organisation on `on`), `.exempt` (official members exempted from activities on `on`),
  each a tuple of `RegisterEntry` (member_id, membership_id, full_name, status, admitted_on,
  official_on, joined_on, user_id). `.kept` is False when the body has no register at all (nobody
  ever entered) — then use the typed count of the unit and say so (`unit_counts`).
  `.denominator(present_member_ids)` is the 2/3 base (domain §2 step 8 [S]: "all official members,
  not those present, minus members temporarily attached elsewhere and exempted members who are
  absent"): official − attached elsewhere − exempt who are not in `present_member_ids`.
  `.denominator_if_all_absent()` is the smallest possible base (every exempt member absent).
  Committees: `body="committee"` (grassroots committee, sub-committee) or
  `body="standing_committee"` at the upper committee's unit; 2/3 of all its members (step 10–11).
- `standing(member_id, unit_id, on) -> MemberStanding` — status ("official"/"probationary"/None),
  official_since, admitted_on, joined_unit_on (of the cell membership current on `on`, None if
  not a member of that unit then), months_in_unit (full months at `on`), user_id, full_name.
  An introducer: `status == "official"` and `months_in_unit >= rule introducer_min_months`.
- `members_for_choice(unit_id, on, body="cell") -> tuple[RegisterEntry]` — current members
  (official first, then probationary), for introducer/helper selects.
- `unit_counts(unit_id, on) -> UnitCounts(official, committee, official_source, committee_source)`
  — what the unit record and the vote forms show: the register's counts when the unit keeps a
  register ("register"), otherwise the typed `OrgUnit.official_members` / `committee_members`
  ("typed", to be shown flagged as not checked against a register).
- `member_for_user(user_id)` — the register entry of an account (or None).

Changing (each records an audit event; the page functions commit, the case hook does not)
- `enter_case_into_register(instance, spec_name, data, now)` — called by services/tasks.py inside
  the completion's unit of work: `hold_ceremony` enters the case's student in the case's cell as
  probationary from the ceremony date; a recognition decision "recognise" makes them official
  as of the end of probation (ceremony + probation_months of the case's rule set, domain §2
  step 15: "recognised as of the end of the 12 months even when late"); "remove" ends their
  membership on the decision date.
- keeping.py: add_member, update_member, record_absence, record_leaving, add_to_body;
  csv_import.py: import_cell_csv (all-or-nothing), register_csv (export).
"""
from .case_entry import enter_case_into_register
from .counting import (
    CountedMembers,
    MemberStanding,
    RegisterEntry,
    UnitCounts,
    counted_members,
    member_for_user,
    members_for_choice,
    standing,
    unit_counts,
)

__all__ = [
    "CountedMembers", "MemberStanding", "RegisterEntry", "UnitCounts", "counted_members",
    "enter_case_into_register", "member_for_user", "members_for_choice", "standing", "unit_counts",
]
