"""Issue 10: form texts quote rule values as {rule:name}, filled from the case's rule set when the form
is drawn; an unknown name, or a rule value in a label, is refused when the form is loaded."""
import json
from pathlib import Path

import pytest

from webapp.taskforms import FormDefinitionError, build_form_class, load_definition, load_definitions_from_dir
from webapp.taskforms.rule_texts import render

SCHEMA = {"title": "T", "type": "object", "properties": {"n": {"type": "integer"}}}


def _load(ui):
    return load_definition("demo", json.dumps(SCHEMA).encode(), json.dumps(ui, ensure_ascii=False).encode())


def test_values_come_from_the_named_rule_set_in_the_reader_s_language():
    text = "Đạt từ {rule:course_pass_score} điểm; cần {rule:cell_vote_fraction}."
    assert render(text, "2025", "vi").text == "Đạt từ 5,0 điểm; cần 2/3."
    assert render("Pass from {rule:course_pass_score}.", "2025", "en").text == "Pass from 5.0."


def test_a_sentence_whose_value_the_rule_set_lacks_is_left_out():
    text = "Chỉ được viết lại một lần. Trong vòng {rule:course_resit_days} ngày."
    assert render(text, "2025", "vi").text == "Chỉ được viết lại một lần. Trong vòng 3 ngày."
    assert render(text, "2021", "vi").text == "Chỉ được viết lại một lần."
    assert render(text, None, "vi").text == "Chỉ được viết lại một lần."  # outside a case: the common default


def test_unconfirmed_values_quoted_are_reported():
    assert render("{rule:document_valid_months} tháng.", "2025", "vi").unconfirmed == ("document_valid_months",)
    assert render("{rule:course_pass_score}.", "2025", "vi").unconfirmed == ()
    assert render("{rule:course_pass_score}.", "2021", "vi").unconfirmed == ("course_pass_score",)
    assert render("{rule:course_pass_score}.", None, "vi").unconfirmed == ("course_pass_score",)  # [U] somewhere


def test_the_form_draws_its_hints_for_the_case_s_rule_set():
    form_class = build_form_class(_load({"n": {"label": "Số", "help": "Ít nhất {rule:min_cell_members}."}}))
    form = form_class(meta={"lang": "vi", "rule_set": "2025"})
    assert form["n"].description == "Ít nhất 3." and form["n"].unconfirmed == ()
    [unconfirmed] = build_form_class(_load({"n": {"label": "Số", "help": "{rule:subcommittee_vote_fraction}."}}))(
        meta={"rule_set": "2021"})["n"].unconfirmed
    assert unconfirmed == "subcommittee_vote_fraction"


@pytest.mark.parametrize(("ui", "key", "why"), [
    ({"n": {"label": "Số", "help": "Ít nhất {rule:min_members}."}}, "ui.n.help", "{rule:min_members}"),
    ({"n": {"label": "Số ({rule:min_cell_members})"}}, "ui.n.label", "only a help text or a description"),
    ({"title": "T {rule:min_cell_members}"}, "ui.title", "only a help text or a description"),
    ({"description": "{rule:age_day_counts}"}, "ui.description", "{rule:age_day_counts}"),  # a flag, no number
])
def test_a_text_naming_no_rule_value_or_a_label_quoting_one_is_refused(ui, key, why):
    with pytest.raises(FormDefinitionError) as caught:
        _load(ui)
    assert caught.value.key == key and why in str(caught.value)


def test_the_shipped_forms_mark_the_unconfirmed_values_they_quote():
    forms = load_definitions_from_dir(Path(__file__).resolve().parents[2] / "forms")
    marked = {}
    for name, definition in forms.items():
        form = build_form_class(definition)(meta={"rule_set": "2025"})
        marked |= {(name, spec.name): form[spec.name].unconfirmed for spec in definition.fields
                   if form[spec.name].unconfirmed}
    assert marked == {
        ("record_verification", "verification_date"): ("verification_working_days",),
        ("plan_cell_meeting", "meeting_date"): ("document_valid_months",),
        ("appraise_subcommittee", "subcommittee_agree"): ("subcommittee_vote_fraction",),
        ("decide_admission", "decision_members"): ("standing_committee_fraction",),
        ("decide_recognition", "recognition_members"): ("standing_committee_fraction",),
    }
