"""The official documents of a case and the national register export: parse, call one service, send.

Every download is generated on request and recorded by the service (`document_generated`,
`register_exported`); nothing is cached, and file names carry no personal data.
"""
import io
from datetime import date

from flask import Blueprint, abort, render_template, request, send_file
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..authz.documents import may_export_register
from ..pages.acting import current_acting
from ..pages.converters import url_int
from ..services.clock import VIETNAM, resolve_now
from ..services.documents.generate import case_documents, generate_document
from ..services.documents.register_export import COLUMNS, export_register
from ..services.errors import Forbidden, InvalidSubmission
from ..services.history import visible_instance

blueprint = Blueprint("documents", __name__)
blueprint.add_app_template_global(may_export_register)
FORMATS = ("docx", "pdf")
ERRORS = {"required": lambda: _("Hãy chọn ngày."), "before_from": lambda: _("Ngày cuối kỳ trước ngày đầu kỳ."),
          "period_too_long": lambda: _("Kỳ xuất dài quá ba năm: hãy chọn kỳ ngắn hơn."),
          "unknown": lambda: _("Định dạng không có: chọn CSV hoặc XLSX.")}


@blueprint.get("/cases/<int:instance_id>/documents")
@login_required
def listing(instance_id):
    acting = current_acting()
    instance = visible_instance(current_user.id, instance_id)
    return render_template("documents/list.html", instance=instance,
                           documents=case_documents(current_user, instance_id, acting))


@blueprint.get("/cases/<int:instance_id>/documents/<name>.<file_format>")
@login_required
def download(instance_id, name, file_format):
    if file_format not in FORMATS:
        abort(404)
    document = generate_document(current_user, instance_id, name, file_format, acting=current_acting())
    return send_file(io.BytesIO(document.content), mimetype=document.content_type, as_attachment=True,
                     download_name=document.file_name, max_age=0)


def _day(name):
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


@blueprint.get("/documents/register")
@login_required
def register():
    """The form (a period, a unit) and, once asked, the download."""
    acting = current_acting()
    if not may_export_register(acting):
        raise Forbidden("the register export is not for the role you act in")
    errors, file_format = {}, request.args.get("format")
    if file_format:
        try:
            unit = request.args.get("unit")  # not a number → -1, a unit nobody has: not found
            name, content = export_register(current_user, acting, _day("from"), _day("to"), file_format,
                                            url_int(unit, -1) if unit else None)
        except InvalidSubmission as invalid:
            errors = {field: [ERRORS.get(code, lambda c=code: c)() for code in codes]
                      for field, codes in invalid.errors.items()}
        else:
            mimetype = ("text/csv; charset=utf-8" if file_format == "csv"
                        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            return send_file(io.BytesIO(content), mimetype=mimetype, as_attachment=True, download_name=name,
                             max_age=0)
    today = resolve_now().astimezone(VIETNAM).date()
    return render_template("documents/register.html", columns=COLUMNS, errors=errors,
                           period_from=request.args.get("from") or date(today.year, 1, 1).isoformat(),
                           period_to=request.args.get("to") or today.isoformat()), 400 if errors else 200
