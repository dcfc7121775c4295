"""Checks on the dates of acts: the date written on a record is the date the rules are judged at.

- `act_dates`: a dated act is not later than today (the clock of the request, handed in by the
  service as context key `_today`) and not earlier than the acts it stands on (nomination ≤
  sympathiser resolution ≤ course ≤ certificate ≤ application ≤ … ≤ cell vote ≤ committee vote ≤
  decision ≤ ceremony). The earlier acts are read from this form's values first, then from the
  case data (every completed form's fields are in it under their own names). An act not
  recorded (a grassroots cell has no committee vote) is skipped.
- `act_conditions`: the cell vote's own date decides age by month, certificate validity and
  dossier freshness, with the numbers of the case's rule set (context key `rule_set`). The
  planned meeting date only schedules the meeting.
- `ceremony_deadline`: the admission ceremony is not before the decision, and later than the rule
  set's working days after it only with the upper committee's consent.

Each refusal names both acts and both dates, e.g. "Ngày quyết định 03/05/2026 sớm hơn ngày nghị
quyết chi bộ 10/05/2026."
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from webapp.rules import (
    add_working_days,
    age_in_months,
    as_date,
    certificate_valid,
    document_fresh,
    month_of_majority,
    rule_value,
)

from .check_values import Problem, from_rule_set
from .messages import fmt_date, message, norm_lang

# What each dated act is called in a sentence "Ngày <act> dd/mm/yyyy …" / "The <act> date …".
ACT_LABELS: dict[str, dict[str, str]] = {
    "date_of_birth": {"vi": "sinh", "en": "birth"},
    "nomination_date": {"vi": "nghị quyết giới thiệu của Đoàn", "en": "Youth Union nomination"},
    "sympathiser_resolution_date": {"vi": "nghị quyết cảm tình Đảng", "en": "sympathiser resolution"},
    "course_start_date": {"vi": "khai giảng lớp bồi dưỡng", "en": "course start"},
    "course_end_date": {"vi": "kết thúc lớp bồi dưỡng", "en": "course end"},
    "certificate_date": {"vi": "cấp giấy chứng nhận", "en": "certificate"},
    "application_date": {"vi": "đơn xin vào Đảng", "en": "application letter"},
    "history_date": {"vi": "lý lịch", "en": "personal history"},
    "verification_date": {"vi": "thẩm tra lý lịch", "en": "background verification"},
    "youth_union_resolution_date": {"vi": "nghị quyết giới thiệu của BCH Đoàn (4-KNĐ)",
                                    "en": "Youth Union introduction resolution"},
    "introduction_letter_date": {"vi": "giấy giới thiệu", "en": "introduction letter"},
    "residence_comment_date": {"vi": "nhận xét nơi cư trú", "en": "residence comment"},
    "organisation_comments_date": {"vi": "tổng hợp nhận xét", "en": "comments summary"},
    "vote_date": {"vi": "họp biểu quyết của chi bộ", "en": "cell vote"},
    "resolution_date": {"vi": "nghị quyết chi bộ", "en": "cell resolution"},
    "subcommittee_report_date": {"vi": "báo cáo thẩm định của đảng ủy bộ phận", "en": "sub-committee report"},
    "committee_vote_date": {"vi": "họp biểu quyết của đảng ủy cơ sở", "en": "committee vote"},
    "committee_resolution_date": {"vi": "nghị quyết đảng ủy cơ sở", "en": "committee resolution"},
    "appraisal_date": {"vi": "thẩm định hồ sơ", "en": "appraisal"},
    "decision_date": {"vi": "quyết định", "en": "decision"},
    "notified_date": {"vi": "nhận thông báo", "en": "notification"},
    "ceremony_date": {"vi": "lễ kết nạp", "en": "ceremony"},
    "self_review_date": {"vi": "bản tự kiểm điểm", "en": "self-review"},
    "helper_comment_date": {"vi": "nhận xét của đảng viên giúp đỡ", "en": "helper's comment"},
    "recognition_decision_date": {"vi": "quyết định công nhận chính thức", "en": "recognition decision"},
}

_TEXTS: dict[str, dict[str, str]] = {
    "act_after_today": {
        "vi": "Ngày {act} {date} muộn hơn hôm nay ({today}): không ghi một việc chưa xảy ra.",
        "en": "The {act} date {date} is later than today ({today}): an act not yet done cannot be recorded.",
    },
    "act_before": {
        "vi": "Ngày {act} {date} sớm hơn ngày {other} {other_date}.",
        "en": "The {act} date {date} is earlier than the {other} date {other_date}.",
    },
    "certificate_late": {
        "vi": "Ngày cấp giấy chứng nhận {date} cách ngày khai giảng lớp bồi dưỡng {start} {late} ngày: "
        "quy định cho phép tối đa {days} ngày.",
        "en": "The certificate date {date} is {late} days after the course start {start}: at most {days} days "
        "are allowed.",
    },
    "vote_under_age": {
        "vi": "Ngày họp biểu quyết {date}: người xin vào Đảng (sinh {birth}) mới {months} tháng tuổi, "
        "chưa đủ {min_months} tháng (đủ 18 tuổi từ tháng {majority}).",
        "en": "Cell vote on {date}: the applicant (born {birth}) is {months} months old, under "
        "{min_months} months (18 from {majority}).",
    },
    "vote_over_age": {
        "vi": "Ngày họp biểu quyết {date}: người xin vào Đảng (sinh {birth}) đã quá {max_years} tuổi.",
        "en": "Cell vote on {date}: the applicant (born {birth}) is older than {max_years}.",
    },
    "vote_certificate_expired": {
        "vi": "Ngày họp biểu quyết {date}: giấy chứng nhận bồi dưỡng cấp ngày {issued} đã quá {months} tháng.",
        "en": "Cell vote on {date}: the course certificate issued on {issued} is older than {months} months.",
    },
    "vote_document_stale": {
        "vi": "Ngày họp biểu quyết {date}: {document} ngày {dated} đã quá {months} tháng.",
        "en": "Cell vote on {date}: the {document} dated {dated} is older than {months} months.",
    },
}


def act_label(key: str, lang: str) -> str:
    labels = ACT_LABELS.get(key)
    return labels[norm_lang(lang)] if labels else key


def _text(key: str, lang: str, **params: object) -> str:
    return _TEXTS[key][norm_lang(lang)].format(**params)


def _date_of(raw: object) -> date | None:
    if raw is None or raw == "":
        return None
    try:
        return as_date(raw)
    except (TypeError, ValueError):
        return None


def today_of(context: Mapping) -> date | None:
    """The request's day, handed in by the service (`_today`); absent outside a request."""
    return _date_of(context.get("_today"))


def act_dates(values: dict, context: Mapping, params: dict, lang: str) -> list[tuple[str, str]]:
    key = params.get("date") or ""
    dated = _date_of(values.get(key))
    if dated is None:
        return []
    problems = []
    today = today_of(context)
    if params.get("not_after_today", True) and today is not None and dated > today:
        problems.append((key, _text("act_after_today", lang, act=act_label(key, lang), date=fmt_date(dated),
                                    today=fmt_date(today))))
    for other in params.get("not_before", ()):
        earlier = _date_of(values[other]) if other in values else _date_of(context.get(other))
        if earlier is not None and dated < earlier:
            problems.append((key, _text("act_before", lang, act=act_label(key, lang), date=fmt_date(dated),
                                        other=act_label(other, lang), other_date=fmt_date(earlier))))
            break  # the nearest earlier act says enough
    return problems


def act_conditions(values: dict, context: Mapping, params: dict, lang: str) -> list[tuple[str, str]]:
    """At the cell vote's own date: of age by month, certificate valid, dossier documents fresh."""
    key = params.get("date") or ""
    on = _date_of(values.get(key))
    rule_set = context.get("rule_set")
    skip = params.get("skip_when_context")
    if on is None or not isinstance(rule_set, str) or (skip and context.get(skip) is not None):
        return []

    def rule(name):
        return rule_value(rule_set, name)

    problems = []
    shown = fmt_date(on)
    birth = _date_of(context.get("date_of_birth"))
    try:
        if birth is not None:
            day_counts, min_months = rule("age_day_counts"), rule("min_age_months")
            months = age_in_months(birth, on, day_counts=day_counts) if birth <= on else -1
            if months < min_months:
                majority = month_of_majority(birth, min_months=min_months, day_counts=day_counts)
                problems.append((key, _text("vote_under_age", lang, date=shown, birth=fmt_date(birth), months=months,
                                            min_months=min_months, majority=majority.strftime("%m/%Y"))))
            elif months >= (rule("max_age_years") + 1) * 12:
                problems.append((key, _text("vote_over_age", lang, date=shown, birth=fmt_date(birth),
                                            max_years=rule("max_age_years"))))
        issued = _date_of(context.get("certificate_date"))
        valid_months = rule("certificate_valid_months")
        if issued is not None and issued <= on and not certificate_valid(issued, on, months=valid_months):
            problems.append((key, _text("vote_certificate_expired", lang, date=shown, issued=fmt_date(issued),
                                        months=valid_months)))
        fresh_months = rule("document_valid_months")
        for document in ("application_date", "history_date"):
            written = _date_of(context.get(document))
            if written is not None and written <= on and not document_fresh(written, on, months=fresh_months):
                problems.append((key, _text("vote_document_stale", lang, date=shown, document=act_label(document, lang),
                                            dated=fmt_date(written), months=fresh_months)))
    except ValueError:  # an unknown rule set: the case cannot be judged here, the engine refuses it
        return []
    return problems


def certificate_in_time(values: dict, context: Mapping, params: dict, lang: str) -> list[tuple[str, str]]:
    """The certificate is issued within the rule set's `certificate_issue_days` of the course (2025:
    15 days [S]; the 2021 rules set none). The course's end is not recorded, so the days count from
    its start (`course_start_date` of the enrolment) — a course lasts days, not weeks."""
    key = params.get("date") or ""
    issued = _date_of(values.get(key))
    started = _date_of(context.get(params.get("course_from") or "course_start_date"))
    rule_set = context.get("rule_set")
    if issued is None or started is None or not isinstance(rule_set, str):
        return []
    try:
        days = rule_value(rule_set, "certificate_issue_days")
    except ValueError:
        return []
    if days is None or (issued - started).days <= days:
        return []
    return [(key, _text("certificate_late", lang, date=fmt_date(issued), start=fmt_date(started),
                        late=(issued - started).days, days=days))]


def ceremony_deadline(values: dict, context: Mapping, params: dict, lang: str) -> list[Problem]:
    """Admission ceremony: not before the decision date (read from the case data), and later
    than `within_working_days` working days after it only with the upper committee's consent.
    Without a decision date in the context the rule cannot apply and is skipped."""
    date_key, consent_key = params["date"], params["consent"]
    raw_decision = context.get(params["decision_date_from"])
    ceremony_raw = values.get(date_key)
    if raw_decision is None or ceremony_raw is None:
        return []
    try:
        decision, ceremony = as_date(raw_decision), as_date(ceremony_raw)
    except ValueError:
        return []
    if ceremony < decision:
        shown = {"ceremony": fmt_date(ceremony), "decision": fmt_date(decision)}
        return [(date_key, message("ceremony_before_decision", lang, **shown))]
    days = from_rule_set(context, "ceremony_working_days", params.get("within_working_days"), 30)
    try:
        deadline = add_working_days(decision, days)
    except ValueError:  # outside the years the holiday calendar knows
        return []
    if ceremony > deadline and not values.get(consent_key):
        text = message("ceremony_needs_consent", lang, days=days, deadline=fmt_date(deadline))
        return [(consent_key, text)]
    return []
