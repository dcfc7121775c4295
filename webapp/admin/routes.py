"""Administrators: diagrams and forms edited in the browser, versions and migrations, units and users.

Every page here is for administrators only: the blueprint refuses anybody else before a handler
runs (403), and the services check again. Handlers parse the request, call the service, render.
This module holds the blueprint and what its pages share (how a refusal or a deployment is said);
the pages are in diagram_routes, version_routes, form_routes, unit_routes and user_routes (and
operations_routes, startable_routes), each registered on this blueprint by the package.
"""
from flask import Blueprint, flash
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import login_manager
from ..pages.labels import error_text
from ..pages.problems import problem_detail, problem_text
from ..services.deployments import require_admin

blueprint = Blueprint("admin", __name__, url_prefix="/admin")


@blueprint.before_request
def administrators_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    require_admin(current_user)  # Forbidden → the 403 page (errors.py)
    return None


def page_lang():
    return str(get_locale() or "vi")


def codes_text(codes):
    return " ".join(str(error_text(code)) for code in codes)


def all_codes_text(invalid):
    """Every error code of a refused submission, said as one message."""
    return codes_text([code for codes in invalid.errors.values() for code in codes])


def put_errors(form, invalid):
    """Service error codes under the fields they concern; the rest as one message."""
    rest = []
    for field, codes in invalid.errors.items():
        target = getattr(form, field, None) if form is not None else None
        if target is not None and hasattr(target, "errors"):
            target.errors = [*target.errors, *(str(error_text(code)) for code in codes)]
        else:
            rest.append(codes_text(codes))
    return " ".join(rest)


def problem_rows(problems):
    return [{"message": problem_text(p), "detail": problem_detail(p), "element_id": p.element_id,
             "file_name": p.file_name, "line": p.line} for p in problems]


def flash_invalid(form, invalid):
    """A refused submission: its codes under the form's fields, the rest flashed as one message."""
    message = put_errors(form, invalid)
    if message:
        flash(message, "danger")


def deployed_message(outcome):
    if not outcome.created:
        return _("Không có thay đổi so với phiên bản đang dùng (phiên bản %(number)d): không tạo phiên bản mới.",
                 number=outcome.version.number)
    return _("Đã triển khai phiên bản %(number)d; các hồ sơ mới sẽ chạy theo phiên bản này.",
             number=outcome.version.number)
