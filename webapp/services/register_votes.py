"""Vote denominators from the party member register at the vote's own date (issue 10).

A vote form (the cell's 6-/13-KNĐ, the grassroots committee's 8-/15-KNĐ, a deciding body's
decision) still carries the counts the diagrams compute with (`official_members`,
`committee_members`, …), but they are no longer what somebody typed:

- before validation, the members ticked present on the register's checklist (`present_members`,
  member ids) give the number present and the exempted members who stayed away
  (`derive_presence`): the typed numbers of those are replaced;
- after validation, the counts are compared with the register of the voting body on the vote's
  date (`check_counts`). A count that differs is refused with the register's facts, unless the
  form's reason field explains it: then it passes, and the facts and the reason are kept with the
  step (`<members>_register`) for the auditor's rule checks, which flag it as an override.

The body: the cell of the case for a cell vote; the grassroots committee for its vote; the
sub-committee for the vote its appraisal records (optional: no members given, nothing checked); for a
decision, the committee of a delegated grassroots organisation or the standing committee of the
deciding body — whose register is only checked once it holds members (it may not be kept there).
A body whose register is not kept at all (nobody was ever entered: `CountedMembers.kept`) keeps
the typed counts, and the step records that they were not checked against a register.
"""
from dataclasses import dataclass

from .. import rules
from ..extensions import db
from ..models import OrgUnit
from ..taskforms.messages import fmt_date
from ..taskforms.values import clean_value
from .errors import InvalidSubmission
from .register import counted_members

PRESENCE_FIELD = "present_members"
GRASSROOTS_KINDS = ("grassroots_committee", "grassroots_cell")


@dataclass(frozen=True)
class VoteShape:
    date: str
    members: str
    reason: str
    present: str | None = None
    attached: str | None = None
    exempt_absent: str | None = None
    cell: bool = False  # counted = official − attached − exempted and absent; else every member counts
    required: bool = True  # a register must exist (cell, committee); a deciding body's only when kept


VOTE_SHAPES = {
    "record_cell_vote": VoteShape("vote_date", "official_members", "count_override_reason", "present",
                                  "temporarily_attached", "exempt_absent", cell=True),
    "record_committee_vote": VoteShape("committee_vote_date", "committee_members",
                                       "committee_count_override_reason", "committee_present"),
    # optional: the sub-committee's members and votes, when its appraisal records a vote (7-KNĐ)
    "appraise_subcommittee": VoteShape("subcommittee_report_date", "subcommittee_members",
                                       "subcommittee_count_override_reason"),
    "decide_admission": VoteShape("decision_date", "decision_members", "decision_count_override_reason",
                                  required=False),
    "decide_recognition": VoteShape("recognition_decision_date", "recognition_members",
                                    "recognition_count_override_reason", required=False),
}

_TEXT = {
    "cell_facts": {
        "vi": "Sổ đảng viên {unit} ngày {day}: {official} đảng viên chính thức, {attached} đang sinh hoạt tạm "
              "thời nơi khác, {exempt} được miễn sinh hoạt và vắng mặt — tính {counted}.",
        "en": "Member register of {unit} on {day}: {official} official members, {attached} temporarily attached "
              "elsewhere, {exempt} exempted and absent — {counted} counted.",
    },
    "body_facts": {
        "vi": "Sổ {unit} ngày {day}: {counted} ủy viên.",
        "en": "Register of {unit} on {day}: {counted} members.",
    },
    "cell_recorded": {
        "vi": "Biên bản ghi {official} đảng viên chính thức, {attached} sinh hoạt tạm thời nơi khác, {exempt} "
              "miễn sinh hoạt và vắng mặt — tính {counted}.",
        "en": "The record says {official} official members, {attached} attached elsewhere, {exempt} exempted and "
              "absent — {counted} counted.",
    },
    "body_recorded": {
        "vi": "Biên bản ghi {counted} ủy viên.",
        "en": "The record says {counted} members.",
    },
    "fix_or_reason": {
        "vi": "Sửa theo sổ, hoặc ghi lý do chênh lệch (sẽ được đánh dấu trong phần kiểm tra quy định).",
        "en": "Correct it from the register, or give the reason for the difference (it will be flagged in the "
              "rule checks).",
    },
    "empty": {
        "vi": "Sổ {unit} chưa ghi thành viên nào vào ngày {day}: hãy cập nhật sổ trước khi ghi biểu quyết, "
              "hoặc ghi lý do.",
        "en": "The register of {unit} holds no member on {day}: update the register before recording the vote, "
              "or give a reason.",
    },
    "not_in_register": {
        "vi": "Người được đánh dấu có mặt không có trong sổ {unit} ngày {day}.",
        "en": "Someone ticked present is not in the register of {unit} on {day}.",
    },
}


def _say(key, lang, **params):
    texts = _TEXT[key]
    return texts.get(lang, texts["vi"]).format(**params)


def vote_body(task):
    """(unit id, register body) of the body that votes on `task`."""
    if task.form_name == "record_cell_vote":
        return task.unit_id, "cell"
    kind = db.session.get(OrgUnit, task.unit_id).kind
    committee = kind in GRASSROOTS_KINDS or kind == "subcommittee" or task.form_name == "record_committee_vote"
    return task.unit_id, "committee" if committee else "standing_committee"


def register_for(task, day):
    """The voting body of `task` on `day` (services/register.CountedMembers), None when not a vote."""
    if task.form_name not in VOTE_SHAPES:
        return None
    unit_id, body = vote_body(task)
    return counted_members(unit_id, day, body)


def members_of(register):
    return register.official + register.probationary


def unit_name(register):
    return db.session.get(OrgUnit, register.unit_id).name


def _posted_ids(form_data):
    """The member ids ticked present, or None when no checklist was posted; bad ids are -1 (refused)."""
    if form_data is None:
        return None
    if hasattr(form_data, "getlist"):
        if PRESENCE_FIELD not in form_data and f"{PRESENCE_FIELD}_shown" not in form_data:
            return None
        raw = form_data.getlist(PRESENCE_FIELD)
    else:
        if PRESENCE_FIELD not in form_data:
            return None
        raw = form_data[PRESENCE_FIELD]
        raw = raw if isinstance(raw, (list, tuple)) else [raw]
    ids = set()
    for value in raw:
        text = str(value).strip()
        ids.add(int(text) if text.isdigit() and len(text) < 12 else -1)
    return ids


def _vote_day(definition, shape, form_data):
    spec = definition.get_field(shape.date) if definition is not None else None
    if spec is None or form_data is None:
        return None
    raw = form_data.get(shape.date) if hasattr(form_data, "get") else None
    value, error = clean_value(spec, raw)
    return None if error or value is None else rules.as_date(value)


def derive_presence(task, definition, form_data, lang="vi"):
    """The form data with the numbers present derived from the ticked members (a copy), and the ids.

    Returns (form data, ticked ids or None). Raises InvalidSubmission when a ticked id is not a
    member of the body that day (a forged or stale checklist).
    """
    shape = VOTE_SHAPES.get(task.form_name)
    ticked = _posted_ids(form_data) if shape and shape.present else None
    if ticked is None:
        return form_data, None
    day = _vote_day(definition, shape, form_data)
    if day is None:  # the date's own error is reported by the validation
        return form_data, None
    register = register_for(task, day)
    if not register.kept:  # nothing to tick from: the typed numbers stand
        return form_data, None
    if ticked - {entry.member_id for entry in members_of(register)}:
        text = _say("not_in_register", lang, unit=unit_name(register), day=fmt_date(day))
        raise InvalidSubmission({shape.present: [text]})
    if shape.cell:
        attached = {entry.member_id for entry in register.attached_elsewhere}
        derived = {shape.present: len(ticked & (register.official_ids - attached)),
                   shape.exempt_absent: len({entry.member_id for entry in register.exempt} - ticked)}
    else:
        derived = {shape.present: len(ticked)}
    if hasattr(form_data, "getlist"):  # a browser's multi-dict (its copy is mutable)
        copy = form_data.copy()
        for name, value in derived.items():
            copy.setlist(name, [str(value)])
    else:
        copy = dict(form_data) | derived
        copy.pop(PRESENCE_FIELD, None)
    return copy, sorted(ticked)


def _cell_numbers(register, shape, values, ticked):
    """(register numbers, recorded numbers) as {official, attached, exempt, counted}."""
    exempt_ids = {entry.member_id for entry in register.exempt}
    typed_exempt = int(values.get(shape.exempt_absent) or 0)
    exempt_absent = len(exempt_ids - set(ticked)) if ticked is not None else min(typed_exempt, len(exempt_ids))
    official, attached = len(register.official), len(register.attached_elsewhere)
    kept = {"official": official, "attached": attached, "exempt": exempt_absent,
            "counted": rules.counted_members(official, attached, exempt_absent)}
    typed_official = int(values.get(shape.members) or 0)
    typed_attached = int(values.get(shape.attached) or 0)
    recorded = {"official": typed_official, "attached": typed_attached, "exempt": typed_exempt,
                "counted": typed_official - typed_attached - typed_exempt}
    return kept, recorded


def check_counts(task, values, ticked=None, lang="vi"):
    """The register's facts to keep with the step ({name: value}); InvalidSubmission when they disagree.

    `values` are the clean values of a valid submission. A form that is not a vote gives {}.
    """
    shape = VOTE_SHAPES.get(task.form_name)
    if shape is None or values.get(shape.date) is None or values.get(shape.members) is None:
        return {}
    day = rules.as_date(values[shape.date])
    register = register_for(task, day)
    reason = (values.get(shape.reason) or "").strip()
    if not register.kept:  # no register kept for this body: the typed counts, said to be unchecked
        return {f"{shape.members}_register": {"unit_id": register.unit_id, "body": register.body,
                                              "day": day.isoformat(), "kept": False}}
    shown = {"unit": unit_name(register), "day": fmt_date(day)}
    members = members_of(register)
    if not members:
        if not reason:
            raise InvalidSubmission({shape.members: [_say("empty", lang, **shown)]})
        kept, recorded = {"counted": 0}, {"counted": int(values[shape.members])}
    elif shape.cell:
        kept, recorded = _cell_numbers(register, shape, values, ticked)
    else:
        kept, recorded = {"counted": len(members)}, {"counted": int(values[shape.members])}
    differs = kept != recorded
    if differs and not reason:
        facts = _say("cell_facts" if shape.cell else "body_facts", lang, **shown, **kept)
        said = _say("cell_recorded" if shape.cell else "body_recorded", lang, **recorded)
        raise InvalidSubmission({shape.members: [f"{facts} {said} {_say('fix_or_reason', lang)}"]})
    facts = {"unit_id": register.unit_id, "body": register.body, "day": day.isoformat(), "kept": True, "register": kept,
             "recorded": recorded, "overridden": differs, "reason": reason if differs else None}
    if ticked is not None:
        facts["present_member_ids"] = list(ticked)
    return {f"{shape.members}_register": facts}


def register_answers(task, day):
    """What a careful secretary records from the register on `day`: every counted member present,
    all in favour (the demo and the tests drive cases with it)."""
    shape = VOTE_SHAPES.get(task.form_name)
    register = register_for(task, day)
    if shape is None or register is None or not members_of(register):
        return {}
    if shape.cell:
        counted = register.denominator_if_all_absent()
        return {shape.members: len(register.official), shape.attached: len(register.attached_elsewhere),
                shape.exempt_absent: len(register.exempt), shape.present: counted,
                "agree": counted, "disagree": 0}
    size = len(members_of(register))
    answers = {shape.members: size}
    if shape.present:
        answers |= {shape.present: size, "committee_agree": size, "committee_disagree": 0}
    else:
        answers["decision_agree" if task.form_name == "decide_admission" else "recognition_agree"] = size
    return answers


def register_prefill(task, register):
    """The counts the vote form starts with, from the register (every exempted member taken as absent
    until ticked present)."""
    shape = VOTE_SHAPES.get(task.form_name)
    if shape is None or not members_of(register):
        return {}
    if shape.cell:
        return {shape.members: len(register.official), shape.attached: len(register.attached_elsewhere),
                shape.exempt_absent: len(register.exempt)}
    return {shape.members: len(members_of(register))}
