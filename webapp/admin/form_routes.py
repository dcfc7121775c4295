"""Administrators: the forms of the active version, created, edited and previewed in the browser."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..services import InvalidSubmission, deploy_replacements, form_preview, form_sources, process_overview
from ..services.admin_views import FORM_NAME, create_form
from ..services.versions import FORM_SCHEMA_SUFFIX, FORM_UI_SUFFIX
from ..taskforms import FormDefinitionError
from .forms import FORM_NAME_RULE, FORM_NAME_TAKEN, FormSourceForm, NewFormForm
from .routes import blueprint, deployed_message, page_lang


@blueprint.route("/forms", methods=["GET", "POST"])
@login_required
def forms():
    """The forms of the active version, and a new one (POST): created with a starter schema, then edited."""
    form, problems, status = NewFormForm(), None, 200
    if form.validate_on_submit():
        name = form.name.data.strip()
        try:
            outcome = create_form(current_user, name, form.comment.data)
        except InvalidSubmission as invalid:
            codes = [code for codes in invalid.errors.values() for code in codes]
            form.name.errors = [str(FORM_NAME_TAKEN) if "taken" in codes else str(FORM_NAME_RULE)]
            status = 422
        else:
            if not outcome.problems:
                flash(_("Đã tạo biểu mẫu %(name)s.", name=name) + " " + deployed_message(outcome), "success")
                return redirect(url_for("admin.edit_form", name=name))
            problems, status = outcome.problems, 422
    elif request.method == "POST":
        status = 422
    return render_template("admin/forms.html", overview=process_overview(current_user), form=form,
                           problems=problems), status


@blueprint.route("/forms/<name>", methods=["GET", "POST"])
@login_required
def edit_form(name):
    schema, ui = form_sources(current_user, name)
    form = FormSourceForm(data={"schema": schema, "ui": ui})
    problems, status = None, 200
    if form.validate_on_submit():
        replacements = {name + FORM_SCHEMA_SUFFIX: form.schema.data.encode("utf-8")}
        removed = ()
        if (form.ui.data or "").strip():
            replacements[name + FORM_UI_SUFFIX] = form.ui.data.encode("utf-8")
        else:
            removed = (name + FORM_UI_SUFFIX,)
        outcome = deploy_replacements(current_user, replacements, form.comment.data, removed=removed)
        if not outcome.problems:
            flash(deployed_message(outcome), "success" if outcome.created else "info")
            return redirect(url_for("admin.edit_form", name=name))
        problems, status = outcome.problems, 422
    elif request.method == "POST":
        status = 422
    return render_template("admin/form_edit.html", name=name, form=form, problems=problems), status


@blueprint.post("/forms/<name>/preview")
@login_required
def preview_form(name):
    if not FORM_NAME.match(name):
        abort(404)
    schema, ui = request.form.get("schema", ""), request.form.get("ui", "")
    try:
        form_class = form_preview(current_user, name, schema.encode("utf-8"),
                                  ui.encode("utf-8") if ui.strip() else None)
    except FormDefinitionError as error:
        return render_template("admin/_form_preview.html", error=str(error), form=None)
    form = form_class(None, prefix="preview-", meta={"lang": page_lang()})  # ids apart from the editor's own
    return render_template("admin/_form_preview.html", error=None, form=form)
