"""Reading cases as an auditor: history, the path on the diagram, rule checks, search, export, integrity.

Every route here is GET: auditors only read. Views of personal data by an auditor are recorded.
"""
from datetime import date

from flask import Blueprint, Response, abort, jsonify, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..authz import may_check_integrity, may_export_cases, may_search_cases
from ..pages.acting import current_acting
from ..pages.converters import url_int
from ..pages.formatting import VIETNAM
from ..pages.headers import stored_file
from ..pages.labels import STATUS_LABELS
from ..pages.search_keys import needs_moving, recalled_search, redirect_with_key, say_forgotten, searched_text
from ..pages.step_names import diagram_labels
from ..services import (
    SearchFilters,
    case_dossier,
    case_path,
    case_timeline,
    check_case,
    diagram_files,
    export_csv,
    integrity_report,
    record_listing,
    record_view,
    require_page,
    search_cases,
    search_choices,
    visible_instance,
)
from ..services.clock import resolve_now
from ..services.deputies import on_behalf_of
from ..services.errors import Forbidden
from ..services.search import OUTCOMES

blueprint = Blueprint("audit", __name__)
# The menu asks the same need-to-know rules the routes below enforce.
for _rule in (may_search_cases, may_export_cases, may_check_integrity):
    blueprint.add_app_template_global(_rule)
OUTCOME_LABELS = {"official": _l("Đảng viên chính thức"), "rejected": _l("Không kết nạp"),
                  "removed": _l("Xóa tên dự bị"), "stopped_background": _l("Dừng do lý lịch"),
                  "not_admitted": _l("Không đề nghị kết nạp"), "not_eligible": _l("Không đủ điều kiện về tuổi")}


def _today():
    return resolve_now().astimezone(VIETNAM).date()


def _acting_may(predicate):
    """The acting role, if `predicate` (an authz need-to-know rule) lets it use this page; else 403."""
    acting = current_acting()
    if not predicate(acting):
        raise Forbidden("this page is not for the role you act in")
    return acting


def _date_arg(name):
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


#: What the search keeps in its address; the student's name goes under a key (pages/search_keys.py).
SEARCH_FIELDS = ("unit", "step", "status", "outcome", "from", "to", "overdue", "page")


def _filters(q=None):
    page, unit = request.args.get("page", "1"), request.args.get("unit", "")
    return SearchFilters(q=q, unit_id=url_int(unit),
                         step=request.args.get("step") or None, status=request.args.get("status") or None,
                         outcome=request.args.get("outcome") or None, started_from=_date_arg("from"),
                         started_to=_date_arg("to"), overdue=request.args.get("overdue") == "1",
                         page=url_int(page, 1))


@blueprint.route("/audit/cases", methods=["GET", "POST"])
@login_required
def search():
    acting = _acting_may(may_search_cases)
    if needs_moving():  # the form posts; a name never stays in the address
        return redirect_with_key("audit.search", SEARCH_FIELDS)
    filters = _filters(recalled_search())
    page = search_cases(acting, filters, _today())
    record_listing(current_user, acting, "search", [row.instance_id for row in page.rows])
    return render_template("audit/search.html", page=page, filters=filters, outcomes=OUTCOMES,
                           outcome_labels=OUTCOME_LABELS, choices=search_choices(current_acting()))


@blueprint.get("/audit/cases.csv")
@login_required
def export():
    def label(kind, value):
        if kind == "status":
            return str(STATUS_LABELS.get(value, value))
        if kind == "outcome":
            return str(OUTCOME_LABELS.get(value, value))
        return {"F": _("Nữ"), "M": _("Nam")}.get(value, value) if kind == "sex" else value

    acting = _acting_may(may_export_cases)
    if needs_moving():
        return redirect_with_key("audit.export", SEARCH_FIELDS)
    text, forgotten = searched_text()
    if forgotten:  # exporting every case instead of the ones searched for would hand out more than was asked
        say_forgotten()
        return redirect_with_key("audit.search", SEARCH_FIELDS)
    # The export is recorded before the response is returned (a failure there gets our error page);
    # the rows then stream from a cursor as they are written, inside the request's context.
    chunks = export_csv(current_user, acting, _filters(text), _today(), labels=label)
    return Response(stream_with_context(chunks), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": "attachment; filename=ho-so.csv"})


@blueprint.get("/cases/<int:instance_id>/history")
@login_required
def history(instance_id):
    acting = current_acting()
    require_page(current_user, visible_instance(current_user.id, instance_id), "history", acting)
    instance, timeline = case_timeline(current_user, instance_id, acting=acting)
    dossier = case_dossier(current_user.id, instance_id, acting.assignment_id if acting else None)
    return render_template("audit/history.html", instance=instance, timeline=timeline, dossier=dossier,
                           checks=check_case(instance), on_behalf=on_behalf_of(instance_id))


@blueprint.get("/cases/<int:instance_id>/diagram")
@login_required
def diagram(instance_id):
    acting = current_acting()
    instance = visible_instance(current_user.id, instance_id)
    require_page(current_user, instance, "diagram", acting)
    record_view(current_user, instance, "diagram", acting=acting)
    _, timeline = case_timeline(current_user, instance_id, record=False, acting=acting)
    return render_template("audit/diagram.html", instance=instance, timeline=timeline,
                           dossier=case_dossier(current_user.id, instance_id, acting.assignment_id if acting else None))


@blueprint.get("/cases/<int:instance_id>/diagram.json")
@login_required
def diagram_data(instance_id):
    visible_instance(current_user.id, instance_id)
    files = diagram_files(instance_id)
    marks = case_path(instance_id)
    return jsonify({
        "main": files.main_process,
        "files": {process_id: url_for("audit.diagram_file", instance_id=instance_id, name=name)
                  for process_id, name in files.by_process.items()},
        "completed": sorted(set().union(*marks.completed.values())) if marks.completed else [],
        "current": sorted(set().union(*marks.current.values())) if marks.current else [],
        "cancelled": sorted(set().union(*marks.cancelled.values())) if marks.cancelled else [],
        "labels": diagram_labels(),  # lanes by role label, steps in the reader's language (view only)
    })


@blueprint.get("/cases/<int:instance_id>/diagram/<name>")
@login_required
def diagram_file(instance_id, name):
    visible_instance(current_user.id, instance_id)
    content = diagram_files(instance_id).content.get(name)
    if content is None:
        abort(404)
    return stored_file(content)  # inert text: markup inside a diagram must never run in our origin


@blueprint.get("/cases/<int:instance_id>/print")
@login_required
def printable(instance_id):
    acting = current_acting()
    require_page(current_user, visible_instance(current_user.id, instance_id), "print", acting)
    instance, timeline = case_timeline(current_user, instance_id, record=False, acting=acting)
    record_view(current_user, instance, "print", acting=acting)
    return render_template("audit/print.html", instance=instance, timeline=timeline, checks=check_case(instance),
                           dossier=case_dossier(current_user.id, instance_id, acting.assignment_id if acting else None),
                           on_behalf=on_behalf_of(instance_id))


@blueprint.get("/audit/integrity")
@login_required
def integrity():
    return render_template("audit/integrity.html", report=integrity_report(_acting_may(may_check_integrity)))
