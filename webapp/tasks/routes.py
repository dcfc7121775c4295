"""The inbox, the task page, and batch pages for steps done for many students at once."""
from dataclasses import replace

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..pages.acting import current_acting
from ..pages.converters import url_int
from ..pages.formatting import VIETNAM, dmy_hm
from ..pages.labels import error_text
from ..pages.search_keys import needs_moving, recalled_search, redirect_with_key
from ..pages.step_names import step_name
from ..services import (
    MAX_ATTACHMENT_BYTES,
    InboxFilters,
    InvalidBatch,
    InvalidSubmission,
    NotFound,
    StaleCase,
    StepFailed,
    TaskAlreadyCompleted,
    add_attachment,
    case_dossier,
    complete_task,
    complete_tasks,
    own_completion,
    record_view,
    step_form,
    task_page,
)
from ..services import inbox as inbox_rows
from ..services.clock import resolve_now
from ..services.register_choices import member_choices
from ..services.worklist import holders_of, late_submission, saved_filters
from ..taskforms import build_form_class
from ..taskforms.confirmations import consequences, fingerprint
from ..taskforms.vote_checks import vote_fraction, vote_minimum
from .claim_panel import claim_warnings, task_panel
from .draft_fill import draft_formdata

blueprint = Blueprint("tasks", __name__)
#: Steps done for a whole group at once (a course class, several candidates in one ceremony), with
#: the role that does them: anyone else is refused (403) rather than shown an empty page.
BATCH_ROLES = {"record_course_result": "political_center", "hold_ceremony": "cell_secretary",
               # one resolution, one course class, one notice for several students (issue 15)
               "add_to_sympathiser_list": "cell_secretary", "enroll_in_course": "cell_secretary",
               "acknowledge_rejection": "cell_secretary"}
BATCH_STEPS = tuple(BATCH_ROLES)


def _today():
    return resolve_now().astimezone(VIETNAM).date()


def _int_arg(name, default=None):
    value = request.args.get(name, "")
    return url_int(value, default)


def _inbox_filters():
    return InboxFilters(step=request.args.get("step") or None, unit_id=_int_arg("unit"),
                        due=request.args.get("due") or None, search=recalled_search(),
                        sort=request.args.get("sort", "arrived"), page=_int_arg("page", 1),
                        claim=request.args.get("claim") or None)


@blueprint.get("/")
@login_required
def home():
    return redirect(url_for("tasks.inbox"))


@blueprint.route("/inbox", methods=["GET", "POST"])
@login_required
def inbox():
    if needs_moving():  # the filter form posts; a student's name never stays in the address
        return redirect_with_key("tasks.inbox", ("step", "unit", "due", "sort", "page", "claim"))
    filters = _inbox_filters()
    page = inbox_rows(current_user.id, current_acting(), filters, _today())
    # Who holds each listed task, and the person's saved filters (issue 15): two reads for the page.
    return render_template("tasks/inbox.html", page=page, filters=filters, batch_steps=BATCH_STEPS,
                           holders=holders_of([row.task_id for row in page.rows]),
                           saved_filters=saved_filters(current_user))


VOTE_RULES = ("vote_tally", "decision_vote")  # the checks the page previews live


def _lang():
    return str(get_locale() or "vi")


def _render_task(page, form, status=200, message=None, confirm=(), viewed=False):
    acting = current_acting()
    dossier = case_dossier(current_user.id, page.task.instance_id, acting.assignment_id if acting else None)
    # Only the step's own actor reaches this page, so nothing is recorded for them; should that ever
    # change, the reading of someone who does not act on the step is recorded like any other.
    record_view(current_user, dossier.instance, f"task {page.task.id}", acting=acting)
    return render_template("tasks/task.html", page=page, form=form, dossier=dossier, message=message,
                           confirm=confirm, confirm_key=fingerprint(list(confirm)), lang=_lang(),
                           worklist=task_panel(current_user, page.task, viewed=viewed),
                           vote_numbers=_vote_numbers(page.definition, dossier.instance.rule_set)), status


def _vote_numbers(definition, rule_set):
    """The vote preview's minimum of counted members and fraction, from the case's rule set (the
    same functions as the checks); None: no vote on this form."""
    vote = next((check for check in getattr(definition, "checks", ()) if check.rule in VOTE_RULES), None)
    if vote is None:
        return None
    minimum = vote_minimum(vote.params, rule_set) if vote.rule == "vote_tally" else None
    defaults = {"fraction_rule": "standing_committee_fraction"} if vote.rule == "decision_vote" else {}
    return {"minimum": minimum, "fraction": vote_fraction(defaults | vote.params, rule_set)}


def _task_form(page, formdata=None):
    if page.definition is None:
        return None
    form = build_form_class(page.definition)(formdata, data=None if formdata else page.prefill,
                                             meta={"lang": _lang(), "rule_set": page.rule_set})
    for spec in page.definition.fields:  # members chosen from the cell's register (issue 10)
        if spec.widget == "member":
            form[spec.name].choices = [("", "—")] + [(member_id, labels.get(_lang(), labels["vi"]))
                                                      for member_id, labels in page.member_choices]
    return form


def _already_done(instance_id, task_id):
    """Back to the case: the step is done — by this same person (a second tab, a retry) or by another."""
    mine = own_completion(current_user, task_id)
    if mine is not None:
        flash(_("Bạn đã ghi nhận bước này lúc %(time)s. Dưới đây là những gì đã diễn ra.", time=dmy_hm(mine)),
              "info")
    else:
        flash(_("Bước này đã được người khác hoàn thành. Dưới đây là những gì đã diễn ra."), "warning")
    return redirect(url_for("cases.detail", instance_id=instance_id))


@blueprint.get("/tasks/<int:task_id>")
@login_required
def task(task_id):
    try:
        page = task_page(current_user, task_id, current_acting().assignment_id)
    except TaskAlreadyCompleted as done:
        return _already_done(done.args[0], task_id)
    # The person's own saved draft, if any, is what the form shows (issue 15); else the case's values.
    return _render_task(page, _task_form(page, draft_formdata(current_user.id, page.task.id)), viewed=True)


def _drawn(page, acting):
    """The page with the case's data (shown values) for drawing it again; a submission is taken without."""
    return page if page.with_case_data else task_page(current_user, page.task.id, acting.assignment_id)


@blueprint.post("/tasks/<int:task_id>")
@login_required
def submit(task_id):
    acting = current_acting()
    try:
        # No restore here: complete_task restores the case once, under its lock, and trusts this check.
        page = task_page(current_user, task_id, acting.assignment_id, case_data=False)
    except TaskAlreadyCompleted as done:
        return _too_late(done.args[0], task_id)
    # A vote short of two thirds, or a choice that ends the case, is recorded only once the person has
    # seen what it will do and confirmed that very text (typed values kept); without it nothing is called.
    # A colleague's claim is asked about the same way (issue 15): it does not change who may act.
    warnings = claim_warnings(current_user, page.task) + consequences(page.definition, request.form, _lang(),
                                                                      page.rule_set)
    if warnings and request.form.get("_confirm") != fingerprint(warnings):
        page = _drawn(page, acting)
        return _render_task(page, _task_form(page, request.form), confirm=warnings)
    seen = request.form.get("_seen_version", "")
    try:
        completion = complete_task(current_user, task_id, request.form, acting_assignment_id=acting.assignment_id,
                                   seen_version=url_int(seen), lang=_lang(), page=page)
    except InvalidSubmission as invalid:
        page = _drawn(page, acting)
        form = _task_form(page, request.form)
        for field, messages in invalid.errors.items():
            if form is not None and field in form:
                form[field].errors = list(messages)
        form_errors = invalid.errors.get("_form", [])
        return _render_task(page, form, 422, " ".join(form_errors) or _("Vui lòng sửa các lỗi bên dưới."))
    except TaskAlreadyCompleted:
        return _too_late(page.task.instance_id, task_id)
    except StaleCase:
        fresh = task_page(current_user, task_id, acting.assignment_id)
        return _render_task(fresh, _task_form(fresh, request.form), 409,
                            _("Hồ sơ vừa được người khác cập nhật. Hãy xem lại thông tin bên cạnh rồi gửi lại."))
    except StepFailed as failed:
        page = _drawn(page, acting)
        return _render_task(page, _task_form(page, request.form), 422, str(failed))
    # Everything the message says came back from the unit of work: no query after the commit.
    flash(_("Đã ghi nhận: %(step)s — %(student)s", step=step_name(completion.step_label),
            student=completion.student_name),
          "success")
    return redirect(url_for("tasks.inbox"))


def _too_late(instance_id, task_id):
    """A colleague recorded the step first: what this person typed is shown back to them, kept (409)."""
    if own_completion(current_user, task_id) is None:
        try:
            late = late_submission(current_user, task_id, request.form, _lang())
        except NotFound:
            pass
        else:
            return render_template("tasks/too_late.html", late=late), 409
    return _already_done(instance_id, task_id)


@blueprint.post("/tasks/<int:task_id>/attachments")
@login_required
def attach(task_id):
    """A scan uploaded from the task page: the task form's values come along and are shown again, kept."""
    acting = current_acting()
    try:
        page = task_page(current_user, task_id, acting.assignment_id)
    except TaskAlreadyCompleted as done:
        return _already_done(done.args[0], task_id)
    upload = request.files.get("file")
    status = 422
    if upload is None or not upload.filename:
        flash(_("Chưa chọn tệp."), "danger")
    else:
        try:
            attachment = add_attachment(current_user, page.task.instance_id, upload.filename,
                                        upload.read(MAX_ATTACHMENT_BYTES + 1), task_spec=page.task.spec_name)
        except InvalidSubmission as invalid:
            for code in invalid.errors.get("file", []):
                flash(str(error_text(code)), "danger")
        else:
            flash(_("Đã đính kèm %(name)s.", name=attachment.file_name), "success")
            status = 200
            page = task_page(current_user, task_id, acting.assignment_id)  # the case's counter moved on
    return _render_task(page, _task_form(page, request.form), status)


@blueprint.route("/batch/<step>", methods=["GET", "POST"])
@login_required
def batch(step):
    if step not in BATCH_STEPS:
        abort(404)
    acting = current_acting()
    if acting.role != BATCH_ROLES[step]:
        abort(403)
    filters = replace(InboxFilters(step=step), per_page=200)
    rows = inbox_rows(current_user.id, acting, filters, _today()).rows
    # One form for the whole page, read from the deployed version: no row's case is restored. The
    # completion checks every chosen row (its holder, its state, its own version's form) itself.
    definition = step_form(rows[0].task_id) if rows else None
    errors = {}
    if request.method == "POST":
        chosen = [row for row in rows if request.form.get(f"t{row.task_id}-include")]
        items = [(row.task_id, _row_data(definition, row.task_id)) for row in chosen]
        if not items:
            flash(_("Chưa chọn học sinh nào."), "warning")
        else:
            try:
                complete_tasks(current_user, items, acting_assignment_id=acting.assignment_id, lang=_lang())
            except InvalidBatch as invalid:
                errors = invalid.errors
            else:
                flash(_("Đã ghi nhận %(count)d hồ sơ.", count=len(items)), "success")
                return redirect(url_for("tasks.inbox"))
    status = 422 if errors else 200
    # Members chosen from the register of the acting cell (the ceremony's helper); checked on completion.
    members = [(member_id, labels.get(_lang(), labels["vi"]))
               for member_id, labels in member_choices(step, acting.unit_id, _today())]
    return render_template("tasks/batch.html", step=step, rows=rows, definition=definition, errors=errors,
                           members=members, lang=_lang()), status


def _row_data(definition, task_id):
    """One row of a batch page: its own fields (t<task id>-<field>), else the common value (all-<field>)."""
    prefix, data = f"t{task_id}-", {}
    for spec in definition.fields:
        own, common = request.form.get(prefix + spec.name), request.form.get("all-" + spec.name)
        value = own if own not in (None, "") or spec.type == "boolean" else common
        if value not in (None, ""):
            data[spec.name] = value
    return data
