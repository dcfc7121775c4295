"""Sign in, sign out, change password, pick the role to act in, switch language."""
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import login_manager
from ..pages.acting import SESSION_KEY
from ..pages.formatting import dmy_hm
from ..pages.labels import error_text, role_label
from ..services import (
    InvalidSubmission,
    LoginRefused,
    acting_roles,
    change_password,
    end_session,
    session_user,
    sign_in,
)
from .addresses import client_address
from .devices import device_marks, remember_device
from .forms import ActingForm, LoginForm, PasswordForm

blueprint = Blueprint("auth", __name__)
LANGUAGES = ("vi", "en")
#: The server-side session's token in the signed cookie (services/sessions.py says whether it is open).
SESSION_TOKEN = "sid"


@login_manager.user_loader
def load_user(user_id):
    """Signed in only while this cookie's server-side session is open: a copied cookie dies with it."""
    return session_user(session.get(SESSION_TOKEN), user_id)


def _safe_next(target):
    """Only redirect within this site (no open redirects).

    A path must start with one "/": browsers read "//host" and "/\\host" (a backslash is a slash
    to them) as another site, and drop tabs and line breaks before they look.
    """
    if not target:
        return url_for("tasks.inbox")
    parts = urlsplit(target)
    on_site = (not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//")
               and "\\" not in target and not any(ord(char) < 32 for char in target))
    return target if on_site else url_for("tasks.inbox")


def _fresh_session():
    """Forget everything but the language the visitor picked (signing in or out is not a language change)."""
    language = session.get("lang")
    session.clear()
    if language in LANGUAGES:
        session["lang"] = language


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            signed = sign_in(form.username.data, form.password.data, address=client_address(),
                             device_marks=device_marks())
        except LoginRefused as refused:
            if refused.locked_until is not None:
                form.password.errors.append(_("Đăng nhập sai quá nhiều lần. Thử lại sau %(when)s.",
                                              when=dmy_hm(refused.locked_until)))
            else:
                form.password.errors.append(_("Tên đăng nhập hoặc mật khẩu không đúng."))
            return render_template("auth/login.html", form=form), 401
        _fresh_session()  # a new session on sign-in: no fixation
        login_user(signed.user, remember=False)  # no remember-me cookie: a session ends when it ends
        session[SESSION_TOKEN] = signed.session_token
        return remember_device(redirect(_safe_next(request.args.get("next"))), signed.device_mark)
    return render_template("auth/login.html", form=form)


@blueprint.post("/logout")
@login_required
def logout():
    end_session(session.get(SESSION_TOKEN))
    logout_user()
    _fresh_session()
    flash(_("Đã đăng xuất."), "info")
    return redirect(url_for("auth.login"))


@blueprint.route("/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            change_password(current_user, form.current_password.data, form.new_password.data,
                            session_token=session.get(SESSION_TOKEN))
        except InvalidSubmission as invalid:
            for field, codes in invalid.errors.items():
                getattr(form, field).errors.extend(str(error_text(code)) for code in codes)
            return render_template("auth/password.html", form=form), 422
        flash(_("Đã đổi mật khẩu."), "success")
        return redirect(url_for("tasks.inbox"))
    return render_template("auth/password.html", form=form), 422 if form.errors else 200


@blueprint.route("/acting", methods=["GET", "POST"])
@login_required
def acting():
    roles = acting_roles(current_user.id)
    form = ActingForm()
    form.assignment.choices = [(r.assignment_id, f"{role_label(r.role)} — {r.unit_name}") for r in roles]
    if not roles:
        return render_template("auth/acting.html", form=None), 403
    if form.validate_on_submit():
        session[SESSION_KEY] = form.assignment.data
        return redirect(_safe_next(request.args.get("next")))
    if request.method == "POST":  # not one of the user's own assignments (or a tampered form)
        flash(_("Hãy chọn một trong các vai trò của bạn."), "danger")
        return render_template("auth/acting.html", form=form), 422
    return render_template("auth/acting.html", form=form)


@blueprint.get("/lang/<code>")
def language(code):
    if code in LANGUAGES:
        session["lang"] = code
    return redirect(_safe_next(request.args.get("next") or (request.referrer and urlsplit(request.referrer).path)))
