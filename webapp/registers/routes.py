"""The register pages: parse the request, call one service, render templates/registers/.

Who may keep which register is decided in the services (authz.register); a refusal is drawn here
with its own message (403) so a secretary learns why another cell's register is closed to them.
"""
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..services.clock import resolve_now
from ..services.errors import Forbidden, InvalidBatch, InvalidSubmission
from ..services.register.csv_import import EXPORT_HEADER, import_cell_csv, register_csv
from ..services.register.keeping import (
    add_member,
    add_to_body,
    parse_day,
    record_absence,
    record_leaving,
    today_in_vietnam,
    update_member,
)
from ..services.register.views import kept_units, membership_view, register_view
from .messages import ABSENCE_LABELS, BODY_LABELS, FIELD_LABELS, STATUS_LABELS, field_errors, message

blueprint = Blueprint("registers", __name__, url_prefix="/register")
MEMBER_FIELDS = ("full_name", "date_of_birth", "citizen_id", "status", "admitted_on", "official_on", "joined_on",
                 "username")


@blueprint.errorhandler(Forbidden)
def _not_yours(error):
    return render_template("error.html", title=_("Không có quyền"), message=message("register_not_yours")), 403


def _today():
    return today_in_vietnam(resolve_now())


def _day_asked():
    """The day the register is read at (?on=dd/mm/yyyy), today when absent; a bad one says so."""
    raw = request.values.get("on", "")
    try:
        day = parse_day(raw)
    except ValueError:
        flash(message("register_bad_date"), "danger")
        return _today()
    return day or _today()


def _labels():
    return {"bodies": BODY_LABELS, "statuses": STATUS_LABELS, "absences": ABSENCE_LABELS, "fields": FIELD_LABELS}


@blueprint.get("/")
@login_required
def index():
    units = kept_units(current_user)
    if len(units) == 1:
        return redirect(url_for("registers.unit", unit_id=units[0][0].id))
    if not units:
        raise Forbidden("register_not_yours")
    return render_template("registers/index.html", units=units, **_labels())


def _unit_page(unit_id, *, values=None, errors=None, status=200, import_errors=None, header_errors=None):
    body = request.values.get("body") or None
    if body is not None and body not in BODY_LABELS:
        abort(404)
    view = register_view(current_user, unit_id, _day_asked(), body)
    return render_template("registers/unit.html", view=view, values=values or {}, errors=errors or {},
                           import_errors=import_errors or [], header_errors=header_errors, today=_today(),
                           export_header=EXPORT_HEADER, **_labels()), status


@blueprint.get("/<int:unit_id>")
@login_required
def unit(unit_id):
    return _unit_page(unit_id)


@blueprint.post("/<int:unit_id>/members")
@login_required
def add(unit_id):
    values = {name: request.form.get(name, "") for name in MEMBER_FIELDS}
    body = request.form.get("body") or "cell"
    if body not in BODY_LABELS:
        abort(404)
    try:
        member = add_member(current_user, unit_id, values, body=body)
    except InvalidSubmission as invalid:
        flash(_("Chưa thêm đảng viên: hãy sửa các ô được đánh dấu."), "danger")
        return _unit_page(unit_id, values=values, errors=field_errors(invalid.errors), status=422)
    flash(_("Đã thêm %(name)s vào sổ đảng viên.", name=member.full_name), "success")
    return redirect(url_for("registers.unit", unit_id=unit_id, body=body))


@blueprint.post("/<int:unit_id>/body-members")
@login_required
def add_existing(unit_id):
    """A member already in a cell's register joins a committee (the same person, one record)."""
    body = request.form.get("body") or "committee"
    if body not in BODY_LABELS or body == "cell":
        abort(404)
    values = {"member_id": request.form.get("member_id", ""), "joined_on": request.form.get("joined_on", "")}
    member_id = int(values["member_id"]) if values["member_id"].isascii() and values["member_id"].isdigit() \
        and len(values["member_id"]) <= 9 else None
    try:
        add_to_body(current_user, unit_id, member_id, values, body=body)
    except InvalidSubmission as invalid:
        flash(_("Chưa thêm: hãy sửa các ô được đánh dấu."), "danger")
        return _unit_page(unit_id, values=values, errors=field_errors(invalid.errors), status=422)
    flash(_("Đã thêm vào %(body)s.", body=BODY_LABELS[body]), "success")
    return redirect(url_for("registers.unit", unit_id=unit_id, body=body))


@blueprint.post("/<int:unit_id>/import")
@login_required
def import_csv(unit_id):
    upload = request.files.get("file")
    data = upload.read() if upload else b""
    try:
        members = import_cell_csv(current_user, unit_id, data)
    except InvalidBatch as invalid:
        rows = [(line, FIELD_LABELS.get(field, field), " ".join(message(code) for code in codes))
                for line, fields in sorted(invalid.errors.items()) for field, codes in fields.items()]
        flash(_("Chưa nhập gì: tệp có %(count)d dòng sai, hãy sửa rồi tải lên lại.", count=len(invalid.errors)),
              "danger")
        return _unit_page(unit_id, import_errors=rows, status=422)
    except InvalidSubmission as invalid:
        codes = invalid.errors.get("file", [])
        flash(_("Chưa nhập gì: %(reason)s", reason=" ".join(message(code) for code in codes)), "danger")
        header = None
        if "register_csv_bad_header" in codes:
            header = {"unknown": invalid.errors.get("unknown_columns", []),
                      "missing": [str(FIELD_LABELS[name]) for name in invalid.errors.get("missing_columns", [])]}
        return _unit_page(unit_id, header_errors=header, status=422)
    flash(_("Đã nhập %(count)d đảng viên từ tệp.", count=len(members)), "success")
    return redirect(url_for("registers.unit", unit_id=unit_id))


@blueprint.get("/<int:unit_id>/register.csv")
@login_required
def export(unit_id):
    day = _day_asked()
    text = register_csv(current_user, unit_id, day, status_labels={k: str(v) for k, v in STATUS_LABELS.items()})
    return Response(text.encode("utf-8"), mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=so-dang-vien-{unit_id}-{day.isoformat()}.csv"})


def _membership_page(membership_id, *, values=None, errors=None, status=200, form=None):
    view = membership_view(current_user, membership_id)
    return render_template("registers/membership.html", view=view, values=values or {}, errors=errors or {},
                           form=form, today=_today(), status_now=view.member.status_on(_today()),
                           **_labels()), status


@blueprint.get("/memberships/<int:membership_id>")
@login_required
def membership(membership_id):
    return _membership_page(membership_id)


def _membership_action(membership_id, form, action, fields, done):
    values = {name: request.form.get(name, "") for name in fields}
    try:
        result = action(current_user, membership_id, values)
    except InvalidSubmission as invalid:
        flash(_("Chưa lưu: hãy sửa các ô được đánh dấu."), "danger")
        return _membership_page(membership_id, values=values, errors=field_errors(invalid.errors), status=422,
                                form=form)
    flash(done, "success")
    unit_id = getattr(result, "unit_id", None)
    if form == "leaving" and unit_id:
        return redirect(url_for("registers.unit", unit_id=unit_id))
    return redirect(url_for("registers.membership", membership_id=membership_id))


@blueprint.post("/memberships/<int:membership_id>")
@login_required
def edit(membership_id):
    return _membership_action(membership_id, "member", update_member, MEMBER_FIELDS, _("Đã lưu."))


@blueprint.post("/memberships/<int:membership_id>/absence")
@login_required
def absence(membership_id):
    return _membership_action(membership_id, "absence", record_absence, ("kind", "starts_on", "ends_on", "detail"),
                              _("Đã ghi thời gian vắng sinh hoạt."))


@blueprint.post("/memberships/<int:membership_id>/leaving")
@login_required
def leaving(membership_id):
    return _membership_action(membership_id, "leaving", record_leaving, ("left_on", "left_reason"),
                              _("Đã ghi việc rời chi bộ."))
