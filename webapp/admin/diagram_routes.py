"""Administrators: the diagrams of the active version, edited in the browser or uploaded as files."""
from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..pages.labels import role_label
from ..pages.upload_refusals import refusal_text
from ..services import InvalidSubmission, deploy_replacements, diagram_editor, process_overview, replacement_problems
from ..services.admin_views import FILE_NAME
from ..services.deployment_upload import read_upload
from ..services.versions import LANE_ROLES
from .forms import UploadForm
from .routes import all_codes_text, blueprint, codes_text, deployed_message, problem_rows


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
    return jsonify({"ok": not problems, "problems": problem_rows(problems)})



@blueprint.post("/processes/edit/<name>/deploy")
@login_required
def deploy_diagram(name):
    try:
        outcome = deploy_replacements(current_user, {_diagram_name(name): _posted_xml()},
                                      request.form.get("comment", "")[:500])
    except InvalidSubmission as invalid:
        return jsonify({"ok": False, "problems": [], "message": all_codes_text(invalid)}), 422
    if outcome.problems:
        return jsonify({"ok": False, "problems": problem_rows(outcome.problems),
                        "message": _("Sơ đồ chưa hợp lệ: chưa lưu gì.")}), 422
    return jsonify({"ok": True, "number": outcome.version.number, "created": outcome.created,
                    "message": deployed_message(outcome), "problems": []})


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
                form.comment.errors = [codes_text(codes) for codes in invalid.errors.values()]
                status = 422
            else:
                if not outcome.problems:
                    flash(deployed_message(outcome), "success" if outcome.created else "info")
                    return redirect(url_for("admin.versions"))
                problems, status = outcome.problems, 422
    elif request.method == "POST":
        status = 422
    return render_template("admin/upload.html", overview=overview, form=form, problems=problems,
                           errors=errors), status
