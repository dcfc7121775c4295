"""Administrators: the versions of the deployment compared and activated, and running cases moved to one."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..pages.converters import url_int
from ..pages.diagram_changes import STATUS_LABELS, aspects_text, kind_label
from ..pages.headers import stored_file
from ..pages.step_names import diagram_labels
from ..services import migration_rows, process_overview
from ..services.deployments import activate_version, migrate_cases
from ..services.version_compare import version_comparison, version_file
from .routes import blueprint


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
