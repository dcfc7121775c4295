"""Administrators: diagrams and forms edited in the browser, versions and migrations, units and users.

Every page here is for administrators only: the blueprint refuses anybody else before a handler
runs (403), and the services check again. Handlers parse the request, call the service, render.
"""
from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import login_manager
from ..pages.converters import url_int
from ..pages.diagram_changes import STATUS_LABELS, aspects_text, kind_label
from ..pages.headers import stored_file
from ..pages.labels import REROUTE_STAGE_LABELS, ROLE_LABELS, error_text, role_label
from ..pages.problems import problem_detail, problem_text
from ..pages.search_keys import needs_moving, recalled_search, redirect_with_key
from ..pages.step_names import diagram_labels
from ..pages.upload_refusals import refusal_text
from ..services import (
    InvalidSubmission,
    add_unit_checked,
    change_user_active,
    deploy_replacements,
    diagram_editor,
    form_preview,
    form_sources,
    give_role_checked,
    migration_rows,
    process_overview,
    replacement_problems,
    unit_for_edit,
    unit_rows,
    user_detail,
    user_rows,
    withdraw_role,
)
from ..services.admin_views import FILE_NAME, FORM_NAME, create_form
from ..services.deployment_upload import read_upload
from ..services.deployments import activate_version, migrate_cases, require_admin
from ..services.organisation_admin import (
    ImpactNotConfirmed,
    add_user,
    reset_password,
    unit_change_impact,
    update_unit,
)
from ..services.version_compare import version_comparison, version_file
from ..services.versions import FORM_SCHEMA_SUFFIX, FORM_UI_SUFFIX, LANE_ROLES
from ..taskforms import FormDefinitionError
from .forms import (
    FORM_NAME_RULE,
    FORM_NAME_TAKEN,
    UNIT_KIND_LABELS,
    FormSourceForm,
    GrantRoleForm,
    NewFormForm,
    NewUnitForm,
    NewUserForm,
    ResetPasswordForm,
    UnitForm,
    UploadForm,
)

blueprint = Blueprint("admin", __name__, url_prefix="/admin")


@blueprint.before_request
def administrators_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    require_admin(current_user)  # Forbidden → the 403 page (errors.py)
    return None


def _lang():
    return str(get_locale() or "vi")


def _codes_text(codes):
    return " ".join(str(error_text(code)) for code in codes)


def _put_errors(form, invalid):
    """Service error codes under the fields they concern; the rest as one message."""
    rest = []
    for field, codes in invalid.errors.items():
        target = getattr(form, field, None) if form is not None else None
        if target is not None and hasattr(target, "errors"):
            target.errors = [*target.errors, *(str(error_text(code)) for code in codes)]
        else:
            rest.append(_codes_text(codes))
    return " ".join(rest)


def _problems(problems):
    return [{"message": problem_text(p), "detail": problem_detail(p), "element_id": p.element_id,
             "file_name": p.file_name, "line": p.line} for p in problems]


# --- diagrams -------------------------------------------------------------------------------------


@blueprint.get("/processes")
@login_required
def processes():
    return render_template("admin/processes.html", overview=process_overview(current_user))


@blueprint.get("/processes/edit/<name>")
@login_required
def edit_diagram(name):
    editor = diagram_editor(current_user, name)
    return render_template("admin/diagram.html", editor=editor,
                           lane_roles=[(role, str(role_label(role))) for role in LANE_ROLES])


def _diagram_name(name):
    if not FILE_NAME.match(name) or not name.endswith(".bpmn"):
        abort(404)
    return name


def _posted_xml():
    return (request.form.get("xml") or "").encode("utf-8")


@blueprint.post("/processes/edit/<name>/validate")
@login_required
def validate_diagram(name):
    problems = replacement_problems(current_user, {_diagram_name(name): _posted_xml()})
    return jsonify({"ok": not problems, "problems": _problems(problems)})


def _deployed_message(outcome):
    if not outcome.created:
        return _("Không có thay đổi so với phiên bản đang dùng (phiên bản %(number)d): không tạo phiên bản mới.",
                 number=outcome.version.number)
    return _("Đã triển khai phiên bản %(number)d; các hồ sơ mới sẽ chạy theo phiên bản này.",
             number=outcome.version.number)


@blueprint.post("/processes/edit/<name>/deploy")
@login_required
def deploy_diagram(name):
    try:
        outcome = deploy_replacements(current_user, {_diagram_name(name): _posted_xml()},
                                      request.form.get("comment", "")[:500])
    except InvalidSubmission as invalid:
        return jsonify({"ok": False, "problems": [], "message": _codes_text(
            [code for codes in invalid.errors.values() for code in codes])}), 422
    if outcome.problems:
        return jsonify({"ok": False, "problems": _problems(outcome.problems),
                        "message": _("Sơ đồ chưa hợp lệ: chưa lưu gì.")}), 422
    return jsonify({"ok": True, "number": outcome.version.number, "created": outcome.created,
                    "message": _deployed_message(outcome), "problems": []})


def _uploaded_files(storages):
    """{file name: bytes} of the chosen files (a .zip unpacked), and one line per file that cannot be deployed."""
    chosen = [(storage.filename, storage.read()) for storage in storages or () if storage and storage.filename]
    upload = read_upload(chosen)
    return upload.files, [refusal_text(refusal) for refusal in upload.refusals]


@blueprint.route("/processes/upload", methods=["GET", "POST"])
@login_required
def upload():
    overview = process_overview(current_user)
    form = UploadForm()
    problems, errors, status = None, [], 200
    if form.validate_on_submit():
        files, errors = _uploaded_files(form.files.data)
        if not files and not errors:
            errors.append(_("Chưa chọn tệp nào."))
        if errors:
            status = 422
        elif request.form.get("action") == "validate":
            problems = replacement_problems(current_user, files)
            if not problems:
                flash(_("Các tệp hợp lệ: có thể triển khai."), "success")
            status = 422 if problems else 200
        else:
            try:
                outcome = deploy_replacements(current_user, files, form.comment.data or "")
            except InvalidSubmission as invalid:
                form.comment.errors = [_codes_text(codes) for codes in invalid.errors.values()]
                status = 422
            else:
                if not outcome.problems:
                    flash(_deployed_message(outcome), "success" if outcome.created else "info")
                    return redirect(url_for("admin.versions"))
                problems, status = outcome.problems, 422
    elif request.method == "POST":
        status = 422
    return render_template("admin/upload.html", overview=overview, form=form, problems=problems,
                           errors=errors), status


# --- versions and migration -----------------------------------------------------------------------


def _int_arg(name):
    return url_int(request.args.get(name, ""))


@blueprint.get("/versions")
@login_required
def versions():
    overview = process_overview(current_user)
    old_id, new_id = _int_arg("old"), _int_arg("new")
    comparison = version_comparison(current_user, old_id, new_id) if old_id and new_id else None
    return render_template("admin/versions.html", overview=overview, comparison=comparison, old_id=old_id,
                           new_id=new_id, kind_label=kind_label, aspects_text=aspects_text,
                           status_labels=STATUS_LABELS, diagram_labels=diagram_labels() if comparison else None)


@blueprint.get("/versions/<int:version_id>/files/<name>")
@login_required
def version_file_text(version_id, name):
    """One stored file of a version, as inert text (bpmn-js on the comparison page fetches it)."""
    content = version_file(current_user, version_id, name)
    if content is None:
        abort(404)
    return stored_file(content)


@blueprint.post("/versions/<int:version_id>/activate")
@login_required
def activate(version_id):
    version = activate_version(current_user, version_id)
    flash(_("Đã kích hoạt phiên bản %(number)d: các hồ sơ mới sẽ chạy theo phiên bản này. Các hồ sơ đang chạy "
            "giữ phiên bản của chúng cho đến khi được chuyển.", number=version.number), "success")
    return redirect(url_for("admin.versions"))


@blueprint.route("/versions/<int:version_id>/migration", methods=["GET", "POST"])
@login_required
def migration(version_id):
    if request.method == "POST":
        chosen = [n for value in request.form.getlist("instance") if (n := url_int(value)) is not None]
        moved = migrate_cases(current_user, version_id, chosen)
        flash(_("Đã chuyển %(moved)d/%(chosen)d hồ sơ sang phiên bản mới.", moved=len(moved), chosen=len(chosen)),
              "success" if moved else "warning")
        return redirect(url_for("admin.migration", version_id=version_id))
    version, rows = migration_rows(current_user, version_id)
    return render_template("admin/migration.html", version=version, rows=rows)


# --- forms ----------------------------------------------------------------------------------------


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
                flash(_("Đã tạo biểu mẫu %(name)s.", name=name) + " " + _deployed_message(outcome), "success")
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
            flash(_deployed_message(outcome), "success" if outcome.created else "info")
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
    form = form_class(None, prefix="preview-", meta={"lang": _lang()})  # ids apart from the editor's own
    return render_template("admin/_form_preview.html", error=None, form=form)


# --- organisation units ---------------------------------------------------------------------------


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
            message = _put_errors(form, invalid)
            if message:
                flash(message, "danger")
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
            flash(_codes_text(unconfirmed.errors["_form"]), "warning")
        except InvalidSubmission as invalid:
            message = _put_errors(form, invalid)
            if message:
                flash(message, "danger")
            status = 422
    elif request.method == "POST":
        status = 422
    return render_template("admin/unit_edit.html", unit=unit, form=form, impact=impact,
                           kinds=UNIT_KIND_LABELS, stage_labels=REROUTE_STAGE_LABELS), status


# --- users ----------------------------------------------------------------------------------------


@blueprint.post("/users/search")
@login_required
def search_users():
    """The user search form: names of people never stay in the address (pages/search_keys.py)."""
    return redirect_with_key("admin.users", ())


@blueprint.route("/users", methods=["GET", "POST"])
@login_required
def users():
    if request.method == "GET" and needs_moving():  # an old link with a name in it
        return redirect_with_key("admin.users", ())
    search = (recalled_search() or "")[:80]
    rows = user_rows(current_user, search or None)
    form = NewUserForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = add_user(current_user, username=form.username.data, full_name=form.full_name.data,
                            password=form.password.data)
        except InvalidSubmission as invalid:
            message = _put_errors(form, invalid)
            if message:
                flash(message, "danger")
            status = 422
        else:
            flash(_("Đã tạo tài khoản %(username)s. Hãy giao vai trò cho người dùng.", username=user.username),
                  "success")
            return redirect(url_for("admin.user", user_id=user.id))
    elif request.method == "POST":
        status = 422
    return render_template("admin/users.html", rows=rows, form=form, search=search), status


def _role_choices():
    return [(role, str(label)) for role, label in ROLE_LABELS.items()]


def _user_page(user_id, *, grant=None, password=None, status=200):
    row = user_detail(current_user, user_id)
    if grant is None:
        grant = GrantRoleForm(formdata=None)
        grant.set_choices(_role_choices(), unit_rows(current_user))
    if password is None:
        password = ResetPasswordForm(formdata=None)
    return render_template("admin/user.html", row=row, grant=grant, password=password), status


@blueprint.get("/users/<int:user_id>")
@login_required
def user(user_id):
    return _user_page(user_id)


@blueprint.post("/users/<int:user_id>/active")
@login_required
def user_active(user_id):
    active = request.form.get("active") == "1"
    try:
        changed = change_user_active(current_user, user_id, active)
    except InvalidSubmission as invalid:
        flash(_codes_text([code for codes in invalid.errors.values() for code in codes]), "danger")
    else:
        flash(_("Đã mở lại tài khoản %(username)s.", username=changed.username) if active
              else _("Đã khóa tài khoản %(username)s.", username=changed.username), "success")
    return redirect(url_for("admin.user", user_id=user_id))


@blueprint.post("/users/<int:user_id>/password")
@login_required
def user_password(user_id):
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            reset_password(current_user, user_id, form.password.data)
        except InvalidSubmission as invalid:
            _put_errors(form, invalid)
        else:
            flash(_("Đã đặt lại mật khẩu. Hãy báo mật khẩu mới cho người dùng qua kênh an toàn."), "success")
            return redirect(url_for("admin.user", user_id=user_id))
    return _user_page(user_id, password=form, status=422)


@blueprint.post("/users/<int:user_id>/roles")
@login_required
def grant_role(user_id):
    form = GrantRoleForm()
    form.set_choices(_role_choices(), unit_rows(current_user))
    if form.validate_on_submit():
        try:
            give_role_checked(current_user, user_id, form.role.data, form.unit_id.data)
        except InvalidSubmission as invalid:
            message = _put_errors(form, invalid)
            if message:
                flash(message, "danger")
        else:
            flash(_("Đã giao vai trò %(role)s.", role=role_label(form.role.data)), "success")
            return redirect(url_for("admin.user", user_id=user_id))
    return _user_page(user_id, grant=form, status=422)


@blueprint.post("/users/<int:user_id>/roles/<int:assignment_id>/revoke")
@login_required
def revoke_role(user_id, assignment_id):
    try:
        withdraw_role(current_user, user_id, assignment_id)
    except InvalidSubmission as invalid:
        flash(_codes_text([code for codes in invalid.errors.values() for code in codes]), "danger")
    else:
        flash(_("Đã thu hồi vai trò."), "success")
    return redirect(url_for("admin.user", user_id=user_id))
