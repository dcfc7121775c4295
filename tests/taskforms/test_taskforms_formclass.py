"""The generated WTForms classes: rendering, languages, validate(), web-layer fields."""

from functools import cache
from pathlib import Path

import wtforms
from werkzeug.datastructures import MultiDict
from wtforms.validators import ValidationError

from webapp.taskforms import FormDefinition, build_form_class, load_definitions_from_dir

FORMS_DIR = Path(__file__).resolve().parents[2] / "forms"


@cache
def form_class(name: str):
    definition: FormDefinition = load_definitions_from_dir(FORMS_DIR)[name]
    return build_form_class(definition)


def test_widgets():
    form = form_class("record_course_result")()
    assert 'type="checkbox"' in form.course_attended()
    assert 'type="number"' in form.attendance_percent() and 'max="100"' in form.attendance_percent()
    assert 'step="any"' in form.essay_score()
    assert 'type="date"' in form.certificate_date()
    assert 'maxlength="50"' in form.certificate_number()
    assert "required" in form.attendance_percent() and "required" not in form.certificate_number()
    assert form.essay_score.description.startswith("Đạt từ 5,0 điểm")
    textarea = form_class("record_verification")().verification_notes()
    assert textarea.startswith("<textarea")
    radio = form_class("record_verification")(meta={"lang": "en"}).verification_finding()
    assert 'type="radio"' in radio and "Problem found" in radio


def test_language_per_instance_from_one_class():
    cls = form_class("decide_admission")
    vi, en = cls(), cls(meta={"lang": "en"})
    assert vi.decision_date.label.text == "Ngày quyết định" and en.decision_date.label.text == "Decision date"
    assert "Không kết nạp" in vi.decision() and "Reject" in en.decision()
    assert (
        vi.form_title.startswith("Quyết định kết nạp") and en.form_title == "Admission decision (form 9-KNĐ)"
    )
    assert cls().decision_date.label.text == "Ngày quyết định"  # the English instance changed nothing shared


def test_prefilled_from_case_data():
    form = form_class("decide_admission")(
        data={"decision": "admit", "decision_date": "2026-04-01", "decision_agree": 6}
    )
    assert 'value="2026-04-01"' in form.decision_date()
    assert 'value="6"' in form.decision_agree()
    assert "checked" in form.decision()
    assert form.data["decision_date"] == "2026-04-01"


def test_posted_date_is_shown_in_iso_for_the_date_input():
    form = form_class("plan_cell_meeting")(MultiDict({"meeting_date": "05/03/2026"}))
    assert 'value="2026-03-05"' in form.meeting_date()
    bad = form_class("plan_cell_meeting")(MultiDict({"meeting_date": "30/02/2026"}))
    assert 'value="30/02/2026"' in bad.meeting_date()  # shown back as typed


def test_validate_puts_messages_on_fields_and_form():
    posted = MultiDict(
        {
            "decision": "admit",
            "decision_members": "9",
            "decision_agree": "5",
            "decision_number": "125-QĐ/ĐU",
            "decision_date": "01/04/2026",
        }
    )
    form = form_class("decide_admission")(posted, meta={"lang": "en"})
    assert not form.validate()
    assert form.decision_agree.errors == [
        "Approval needs at least 6 of 9 members in favour (2/3); only 5 agreed."
    ]
    assert form.errors == {"decision_agree": form.decision_agree.errors}
    assert form.submission is not None and not form.submission.ok
    posted["decision_agree"] = "6"
    form = form_class("decide_admission")(posted)
    assert form.validate() and form.submission.data["decision_date"] == "2026-04-01"


def test_validate_with_context():
    posted = MultiDict({"ceremony_date": "2026-05-29", "probation_helper_member": "1"})
    form = form_class("hold_ceremony")(posted)
    assert not form.validate(context={"decision_date": "2026-03-02"})
    assert form.upper_consent_number.errors
    assert form_class("hold_ceremony")(posted).validate()  # no decision date: not checked


def test_fields_added_by_the_web_layer_are_validated_by_wtforms():
    def must_be_secret(form, field):
        if field.data != "secret":
            raise ValidationError("bad token")

    base = form_class("plan_cell_meeting")
    with_token = type("WithToken", (base,), {"csrf_token": wtforms.HiddenField(validators=[must_be_secret])})
    assert not with_token(MultiDict({"meeting_date": "2026-03-05", "csrf_token": "x"})).validate()
    good = with_token(MultiDict({"meeting_date": "2026-03-05", "csrf_token": "secret"}))
    assert good.validate() and good.submission.data == {"meeting_date": "2026-03-05"}


def test_extra_validators_run_after_our_own():
    def not_sunday(form, field):
        raise ValidationError("no meeting on Sunday")

    form = form_class("plan_cell_meeting")(MultiDict({"meeting_date": "2026-03-08"}))
    assert not form.validate(extra_validators={"meeting_date": [not_sunday]})
    assert form.meeting_date.errors == ["no meeting on Sunday"]


def test_form_errors_from_garbage_post():
    form = form_class("plan_cell_meeting")(MultiDict({"meeting_date": "x" * 100_000}))
    assert not form.validate()
    assert form.meeting_date.errors == ["Ngày không hợp lệ (dd/mm/yyyy)."]


def test_prefix_is_supported():
    form = form_class("plan_cell_meeting")(MultiDict({"t1-meeting_date": "2026-03-05"}), prefix="t1")
    assert 'name="t1-meeting_date"' in form.meeting_date()
    assert form.validate() and form.submission.data == {"meeting_date": "2026-03-05"}


def test_checkbox_round_trip():
    cls = form_class("appraise_file")
    posted = MultiDict(
        {
            "appraisal_number": "7-BC/BTC",
            "appraisal_date": "2026-04-01",
            "appraisal_opinion": "recommend_admit",
            "request_extension": "y",
        }
    )
    form = cls(posted)
    assert "checked" in form.request_extension()
    assert not form.validate() and list(form.errors) == ["extension_reason"]
    form = cls(data={"request_extension": "false"})
    assert "checked" not in form.request_extension()
