"""Introducers and helpers are members of the register, chosen from it (issue 10, 3-KNĐ / 11-KNĐ).

A form names a member by id (a field with the widget "member": a select of the cell's register).
What the rules need is computed from the register's dates, never ticked: whether the member is an
official member on the day, and how many months they and the applicant have been in the same unit
(from the later of the member's joining the cell and the applicant's arrival in the unit). A
replacement introducer — the first one moved or was disciplined — is a recorded event with its
reason, and only that exempts from the months [C].

The chosen member's facts are written into the step's data under the names the diagrams, the
dossier and the rule checks read (`introducer1_name`, `introducer1_official`,
`introducer1_months_together`, `introducer1_replacement`, …), with the member's account
(`introducer1_user_id`, `probation_helper_user_id`): the letter and the comment are assigned to
that account alone (ASSIGNED_BY_DATA, read when the step opens).
"""
from dataclasses import dataclass

from .. import rules
from ..extensions import db
from ..models import OrgUnit, PartyMember, Student
from ..taskforms.act_checks import act_label
from ..taskforms.messages import fmt_date
from .clock import VIETNAM
from .errors import Forbidden, InvalidSubmission
from .register import members_for_choice
from .register.counting import full_months

REPLACEMENT_REASONS = ("moved", "disciplined")

#: form of the step → the task data holding the account that alone may complete it, the first one
#: present: each introducer's own letter (one letter per introducer, `letter_writer_user_id` of the
#: multi-instance step); a case on a version from before writes its one letter as the first introducer.
ASSIGNED_BY_DATA = {
    "write_introduction_letters": ("letter_writer_user_id", "introducer1_user_id"),
    "comment_on_probation": ("probation_helper_user_id",),
}
#: the accounts that write an introduction letter, one letter each (the step's loopDataInputRef),
#: and the one account of each letter (its inputDataItem)
LETTER_FORM, LETTER_WRITERS, LETTER_WRITER = "write_introduction_letters", "introduction_letter_writers", \
    "letter_writer_user_id"


def assigned_account(form_name, data):
    """The account that alone may complete a step of `form_name` with task data `data`; None when
    the form is not assigned by the data (its role holders in its unit act)."""
    for key in ASSIGNED_BY_DATA.get(form_name, ()):
        if data.get(key) is not None:
            return data[key]
    return None


class TaskOfNamedMember(Forbidden):
    """Someone else than the chosen member tries their letter or comment; the page names the member."""

    code = "task_of_named_member"

    def __init__(self, name):
        super().__init__("this step is written by the member chosen for it")
        self.params = {"name": name}


@dataclass(frozen=True)
class Choice:
    """One member field of a form: where its facts go, and which day and rule it is judged by."""

    field: str  # the member id field
    prefix: str  # facts are written as <prefix>_name, <prefix>_official, …
    writes: bool = False  # the member writes a document later: needs an account
    introducer: bool = False  # the official + months rule of 3-KNĐ


CHOICES = {
    "assign_introducers": (Choice("introducer1_member", "introducer1", writes=True, introducer=True),
                           Choice("introducer2_member", "introducer2", writes=True, introducer=True)),
    "add_to_sympathiser_list": (Choice("helper_member", "helper"),),
    "hold_ceremony": (Choice("probation_helper_member", "probation_helper", writes=True),),
}
#: the day a choice is judged on: the act's own date where the form has one, else the day it is recorded.
CHOICE_DAY = {"add_to_sympathiser_list": "sympathiser_resolution_date", "hold_ceremony": "ceremony_date"}
SINCE_FIELD = "applicant_in_unit_since"  # computed (applicant_in_unit_since), never typed
#: the acts of the unit's own bodies about the applicant that show them in the unit on their day
SINCE_ACTS = ("nomination_date", "sympathiser_resolution_date")
#: facts a form's step records that are no field of the form (computed here, besides the chosen
#: members' `<prefix>_…` facts): what a document or a check may read under `<form>.<fact>`
RECORDED_FACTS = {"assign_introducers": (SINCE_FIELD, f"{SINCE_FIELD}_source", "introduction_letter_writers")}

_TEXT = {
    "not_in_register": {
        "vi": "Đảng viên được chọn không có trong sổ đảng viên {unit} ngày {day}.",
        "en": "The member chosen is not in the member register of {unit} on {day}.",
    },
    "is_applicant": {
        "vi": "{name} là chính người xin vào Đảng.",
        "en": "{name} is the applicant.",
    },
    "not_official": {
        "vi": "{name} chưa là đảng viên chính thức ngày {day} ({status}): chỉ đảng viên chính thức được "
              "giới thiệu, giúp đỡ.",
        "en": "{name} is not an official member on {day} ({status}): only an official member may introduce "
              "or help.",
    },
    "probationary": {"vi": "dự bị từ {since}", "en": "probationary since {since}"},
    "no_status": {"vi": "chưa có ngày kết nạp trong sổ", "en": "no admission date in the register"},
    "too_few_months": {
        "vi": "{name} sinh hoạt tại {unit} từ {joined}, người xin vào Đảng ở đơn vị từ {since} ({source}): cùng đơn vị "
              "{months} tháng vào ngày {day}, chưa đủ {min_months} tháng (chỉ người giới thiệu thay thế, khi "
              "người trước chuyển đi hoặc bị kỷ luật, được miễn).",
        "en": "{name} has been in {unit} since {joined} and the applicant in the unit since {since} ({source}): "
              "{months} months together on {day}, fewer than {min_months} (only a replacement introducer, when the "
              "first moved or was disciplined, is exempt).",
    },
    "no_account": {
        "vi": "{name} chưa có tài khoản được liên kết trong sổ đảng viên, nên không giao viết được. Hãy liên "
              "kết tài khoản của đồng chí trong sổ đảng viên trước.",
        "en": "{name} has no account linked in the member register, so the writing cannot be assigned. Link "
              "their account in the member register first.",
    },
    "same_person": {
        "vi": "Hai người giới thiệu phải là hai đảng viên khác nhau.",
        "en": "The two introducers must be two different members.",
    },
    "since_act": {"vi": "ngày {act}", "en": "the {act} date"},
    "since_case_start": {"vi": "ngày mở hồ sơ tại đơn vị", "en": "the day the case opened in the unit"},
    "not_youth_union": {
        "vi": "Người xin vào Đảng không phải đoàn viên: Ban Chấp hành Đoàn không giới thiệu được.",
        "en": "The applicant is not a Youth Union member: the Youth Union committee cannot introduce.",
    },
    "official": {"vi": "chính thức từ {since}", "en": "official since {since}"},
    "member_label": {
        "vi": "{name} — {status}; sinh hoạt tại chi bộ từ {joined}{account}",
        "en": "{name} — {status}; in the cell since {joined}{account}",
    },
    "without_account": {"vi": " (chưa có tài khoản)", "en": " (no account)"},
}


def _say(key, lang, **params):
    texts = _TEXT[key]
    return texts.get(lang, texts["vi"]).format(**params)


def _status_text(seat, lang):
    if seat.status == "official":
        return _say("official", lang, since=fmt_date(seat.official_on))
    if seat.status == "probationary":
        return _say("probationary", lang, since=fmt_date(seat.admitted_on))
    return _say("no_status", lang)


def member_choices(form_name, cell_id, day):
    """[(member id, {lang: label})] of the cell's register on `day` for a form with member fields, else []."""
    if form_name not in CHOICES:
        return []
    return [(entry.member_id, {lang: _say("member_label", lang, name=entry.full_name,
                                          status=_status_text(entry, lang), joined=fmt_date(entry.joined_on),
                                          account="" if entry.user_id else _say("without_account", lang))
                               for lang in ("vi", "en")})
            for entry in members_for_choice(cell_id, day)]


def _months_together(entry, since, day):
    """Full months in the same unit: from the later of the member's joining the cell and the
    applicant's arrival in the unit."""
    return full_months(max(entry.joined_on, since) if since else entry.joined_on, day)


def applicant_in_unit_since(instance, context):
    """(day, where from) the applicant is in the case's unit by the recorded facts: the earliest of
    the day the case opened there and the unit's own acts about them (the Youth Union's nomination,
    the sympathiser resolution). A lower bound — the school's enrolment date is not recorded — so the
    months together it gives are never more than the truth."""
    found = [(instance.started_at.astimezone(VIETNAM).date(), "case_start")]
    for act in SINCE_ACTS:
        try:
            found.append((rules.as_date(context[act]), act))
        except (KeyError, TypeError, ValueError):
            continue
    return min(found, key=lambda pair: pair[0])


def _since_text(source, lang):
    if source == "case_start":
        return _say("since_case_start", lang)
    return _say("since_act", lang, act=act_label(source, lang))


@dataclass(frozen=True)
class _Judging:
    """What every chosen member of one form is judged against."""

    day: object
    unit_name: str
    student: Student
    min_months: int
    since: object
    since_source: str
    lang: str


def _seat_problems(choice, member_id, seat, values, judging, chosen):
    """(what refuses this member, their months together, whether they replace an introducer)."""
    lang, name, day = judging.lang, seat.full_name, fmt_date(judging.day)
    problems = []
    own = db.session.get(PartyMember, member_id).student_id == judging.student.id
    if own or (judging.student.user_id is not None and seat.user_id == judging.student.user_id):
        problems.append(_say("is_applicant", lang, name=name))
    if seat.status != "official":
        problems.append(_say("not_official", lang, name=name, day=day, status=_status_text(seat, lang)))
    months = _months_together(seat, judging.since, judging.day)
    replacement = values.get(f"{choice.prefix}_replacement_reason") in REPLACEMENT_REASONS
    if choice.introducer and not replacement and months < judging.min_months:
        problems.append(_say("too_few_months", lang, name=name, unit=judging.unit_name,
                             joined=fmt_date(seat.joined_on), since=fmt_date(judging.since),
                             source=_since_text(judging.since_source, lang),
                             months=months, day=day, min_months=judging.min_months))
    if choice.writes and seat.user_id is None:
        problems.append(_say("no_account", lang, name=name))
    if member_id in chosen:
        problems.append(_say("same_person", lang))
    return problems, months, replacement


def _seat_facts(choice, member_id, seat, months, replacement):
    facts = {f"{choice.prefix}_member_id": member_id, f"{choice.prefix}_name": seat.full_name,
             f"{choice.prefix}_user_id": seat.user_id, f"{choice.prefix}_official": seat.status == "official",
             f"{choice.prefix}_in_unit_since": seat.joined_on.isoformat()}
    if choice.introducer:
        facts |= {f"{choice.prefix}_months_together": months, f"{choice.prefix}_replacement": replacement}
    return facts


def _chosen_member(choice, values):
    if choice.field == "introducer2_member" and values.get("introduction_mode") != "two_members":
        return None  # the Youth Union committee is the other introducer
    return values.get(choice.field)


def _form_facts(form_name, facts, choices, judging):
    """What a form records beyond its members' own facts."""
    if form_name == "hold_ceremony":
        facts["probation_helpers"] = facts.get("probation_helper_name")
    if form_name == "assign_introducers":
        facts |= {SINCE_FIELD: judging.since.isoformat(), f"{SINCE_FIELD}_source": judging.since_source}
        # Each member introducer writes their own letter (with the Youth Union, only the one member).
        facts[LETTER_WRITERS] = [facts[f"{c.prefix}_user_id"] for c in choices if facts.get(f"{c.prefix}_user_id")]
    return facts


def check_choices(form_name, values, context, instance, today, lang="vi"):
    """The facts of the members chosen on this form ({name: value}); InvalidSubmission naming the
    member and the facts when one may not be chosen. A form without member fields gives {}."""
    if form_name == LETTER_FORM and context.get(LETTER_WRITER) is not None:
        # One introducer's letter: its record (the step's outputDataItem) names its writer.
        return {"introduction_letter": {"writer_user_id": context[LETTER_WRITER],
                                        "date": values.get("introduction_letter_date")}}
    choices = CHOICES.get(form_name)
    if not choices:
        return {}
    day = rules.as_date(values[CHOICE_DAY[form_name]]) if values.get(CHOICE_DAY.get(form_name)) else today
    members = {entry.member_id: entry for entry in members_for_choice(instance.unit_id, day)}
    since, since_source = applicant_in_unit_since(instance, context)
    judging = _Judging(day=day, unit_name=db.session.get(OrgUnit, instance.unit_id).name,
                       student=db.session.get(Student, instance.student_id),
                       min_months=rules.rule_value(instance.rule_set, "introducer_min_months"),
                       since=since, since_source=since_source, lang=lang)
    errors, facts, chosen = {}, {}, []
    for choice in choices:
        member_id = _chosen_member(choice, values)
        if member_id is None:
            facts |= {f"{choice.prefix}_member_id": None, f"{choice.prefix}_user_id": None}
            continue
        seat = members.get(member_id)
        if seat is None:
            errors[choice.field] = [_say("not_in_register", lang, unit=judging.unit_name, day=fmt_date(day))]
            continue
        problems, months, replacement = _seat_problems(choice, member_id, seat, values, judging, chosen)
        chosen.append(member_id)
        if problems:
            errors[choice.field] = problems
        facts |= _seat_facts(choice, member_id, seat, months, replacement)
    if (form_name == "assign_introducers" and values.get("introduction_mode") == "youth_union_and_member"
            and context.get("youth_union_member") is False):
        errors.setdefault("introduction_mode", []).append(_say("not_youth_union", lang))
    if errors:
        raise InvalidSubmission(errors)
    return _form_facts(form_name, facts, choices, judging)


def choice_answers(form_name, cell_id, day, since=None):
    """The demo's choice: the first official members of the cell with an account (introducers with
    enough months), as a careful secretary would pick them from the register on `day`."""
    if form_name not in CHOICES:
        return {}
    official = [entry for entry in members_for_choice(cell_id, day)
                if entry.status == "official" and entry.user_id is not None]
    answers = {}
    if form_name == "assign_introducers":
        since = since or rules.add_months(day, -24)
        fit = [seat for seat in official if _months_together(seat, since, day) >= 12]
        if fit:
            answers = {"introducer1_member": fit[0].member_id}
            if len(fit) > 1:
                answers["introducer2_member"] = fit[1].member_id
    elif official:
        answers = {CHOICES[form_name][0].field: official[0].member_id}
    return answers
