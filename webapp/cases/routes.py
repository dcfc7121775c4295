"""My unit's cases, starting cases, batch nomination, the case page, attachments."""
import io
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..pages.acting import current_acting
from ..pages.converters import url_int
from ..pages.duplicates import registered_person_text
from ..pages.labels import error_text
from ..pages.search_keys import needs_moving, recalled_search, redirect_with_key
from ..services import (
    MAX_ATTACHMENT_BYTES,
    CaseFilters,
    InvalidBatch,
    InvalidSubmission,
    StepFailed,
    add_attachment,
    case_dossier,
    nominate_batch,
    readable_attachment,
    record_view,
    register_and_start,
    steps_to_open,
    unit_cases,
    visible_instance,
)
from ..services.attachments import accepts_attachments
from ..services.people_registry import PersonAlreadyRegistered
from ..services.schools import school_name
from ..services.startable import start_choices
from ..services.student_facts import unit_defaults
from ..services.versions import MAIN_PROCESS
from .forms import AttachmentForm, NominationForm, StudentForm

blueprint = Blueprint("cases", __name__)
BATCH_ROWS = 10
STUDENT_KEYS = ("full_name", "date_of_birth", "sex", "citizen_id", "class_name")
# The statistics fields of a batch row (issue 11): lists preset to the unit's defaults, and two yes/no.
LIST_KEYS = ("ethnicity", "religion", "occupation", "education_level")
FLAG_KEYS = ("youth_union_member", "readmission")


@blueprint.route("/cases", methods=["GET", "POST"])
@login_required
def index():
    if needs_moving():  # the filter form posts; a student's name never stays in the address
        return redirect_with_key("cases.index", ("status", "page"))
    page_number = request.args.get("page", "1")
    filters = CaseFilters(status=request.args.get("status") or None, search=recalled_search(),
                          page=url_int(page_number, 1))
    return render_template("cases/index.html", page=unit_cases(current_acting(), filters), filters=filters)


def _student_fields(form):
    return {name: getattr(form, name).data for name in (
        "full_name", "date_of_birth", "sex", "citizen_id", "ethnicity", "religion", "occupation", "education_level",
        "school", "class_name", "youth_union_member", "readmission")}


@blueprint.route("/cases/new", methods=["GET", "POST"])
@login_required
def new():
    acting = current_acting()
    # Only the processes this role may start in this unit (services.startable); none → not this user's page.
    choices = start_choices(current_user.id, acting.role, acting.unit_id) if acting else []
    if not choices:  # the service refuses them too; say so before they fill the form
        abort(403)
    form = StudentForm()
    chosen = request.form.get("process_id") or choices[0].process_id
    if request.method == "GET":
        form.school.data = school_name(acting.unit_id)  # the school, not the cell ("Chi bộ Trường …")
        defaults = unit_defaults(acting.unit_id)  # a university's cell: university students
        form.occupation.data, form.education_level.data = defaults["occupation"], defaults["education_level"]
    elif chosen not in {choice.process_id for choice in choices}:  # a hand-made POST: nothing is stored
        flash(_("Bạn không được mở hồ sơ theo quy trình “%(process)s” với vai trò này ở đơn vị này.",
                process=chosen[:100]), "danger")
        return render_template("cases/new.html", form=form, choices=choices, chosen=choices[0].process_id), 403
    if form.validate_on_submit():
        try:
            instance = register_and_start(current_user, acting.unit_id, _student_fields(form), process_id=chosen,
                                          role=acting.role, lang=str(get_locale() or "vi"))
        except StepFailed as failed:  # the diagram's code before the first step: nothing was stored
            flash(str(failed), "danger")
            return render_template("cases/new.html", form=form, choices=choices, chosen=chosen), 422
        except PersonAlreadyRegistered as registered:
            form.citizen_id.errors.append(registered_person_text(current_user.id, registered.citizen_id))
        except InvalidSubmission as invalid:
            for field, codes in invalid.errors.items():
                getattr(form, field).errors.extend(str(error_text(c)) for c in codes)
        else:
            flash(_("Đã đưa %(name)s vào danh sách và mở hồ sơ.", name=form.full_name.data), "success")
            return redirect(url_for("cases.detail", instance_id=instance.id))
    return render_template("cases/new.html", form=form, choices=choices, chosen=chosen), 422 if form.errors else 200


def _batch_students(acting):
    """The filled rows of the batch table (s<row>-<field>); empty rows are skipped."""
    students, school = [], school_name(acting.unit_id)  # the school, not the cell ("Chi bộ Trường …")
    for row in range(BATCH_ROWS):
        values = {key: (request.form.get(f"s{row}-{key}") or "").strip() for key in STUDENT_KEYS}
        if not any(values.values()):
            continue
        values |= {key: (request.form.get(f"s{row}-{key}") or "").strip() for key in LIST_KEYS}
        # "y"/"n" as posted; left out (a form without the column), the unit's default applies.
        values |= {key: request.form[f"s{row}-{key}"] for key in FLAG_KEYS if f"s{row}-{key}" in request.form}
        values["school"] = school
        students.append((row, values))
    return students


@blueprint.route("/cases/nominate", methods=["GET", "POST"])
@login_required
def nominate():
    acting = current_acting()
    if acting.role != "youth_union":  # the nomination step is the Youth Union's (lane youth_union)
        abort(403)
    form = NominationForm()
    errors, step_failed = {}, False
    if form.validate_on_submit():
        rows = _batch_students(acting)
        cleaned, row_of = [], []
        for row, values in rows:
            problem = _student_problem(values)
            if problem:
                errors[row] = problem
            cleaned.append(values)
            row_of.append(row)
        if not rows:
            flash(_("Chưa nhập học sinh nào."), "warning")
        elif not errors:
            try:
                nominate_batch(current_user, acting.unit_id, cleaned, {
                    "nomination_number": form.nomination_number.data,
                    "nomination_date": form.nomination_date.data.isoformat()},
                    acting_assignment_id=acting.assignment_id, lang=str(get_locale() or "vi"))
            except InvalidBatch as invalid:
                errors = _place_batch_errors(form, invalid.errors, row_of)
                _explain_row_codes(errors, cleaned, row_of)
            except StepFailed as failed:  # the diagram's code failed: no case of the batch was stored
                flash(str(failed), "danger")
                step_failed = True
            else:
                flash(_("Đã giới thiệu %(count)d đoàn viên ưu tú.", count=len(cleaned)), "success")
                return redirect(url_for("cases.index"))
    status = 422 if errors or form.errors or step_failed else 200
    student_form = StudentForm(formdata=None)  # only for its lists, in the reader's language
    return render_template("cases/nominate.html", form=form, rows=range(BATCH_ROWS), errors=errors,
                           values=request.form,
                           lists={key: getattr(student_form, key).choices for key in LIST_KEYS},
                           defaults=unit_defaults(acting.unit_id)), status


def _place_batch_errors(form, batch_errors, row_of):
    """The nomination step's errors: the shared resolution's under its fields, the rest on their rows.

    The resolution number and date are typed once for every row, so a row is not where the user
    would look for what is wrong with them.
    """
    rows = {}
    for index, problems in batch_errors.items():
        for key, messages in problems.items():
            target = getattr(form, key, None) if key in ("nomination_number", "nomination_date") else None
            if target is not None:
                target.errors = list(dict.fromkeys([*target.errors, *messages]))
            else:
                rows.setdefault(row_of[index], {})[key] = messages
    return rows


def _explain_row_codes(errors, cleaned, row_of):
    """Service codes on a row as sentences; a CCCD already registered with the link to its case."""
    for index, row in enumerate(row_of):
        for key, messages in errors.get(row, {}).items():
            if key == "citizen_id" and "citizen_id_registered" in messages:
                errors[row][key] = [registered_person_text(current_user.id, cleaned[index]["citizen_id"])]
            else:
                errors[row][key] = [str(error_text(message)) for message in messages]


def _student_problem(values):
    problems = {key: [str(error_text("required"))] for key in STUDENT_KEYS if not values.get(key)}
    if values.get("date_of_birth"):
        try:
            values["date_of_birth"] = date.fromisoformat(values["date_of_birth"])
        except ValueError:
            problems["date_of_birth"] = [_("Ngày không hợp lệ.")]
    if values.get("citizen_id") and not (values["citizen_id"].isdigit() and len(values["citizen_id"]) == 12):
        problems["citizen_id"] = [_("Số CCCD gồm 12 chữ số.")]
    if values.get("sex") not in ("F", "M", ""):
        problems["sex"] = [_("Giá trị không hợp lệ.")]
    return problems


@blueprint.get("/cases/<int:instance_id>")
@login_required
def detail(instance_id):
    acting = current_acting()
    dossier = case_dossier(current_user.id, instance_id, acting.assignment_id if acting else None)
    record_view(current_user, dossier.instance, "dossier", acting=acting)
    return render_template("cases/detail.html", dossier=dossier, upload=AttachmentForm(),
                           my_steps=steps_to_open(current_user, instance_id, acting),
                           lang=str(get_locale() or "vi"))


@blueprint.app_template_global()
def offers_other_processes(acting):
    """Whether to link "new case" for a role beyond the cell secretary's: it may start a process besides admission."""
    if acting is None or not current_user.is_authenticated:
        return False
    return any(choice.process_id != MAIN_PROCESS
               for choice in start_choices(current_user.id, acting.role, acting.unit_id))


@blueprint.app_template_global()
def may_attach(instance_id):
    """Whether to offer the upload form on a case or task page: the same rule the upload obeys."""
    return current_user.is_authenticated and accepts_attachments(current_user.id, instance_id)


@blueprint.post("/cases/<int:instance_id>/attachments")
@login_required
def upload(instance_id):
    form = AttachmentForm()
    if form.validate_on_submit():
        data = form.file.data.read(MAX_ATTACHMENT_BYTES + 1)
        try:
            attachment = add_attachment(current_user, instance_id, form.file.data.filename, data,
                                        task_spec=request.form.get("task_spec") or None)
        except InvalidSubmission as invalid:
            for code in invalid.errors.get("file", []):
                flash(str(error_text(code)), "danger")
        else:
            flash(_("Đã đính kèm %(name)s.", name=attachment.file_name), "success")
    else:
        flash(_("Chưa chọn tệp."), "danger")
    return redirect(request.form.get("back") if (request.form.get("back") or "").startswith("/tasks/")
                    else url_for("cases.detail", instance_id=instance_id))


@blueprint.get("/attachments/<int:attachment_id>")
@login_required
def download(attachment_id):
    acting = current_acting()
    attachment = readable_attachment(current_user.id, attachment_id, acting.assignment_id if acting else None)
    record_view(current_user, visible_instance(current_user.id, attachment.instance_id),
                f"attachment {attachment.id}", acting=acting)
    return send_file(io.BytesIO(attachment.content), mimetype=attachment.content_type, as_attachment=True,
                     download_name=attachment.file_name, max_age=0)
