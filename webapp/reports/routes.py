"""The report pages: parse the period and unit, call the report services, draw their sheets.

Every report also downloads as .xlsx and CSV (`/reports/<report>.xlsx|.csv`, the same sheets) and
prints (print CSS). A unit outside the reader's scope is refused before anything is counted.
"""
import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..authz.reports import may_read_reports, may_set_targets
from ..pages.acting import current_acting
from ..pages.converters import url_int
from ..pages.formatting import VIETNAM
from ..rules.stages import EXITS, FUNNEL, stage_label
from ..services import record_listing
from ..services.clock import resolve_now
from ..services.errors import Forbidden, InvalidSubmission
from ..services.reports import (
    BadPeriod,
    cases_behind,
    funnel,
    new_members,
    period_from_args,
    report_scope,
    set_target,
    stage_times,
    students_at_risk,
    targets_report,
    units_without_admission,
)
from ..services.reports.funnel import trend
from ..services.reports.letters import letter_cases, verification_letters
from ..services.reports.new_member_form import BY_KEY
from ..services.reports.spreadsheet import csv_bytes, xlsx_bytes
from . import sheets as build
from .cells import report_cell, report_row
from .sheets import LETTER_FIGURES

blueprint = Blueprint("reports", __name__)
blueprint.add_app_template_global(may_read_reports)
blueprint.add_app_template_filter(report_cell, "report_cell")
blueprint.add_app_template_filter(report_row, "report_row")

REPORTS = {"funnel": _l("Phễu kết nạp"), "new_members": _l("Đảng viên mới theo đối tượng"),
           "targets": _l("Chỉ tiêu"), "stage_times": _l("Thời gian mỗi bước"), "risks": _l("Cần chú ý")}
PERIOD_KINDS = {"month": _l("Tháng"), "quarter": _l("Quý"), "half": _l("6 tháng"), "nine_months": _l("9 tháng"),
                "year": _l("Năm"), "school_year": _l("Năm học"), "range": _l("Khoảng ngày")}
PERIOD_PROBLEMS = {
    "unknown_period": _l("Không có loại kỳ báo cáo này."),
    "bad_year": _l("Năm báo cáo phải là một năm từ 2000 đến 2100."),
    "bad_part": _l("Tháng phải từ 1 đến 12, quý từ 1 đến 4, 6 tháng là 1 (đầu năm) hoặc 2 (cuối năm)."),
    "bad_dates": _l("Hãy nhập đủ ngày bắt đầu và ngày kết thúc (dd/mm/yyyy)."),
    "range_reversed": _l("Ngày kết thúc đứng trước ngày bắt đầu."),
    "range_too_long": _l("Khoảng ngày dài nhất là 5 năm, từ năm 2000 đến năm 2100."),
}
TARGET_PROBLEMS = {"target_year": _l("Chỉ tiêu chỉ đặt cho năm trước, năm nay hoặc năm sau."),
                   "target_number": _l("Chỉ tiêu là một số nguyên từ 0 đến 100.000.")}


def _lang():
    return "en" if str(get_locale() or "vi") == "en" else "vi"


def _today():
    return resolve_now().astimezone(VIETNAM).date()


def _scope(acting, values=None):
    values = request.args if values is None else values
    text = values.get("unit", "")
    unit_id = url_int(text)
    if text and unit_id is None:  # not a unit number: refused like a unit outside the scope
        raise Forbidden("no such unit in your scope", code="report_unit_out_of_scope")
    return report_scope(acting, unit_id)


def _chart(kind, labels, datasets):
    return json.dumps({"type": kind, "labels": labels, "datasets": datasets}, ensure_ascii=False)


def _build(name, scope, period, lang, acting):
    """(sheets, charts, extra template values) of report `name`."""
    if name == "funnel":
        report = funnel(scope, period, ratio_from=request.args.get("a", "nominated"),
                        ratio_to=request.args.get("b", "admitted"), sort=request.args.get("sort", "name"),
                        descending=request.args.get("desc") == "1")
        years = trend(scope, period)
        labels = [stage_label(stage, lang) for stage in FUNNEL]
        charts = [_chart("bar", labels, [
            {"label": _("Kỳ này"), "data": [report.counts[s] for s in FUNNEL]},
            {"label": _("Cùng kỳ năm trước"), "data": [report.before[s] for s in FUNNEL]}]),
            _chart("line", [each.short_label for each, _counts in years], [
                {"label": stage_label(stage, lang), "data": [counts[stage] for _each, counts in years]}
                for stage in ("nominated", "course_attended", "admitted")])]
        return build.funnel_sheets(report, scope, lang) + [build.trend_sheet(years, lang)], charts, {"funnel": report}
    if name == "new_members":
        report = new_members(scope, period)
        return build.new_member_sheets(report, scope, lang), [], {}
    if name == "targets":
        year = period.year or period.start.year
        own, below = targets_report(scope, year)
        return build.target_sheets(own, below, year, lang), [], {
            "target_year": year, "target_units": [scope.unit, *scope.children],
            "may_set": may_set_targets(acting)}
    if name == "stage_times":
        whole, units = stage_times(scope, period, _today())
        labels = [f"{stage_label(a, lang)} → {stage_label(b, lang)}" for a, b in (time.pair for time in whole)]
        charts = [_chart("bar", labels, [{"label": _("Trung vị"), "data": [time.median for time in whole]},
                                         {"label": _("Phân vị 90"), "data": [time.p90 for time in whole]}])]
        letters = verification_letters(scope, period, _today())
        return build.time_sheets(whole, units, lang) + [build.letter_sheet(letters, scope)], charts, {}
    without = units_without_admission(scope, period)
    risks = students_at_risk(scope, _today())
    # Recorded by the caller once the page is drawn (_recorded): the listing commits, and every unit
    # read before it would then be read again, one statement each.
    return build.risk_sheets(without, risks), [], {
        "listing": ("report_risks", sorted({row.instance_id for risk in risks for row in risk.rows}))}


def _recorded(acting, extra):
    """The reading of the cases a report lists, recorded (and committed) before the response leaves."""
    if "listing" in extra:
        what, instance_ids = extra.pop("listing")
        record_listing(current_user, acting, what, instance_ids)


def _report(name):
    acting = current_acting()
    if not may_read_reports(acting):
        raise Forbidden("the reports are not for the role you act in", code="not_for_reports")
    if name not in REPORTS:
        abort(404)
    scope = _scope(acting)
    try:
        period = period_from_args(request.args, _today())
    except BadPeriod as problem:
        return None, scope, acting, PERIOD_PROBLEMS[problem.code]
    return period, scope, acting, None


def _page(name):
    period, scope, acting, problem = _report(name)
    if problem:
        return render_template("reports/report.html", name=name, scope=scope, period=None, problem=problem,
                               sheets=[], charts=[], **_choices()), 400
    sheets, charts, extra = _build(name, scope, period, _lang(), acting)
    listing = {"listing": extra.pop("listing")} if "listing" in extra else {}
    html = render_template("reports/report.html", name=name, scope=scope, period=period, problem=None,
                           sheets=sheets, charts=charts, **extra, **_choices())
    _recorded(acting, listing)
    return html


def _choices():
    return {"reports": REPORTS, "period_kinds": PERIOD_KINDS, "funnel_stages": FUNNEL + EXITS,
            "stage_label": stage_label, "lang": _lang()}


@blueprint.get("/reports")
@login_required
def index():
    return redirect(url_for("reports.funnel", **request.args))


@blueprint.get("/reports/funnel", endpoint="funnel")
@login_required
def funnel_page():
    return _page("funnel")


@blueprint.get("/reports/new-members", endpoint="new_members")
@login_required
def new_members_page():
    return _page("new_members")


@blueprint.get("/reports/targets", endpoint="targets")
@login_required
def targets_page():
    return _page("targets")


@blueprint.get("/reports/stage-times", endpoint="stage_times")
@login_required
def stage_times_page():
    return _page("stage_times")


@blueprint.get("/reports/risks", endpoint="risks")
@login_required
def risks_page():
    return _page("risks")


@blueprint.get("/reports/<name>.<kind>")
@login_required
def download(name, kind):
    if kind not in ("xlsx", "csv"):
        abort(404)
    name = name.replace("-", "_")  # the page's address spells it new-members, the report new_members
    period, scope, acting, problem = _report(name)
    if problem:
        flash(problem, "danger")
        return redirect(url_for(f"reports.{name}", unit=scope.unit.id))
    sheets, _charts, extra = _build(name, scope, period, _lang(), acting)
    heading = f"{scope.unit.name} · {period.short_label}"
    filename = f"bao-cao-{name.replace('_', '-')}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{kind}"
    if kind == "xlsx":
        body, mimetype = xlsx_bytes(sheets, heading=heading), \
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body, mimetype = csv_bytes(sheets, heading=heading), "text/csv; charset=utf-8"
    _recorded(acting, extra)
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={filename}"})


@blueprint.get("/reports/cases")
@login_required
def cases():
    period, scope, acting, problem = _report("funnel")
    stage, column = request.args.get("stage", ""), request.args.get("column") or None
    letters = request.args.get("letters") or None
    number = url_int(request.args.get("page"), 1)
    if letters is not None:  # the verification letters behind a figure of the time-per-stage report
        if problem or letters not in LETTER_FIGURES:
            abort(404)
        page = letter_cases(scope, period, letters, _today(), page=number)
        what = LETTER_FIGURES[letters]()
    else:
        if problem or stage not in FUNNEL + EXITS or (column is not None and column not in BY_KEY):
            abort(404)
        page = cases_behind(scope, period, stage, column=column, page=number)
        what = stage_label(stage, _lang())
    html = render_template("reports/cases.html", page=page, scope=scope, period=period, stage=stage, what=what,
                           letters=letters, column=BY_KEY.get(column), **_choices())
    _recorded(acting, {"listing": ("report_cases", [row.instance_id for row in page.rows])})
    return html


@blueprint.post("/reports/targets")
@login_required
def set_target_page():
    acting = current_acting()
    scope = _scope(acting, request.form)
    year, admissions = url_int(request.form.get("year")), url_int(request.form.get("admissions"))
    back = url_for("reports.targets", unit=request.form.get("return_unit") or scope.unit.id, period="year",
                   year=year or _today().year)
    try:
        set_target(current_user, acting, scope.unit.id, year, admissions)
    except InvalidSubmission as refused:
        for codes in refused.errors.values():
            for code in codes:
                flash(str(TARGET_PROBLEMS[code]), "danger")
        return redirect(back)
    flash(_("Đã lưu chỉ tiêu năm %(year)s của %(unit)s: %(number)s.", year=year, unit=scope.unit.name,
            number=admissions), "success")
    return redirect(back)
