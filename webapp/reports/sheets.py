"""Each report as `Sheet`s in the reader's language, every number linked to the cases behind it.

The page, the .xlsx and the CSV are drawn from these same sheets (services/reports/spreadsheet.py),
so what is exported is what was shown. Links keep the period and the unit; the list they open
re-checks the scope (routes.cases).
"""
from urllib.parse import urlencode

from flask import g, url_for
from flask_babel import gettext as _

from ..pages.formatting import dmy
from ..rules.stages import EXITS, FUNNEL, stage_label
from ..services.reports.durations import DEADLINE_STEPS
from ..services.reports.new_member_form import COLUMNS, UNCONFIRMED_NOTE
from ..services.reports.spreadsheet import Cell, Sheet


def _drill(stage, unit_id, period, column=None):
    """The address of the cases behind a number: url_for once per request, the query written here.

    A report draws up to a thousand of these (the new-member form: 23 columns per unit below);
    werkzeug's URL builder per link cost more than the SQL of the page.
    """
    arguments = {"stage": stage, "unit": unit_id, **({"column": column} if column else {}), **period.args()}
    return f"{_cases_address()}?{urlencode(arguments)}"


def _cases_address():
    if "report_cases_address" not in g:
        g.report_cases_address = url_for("reports.cases")
    return g.report_cases_address


def _change(now, before):
    return now - before


def funnel_sheets(report, scope, lang):
    unit = scope.unit.id
    funnel = Sheet("funnel", _("Các bước của quy trình"),
                   [_("Bước"), _("Kỳ này"), _("Cùng kỳ năm trước"), _("Tăng/giảm"), _("So với bước trước (%)")])
    for stage in FUNNEL:
        funnel.rows.append([
            stage_label(stage, lang),
            Cell(report.counts[stage], _drill(stage, unit, report.period), f"count-{stage}"),
            Cell(report.before[stage], _drill(stage, unit, report.previous), f"before-{stage}"),
            _change(report.counts[stage], report.before[stage]), report.step_ratio(stage)])
    exits = Sheet("exits", _("Những người dừng lại ở đâu"),
                  [_("Lý do"), _("Kỳ này"), _("Cùng kỳ năm trước"), _("Tăng/giảm")])
    for stage in EXITS:
        exits.rows.append([stage_label(stage, lang),
                           Cell(report.counts[stage], _drill(stage, unit, report.period), f"count-{stage}"),
                           Cell(report.before[stage], _drill(stage, unit, report.previous), f"before-{stage}"),
                           _change(report.counts[stage], report.before[stage])])
    ratio_label = f"% {stage_label(report.ratio_to, lang)} / {stage_label(report.ratio_from, lang)}"
    units = Sheet("units", _("Theo đơn vị trực thuộc"), [_("Đơn vị"), *(stage_label(s, lang) for s in FUNNEL),
                                                         ratio_label])
    for row in report.units:
        units.rows.append([Cell(row.unit.name, url_for("reports.funnel", unit=row.unit.id, **report.period.args())),
                           *(Cell(row.counts[stage], _drill(stage, row.unit.id, report.period)) for stage in FUNNEL),
                           row.ratio])
    return [funnel, exits, units]


def trend_sheet(trend, lang):
    sheet = Sheet("trend", _("Xu hướng qua các năm (cùng kỳ)"),
                  [_("Kỳ"), *(stage_label(stage, lang) for stage in ("nominated", "course_attended", "admitted"))])
    for period, counts in trend:
        sheet.rows.append([period.short_label, counts["nominated"], counts["course_attended"], counts["admitted"]])
    return sheet


def _column_label(column, lang):
    label = column.label["en" if lang == "en" else "vi"]
    return label if column.confirmed else label + " *"


def new_member_sheets(report, scope, lang):
    groups, current, span = [], None, 0
    for column in COLUMNS:
        group = (column.group or {}).get("en" if lang == "en" else "vi", "")
        if group != current and span:
            groups.append((current, span))
            span = 0
        current, span = group, span + 1
    groups.append((current, span))
    sheet = Sheet("new_members", _("Đảng viên mới kết nạp theo đối tượng (Biểu 2-BTCTW)"),
                  [_("Đơn vị"), *(_column_label(column, lang) for column in COLUMNS)],
                  note=UNCONFIRMED_NOTE["en" if lang == "en" else "vi"], header_groups=[("", 1), *groups])

    def linked(counts, unit_id, period, prefix=""):
        return [Cell(counts[column.key], _drill("admitted", unit_id, period, column.key),
                     f"{prefix}{column.key}" if prefix else None) for column in COLUMNS]

    for unit, counts in report.rows:
        sheet.rows.append([Cell(unit.name, url_for("reports.new_members", unit=unit.id, **report.period.args())),
                           *linked(counts, unit.id, report.period)])
    sheet.rows.append([_("Cộng (kỳ này)"), *linked(report.total, scope.unit.id, report.period, "total-")])
    sheet.rows.append([_("Cùng kỳ năm trước"), *linked(report.before, scope.unit.id, report.previous, "before-")])
    sheet.rows.append([_("Tăng/giảm"), *(report.change(column.key) for column in COLUMNS)])
    shares = [report.share_of_total(column.key) for column in COLUMNS]
    sheet.rows.append([_("Tỉ lệ trong tổng số (kỳ này, %)"), *shares])
    return [sheet]


def target_sheets(own, below, year, lang):
    sheet = Sheet("targets", _("Chỉ tiêu kết nạp năm %(year)s", year=year),
                  [_("Đơn vị"), _("Chỉ tiêu"), _("Đã kết nạp"), _("Đạt chỉ tiêu (%)"), _("Đảng viên đầu năm"),
                   _("Đảng viên mới / đầu năm (%)")])
    period = {"period": "year", "year": year}
    for row in (own, *below):
        sheet.rows.append([row.unit.name, row.target,
                           Cell(row.admitted, url_for("reports.cases", stage="admitted", unit=row.unit.id, **period),
                                f"admitted-{row.unit.id}"),
                           row.reached, row.members_at_start, row.growth])
    return [sheet]


def _pair_label(pair, lang):
    return f"{stage_label(pair[0], lang)} → {stage_label(pair[1], lang)}"


def time_sheets(whole, units, lang):
    sheet = Sheet("stage_times", _("Thời gian mỗi bước (ngày làm việc)"),
                  [_("Từ bước → đến bước"), _("Số hồ sơ"), _("Trung vị"), _("Phân vị 90"), _("Số việc trễ hạn")])
    for time in whole:
        sheet.rows.append([_pair_label(time.pair, lang), time.cases, time.median, time.p90, time.late])
    per_unit = Sheet("stage_times_units", _("Theo đơn vị, chậm nhất trước (trung vị, ngày làm việc)"),
                     [_("Đơn vị"), *(_pair_label(time.pair, lang) for time in whole), _("Số việc trễ hạn")])
    for row in units:
        per_unit.rows.append([row.unit.name, *(time.median for time in row.times),
                              sum(time.late or 0 for time in row.times if time.pair in DEADLINE_STEPS)])
    return [sheet, per_unit]


RISK_TITLES = {
    "certificate_expiring": lambda: _("Giấy chứng nhận lớp bồi dưỡng hết hạn trong 6 tháng tới (ngày cấp)"),
    "dossier_stale": lambda: _("Hồ sơ hoàn thiện đã lâu, chi bộ chưa xét (ngày hoàn thiện)"),
    "graduating_under_18": lambda: _("Học sinh lớp 12 ra trường khi chưa đủ 18 tuổi (ngày sinh)"),
    "overdue": lambda: _("Bước đang quá hạn (hạn xử lý)"),
}


def risk_sheets(without, risks):
    empty = Sheet("no_admission", _("Chi bộ không kết nạp được đảng viên nào trong kỳ"), [_("Chi bộ")],
                  [[unit.name] for unit in without])
    sheets = [empty]
    for risk in risks:
        sheet = Sheet(risk.kind, f"{RISK_TITLES[risk.kind]()}: {risk.total}",
                      [_("Học sinh"), _("Số CCCD"), _("Chi bộ"), _("Ngày")])
        for row in risk.rows:
            sheet.rows.append([Cell(row.full_name, url_for("cases.detail", instance_id=row.instance_id)),
                               row.citizen_id, row.unit_name, dmy(row.on)])
        sheets.append(sheet)
    return sheets


def _letters_link(figure, unit_id, period):
    return f"{_cases_address()}?{urlencode({'letters': figure, 'unit': unit_id, **period.args()})}"


LETTER_FIGURES = {
    "all": lambda: _("Thư đã gửi"), "answered": lambda: _("Đã trả lời"), "answered_late": lambda: _("Trả lời trễ hạn"),
    "sent": lambda: _("Đang chờ, còn hạn"), "overdue": lambda: _("Quá hạn, chưa trả lời"),
    "withdrawn": lambda: _("Không còn chờ (hồ sơ dừng hoặc thẩm tra lại)"),
}


def letter_sheet(letters, scope):
    """The verification letters (20-KNĐ) sent in the period, by their state today; every number linked."""
    sheet = Sheet("verification_letters", _("Thư thẩm tra lý lịch (20-KNĐ) gửi trong kỳ, tình trạng đến hôm nay"),
                  [_("Đơn vị"), *(label() for label in LETTER_FIGURES.values()),
                   _("Trung vị ngày làm việc đến khi trả lời"), _("Phân vị 90")],
                  note=_("Tính theo ngày gửi thư; quá hạn: chưa trả lời khi đã qua hạn trả lời ghi trên thư."))

    def row(label, counts, unit_id, period, prefix=None):
        return [label, *(Cell(counts.counts[figure], _letters_link(figure, unit_id, period),
                              f"{prefix}-{figure}" if prefix else None) for figure in LETTER_FIGURES),
                counts.median, counts.p90]

    for unit, counts in letters.units:
        sheet.rows.append(row(Cell(unit.name, url_for("reports.stage_times", unit=unit.id, **letters.period.args())),
                              counts, unit.id, letters.period))
    sheet.rows.append(row(_("Cộng (kỳ này)"), letters.whole, scope.unit.id, letters.period, "letters"))
    sheet.rows.append(row(_("Cùng kỳ năm trước"), letters.before, scope.unit.id, letters.previous, "letters-before"))
    return sheet
