"""Administrators: the user accounts, their passwords, and the roles they hold in units."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..pages.labels import ROLE_LABELS, role_label
from ..pages.search_keys import needs_moving, recalled_search, redirect_with_key
from ..services import (
    InvalidSubmission,
    change_user_active,
    give_role_checked,
    unit_rows,
    user_detail,
    user_rows,
    withdraw_role,
)
from ..services.organisation_admin import add_user, reset_password
from .forms import GrantRoleForm, NewUserForm, ResetPasswordForm
from .routes import all_codes_text, blueprint, flash_invalid, put_errors


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
            flash_invalid(form, invalid)
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
        flash(all_codes_text(invalid), "danger")
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
            put_errors(form, invalid)
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
            flash_invalid(form, invalid)
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
        flash(all_codes_text(invalid), "danger")
    else:
        flash(_("Đã thu hồi vai trò."), "success")
    return redirect(url_for("admin.user", user_id=user_id))
