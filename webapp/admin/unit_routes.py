"""Administrators: the organisation units, added and edited (a change that hands running cases' work to other
bodies is saved only once its preview is confirmed)."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..pages.labels import REROUTE_STAGE_LABELS
from ..services import InvalidSubmission, add_unit_checked, unit_for_edit, unit_rows
from ..services.organisation_admin import ImpactNotConfirmed, unit_change_impact, update_unit
from .forms import UNIT_KIND_LABELS, NewUnitForm, UnitForm
from .routes import blueprint, codes_text, flash_invalid


@blueprint.route("/units", methods=["GET", "POST"])
@login_required
def units():
    rows = unit_rows(current_user)
    form = NewUnitForm()
    form.set_units(rows)
    status = 200
    if form.validate_on_submit():
        fields = form.changes()
        parent_id = fields.pop("parent_id", None)
        try:
            unit = add_unit_checked(current_user, parent_id=parent_id, code=form.code.data, **fields)
        except InvalidSubmission as invalid:
            flash_invalid(form, invalid)
            status = 422
        else:
            flash(_("Đã thêm đơn vị %(name)s.", name=unit.name), "success")
            return redirect(url_for("admin.units"))
    elif request.method == "POST":
        status = 422
    return render_template("admin/units.html", rows=rows, form=form, kinds=UNIT_KIND_LABELS), status


@blueprint.route("/units/<int:unit_id>", methods=["GET", "POST"])
@login_required
def edit_unit(unit_id):
    edit = unit_for_edit(current_user, unit_id)
    unit = edit.unit
    form = UnitForm(obj=unit) if request.method == "GET" else UnitForm()
    form.set_units(edit.rows, parent_rows=edit.parents, root=unit.parent_id is None)
    if request.method == "GET":
        form.parent_id.data = unit.parent_id
    impact, status = None, 200
    if form.validate_on_submit():
        changes = form.changes()
        try:
            if request.form.get("action") == "save":
                # The token of the preview the administrator saw: a change that hands work of running
                # cases to other bodies is saved only when that is still exactly what it does.
                update_unit(current_user, unit_id, changes, confirmed_impact=request.form.get("impact_token", ""))
                flash(_("Đã lưu đơn vị %(name)s.", name=changes["name"]), "success")
                return redirect(url_for("admin.edit_unit", unit_id=unit_id))
            impact = unit_change_impact(current_user, unit_id, changes)
        except ImpactNotConfirmed as unconfirmed:
            impact, status = unconfirmed.impact, 409
            flash(codes_text(unconfirmed.errors["_form"]), "warning")
        except InvalidSubmission as invalid:
            flash_invalid(form, invalid)
            status = 422
    elif request.method == "POST":
        status = 422
    return render_template("admin/unit_edit.html", unit=unit, form=form, impact=impact,
                           kinds=UNIT_KIND_LABELS, stage_labels=REROUTE_STAGE_LABELS), status
