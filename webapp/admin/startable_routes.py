"""Administrators: which processes of the deployment can be started, by which roles, in which units (issue 17).

On the admin blueprint (its before_request refuses anybody but administrators).
"""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..pages.labels import error_text, role_label
from ..services import InvalidSubmission
from ..services.startable import STARTING_ROLE_CHOICES, set_startable, startable_overview
from .forms import UNIT_KIND_LABELS
from .routes import blueprint


def _page(errors=None, failed=None, values=None, status=200):
    return render_template(
        "admin/startable.html", rows=startable_overview(current_user),
        roles=[(role, str(role_label(role))) for role in STARTING_ROLE_CHOICES],
        kinds=[(kind, str(label)) for kind, label in UNIT_KIND_LABELS.items()],
        errors=errors or {}, failed=failed, values=values), status


@blueprint.get("/processes/startable")
@login_required
def startable():
    return _page()


@blueprint.post("/processes/startable/<process_id>")
@login_required
def save_startable(process_id):
    # CSRF is checked for every POST by the app's CSRFProtect; the lists are checked by the service.
    values = {"enabled": request.form.get("enabled") == "on", "roles": request.form.getlist("roles"),
              "unit_code": (request.form.get("unit_code") or "")[:40],
              "unit_kinds": request.form.getlist("unit_kinds")}
    try:
        changed = set_startable(current_user, process_id, **values)
    except InvalidSubmission as invalid:
        errors = {field: " ".join(str(error_text(code)) for code in codes) for field, codes in invalid.errors.items()}
        flash(_("Chưa lưu: %(reason)s", reason=" ".join(errors.values())), "danger")
        return _page(errors=errors, failed=process_id, values=values, status=422)
    flash(_("Đã lưu quyền mở hồ sơ theo quy trình %(process)s.", process=process_id) if changed
          else _("Không có thay đổi."), "success" if changed else "info")
    return redirect(url_for("admin.startable"))
