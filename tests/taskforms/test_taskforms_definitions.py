"""The form files in forms/ and the definition loader (supported subset, refusals)."""

import json
import re
from functools import cache
from pathlib import Path

import pytest
import wtforms

from webapp.taskforms import (
    CHECK_PARAMS,
    CHECKS,
    FormDefinition,
    FormDefinitionError,
    build_form_class,
    load_definition,
    load_definitions_from_dir,
)
from webapp.taskforms.definition import RESERVED_NAMES
from webapp.taskforms.fields import TaskForm
from webapp.taskforms.rule_texts import render

FORMS_DIR = Path(__file__).resolve().parents[2] / "forms"


@cache
def definitions() -> dict[str, FormDefinition]:
    return load_definitions_from_dir(FORMS_DIR)


# name -> fields in display order, "*" = required; the BPMN scripts read exactly these names.
_CATALOGUE = """
nominate_student: nomination_number* nomination_date* youth_union_member* achievements
add_to_sympathiser_list: sympathiser_resolution_number* sympathiser_resolution_date* helper_member*
enroll_in_course: course_name* course_start_date*
record_course_result: class_size course_attended* attendance_percent* essay_score* resit_taken
    certificate_number certificate_date
write_application: application_date* history_date* family_has_party_member* relatives
    hometown_place* residence_place* other_place
record_verification: verifier_name* verification_document_number* verification_date*
    verification_finding* verification_notes
conclude_verification_finding: finding_conclusion* finding_conclusion_number* finding_conclusion_date*
    finding_conclusion_text*
comment_on_history: history_comment_date* history_comment*
certify_history: history_certification* history_certification_date* history_certification_note
assign_introducers: introduction_mode* introducer1_member*
    introducer1_replacement_reason introducer1_replacement_note introducer2_member
    introducer2_replacement_reason introducer2_replacement_note
issue_youth_union_resolution: youth_union_resolution_number* youth_union_resolution_date*
write_introduction_letters: introduction_letter_date* introduction_comment*
write_residence_comment: residence_comment_date* residence_comment*
summarise_comments: organisation_comments_date* organisation_comments*
plan_cell_meeting: meeting_date*
record_cell_vote: vote_date* official_members* temporarily_attached* exempt_absent* present* agree*
    disagree* resolution_number* resolution_date* count_override_reason
reconsider_after_failed_vote: reconsider_decision* reconsider_reason*
appraise_subcommittee: subcommittee_report_number* subcommittee_report_date* subcommittee_opinion*
    subcommittee_members subcommittee_agree subcommittee_count_override_reason subcommittee_notes
record_committee_vote: committee_vote_date* committee_members* committee_present* committee_agree*
    committee_disagree* committee_resolution_number* committee_resolution_date*
    committee_count_override_reason
appraise_file: appraisal_number* appraisal_date* appraisal_opinion* request_extension
    extension_reason
decide_admission: decision* decision_members* decision_agree* decision_number* decision_date*
    decision_reason decision_count_override_reason
acknowledge_rejection: notified_date* acknowledgement_note
hold_ceremony: ceremony_date* probation_helper_member* upper_consent_number
record_member_file: member_history_date* member_card_record_date* member_file_note
write_self_review: self_review_date* new_member_certificate_number* self_review*
comment_on_probation: helper_comment_date* helper_comment*
review_failed_recognition_vote: next_step* review_reason*
decide_recognition: recognition_decision* recognition_members* recognition_agree*
    recognition_decision_number* recognition_decision_date* recognition_reason
    recognition_count_override_reason
"""
CATALOGUE = {
    name: {field.rstrip("*"): field.endswith("*") for field in fields.split()}
    for name, fields in (entry.split(": ") for entry in re.split(r"\n(?=\S)", _CATALOGUE.strip()))
}


ENUMS = {
    ("record_verification", "verification_finding"): ("clear", "unclear", "problem"),
    ("conclude_verification_finding", "finding_conclusion"): ("resume", "stop"),
    ("certify_history", "history_certification"): ("eligible", "not_eligible"),
    ("assign_introducers", "introduction_mode"): ("youth_union_and_member", "two_members"),
    ("reconsider_after_failed_vote", "reconsider_decision"): ("reconsider", "close"),
    ("appraise_subcommittee", "subcommittee_opinion"): ("support", "object"),
    ("appraise_file", "appraisal_opinion"): ("recommend_admit", "recommend_reject"),
    ("decide_admission", "decision"): ("admit", "reject"),
    ("review_failed_recognition_vote", "next_step"): ("revote", "propose_removal"),
    ("decide_recognition", "recognition_decision"): ("recognise", "remove"),
}


def test_every_form_of_the_catalogue_is_there_and_nothing_else():
    assert set(definitions()) == set(CATALOGUE)
    files = {p.name for p in FORMS_DIR.glob("*.json")}
    assert files == {f"{n}{s}" for n in CATALOGUE for s in (".schema.json", ".uischema.json")}


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_form_has_the_catalogue_fields(name):
    definition = definitions()[name]
    assert {spec.name: spec.required for spec in definition.fields} == CATALOGUE[name]
    assert list(definition.field_names) == list(CATALOGUE[name])  # display order as catalogued


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_form_builds_and_renders_in_both_languages(name):
    definition = definitions()[name]
    form_class = build_form_class(definition)
    assert issubclass(form_class, wtforms.Form)
    for lang in ("vi", "en"):
        form = form_class(meta={"lang": lang})
        assert form.form_title == definition.title(lang)
        for spec in definition.fields:
            html = str(form[spec.name]())
            assert f'name="{spec.name}"' in html
            assert form[spec.name].label.text == spec.label(lang)
            # A hint may quote a rule value ({rule:…}): shown filled in, never as written.
            assert form[spec.name].description == render(spec.help(lang), None, lang).text
            assert "{rule:" not in form[spec.name].description


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_form_texts_are_complete(name):
    definition = definitions()[name]
    assert definition.title("vi") != definition.title("en")
    for spec in definition.fields:
        assert spec.label("vi") and spec.label("en") and spec.label("vi") != spec.name
        assert spec.help("vi") is None or spec.help("en")
        for value, label in spec.choice_labels("vi"):
            assert label != value and dict(spec.choice_labels("en"))[value] != value
        if spec.type == "string":
            assert spec.max_length in (50, 120, 200, 2000, 5000)
        if spec.widget == "textarea":
            assert spec.max_length >= 2000


def test_vietnamese_labels_have_diacritics():
    labels = " ".join(spec.label("vi") for d in definitions().values() for spec in d.fields)
    assert "đảng viên chính thức" in labels and "Ngày quyết định" in labels


def test_field_types_widgets_and_limits():
    forms = definitions()
    for (name, field_name), values in ENUMS.items():
        spec = forms[name].get_field(field_name)
        assert spec.type == "enum" and spec.enum_values == values
    course = forms["record_course_result"]
    assert course.get_field("attendance_percent").limits == {"minimum": 0, "maximum": 100}
    assert course.get_field("essay_score").type == "number"
    assert course.get_field("essay_score").limits == {"minimum": 0, "maximum": 10}
    vote = forms["record_cell_vote"]
    assert vote.get_field("temporarily_attached").default == 0
    assert vote.get_field("vote_date").type == "date" and vote.get_field("vote_date").widget == "date"
    assert forms["nominate_student"].get_field("nomination_number").max_length == 50
    assert forms["nominate_student"].get_field("achievements").widget == "textarea"
    helper = forms["add_to_sympathiser_list"].get_field("helper_member")
    assert (helper.type, helper.widget) == ("integer", "member")  # chosen from the cell's register
    assert forms["decide_admission"].get_field("decision_members").minimum == 1


def test_checks_and_conditions_of_the_forms():
    forms = definitions()
    # The dates of acts are checked on every form that records one (below); the other rules:
    rules = {name: [c.rule for c in d.checks if not c.rule.startswith("act_")]
             for name, d in forms.items() if any(not c.rule.startswith("act_") for c in d.checks)}
    dated = {(name, c.params["date"]) for name, d in forms.items() for c in d.checks if c.rule == "act_dates"}
    planned = {("plan_cell_meeting", "meeting_date")}  # a planned date only schedules
    assert dated == {(name, spec.name) for name, d in forms.items() for spec in d.fields
                     if spec.type == "date"} - planned
    assert [c.params for c in forms["record_cell_vote"].checks if c.rule == "act_conditions"] == [
        {"date": "vote_date", "skip_when_context": "ceremony_date"}]
    assert rules == {
        "record_course_result": ["course_certificate", "certificate_in_time", "course_class_size"],
        "record_verification": ["not_a_relative"],
        "appraise_subcommittee": ["decision_vote"],
        "record_cell_vote": ["vote_tally"],
        "record_committee_vote": ["vote_tally"],
        "decide_admission": ["decision_vote"],
        "hold_ceremony": ["ceremony_deadline"],
        "decide_recognition": ["decision_vote"],
    }
    assert forms["record_cell_vote"].checks[0].params["minimum_rule"] == "min_cell_members"
    assert "minimum_members" not in forms["record_committee_vote"].checks[0].params
    conditions = {
        (name, spec.name): spec.required_when
        for name, d in forms.items()
        for spec in d.fields
        if spec.required_when
    }
    assert conditions == {
        ("record_verification", "verification_notes"): (("verification_finding", ("unclear", "problem")),),
        ("certify_history", "history_certification_note"): (("history_certification", ("not_eligible",)),),
        ("assign_introducers", "introducer2_member"): (("introduction_mode", ("two_members",)),),
        ("assign_introducers", "introducer1_replacement_note"): (
            ("introducer1_replacement_reason", ("moved", "disciplined")),),
        ("assign_introducers", "introducer2_replacement_note"): (
            ("introducer2_replacement_reason", ("moved", "disciplined")),),
        ("appraise_file", "extension_reason"): (("request_extension", (True,)),),
        ("decide_admission", "decision_reason"): (("decision", ("reject",)),),
        ("decide_recognition", "recognition_reason"): (("recognition_decision", ("remove",)),),
    }


def test_form_class_is_built_once_per_version():
    definition = definitions()["plan_cell_meeting"]
    assert build_form_class(definition) is build_form_class(definition)
    schema = (FORMS_DIR / "plan_cell_meeting.schema.json").read_bytes()
    ui = (FORMS_DIR / "plan_cell_meeting.uischema.json").read_bytes()
    same = load_definition("plan_cell_meeting", schema, ui)
    assert same == definition and build_form_class(same) is build_form_class(definition)
    changed_ui = json.loads(ui)
    changed_ui["meeting_date"]["label"] = "Ngày họp"
    changed = load_definition("plan_cell_meeting", schema, json.dumps(changed_ui).encode())
    assert changed != definition and changed.digest != definition.digest
    assert build_form_class(changed) is not build_form_class(definition)


def test_generated_class_attributes_are_reserved():
    public = {name for name in dir(TaskForm) if not name.startswith("_")}
    assert public <= RESERVED_NAMES


def test_every_check_declares_its_parameters():
    assert set(CHECKS) == set(CHECK_PARAMS)


# ---------------------------------------------------------------- the subset


def _schema(**extra):
    schema = {
        "title": "T",
        "type": "object",
        "properties": {
            "n": {"type": "integer", "minimum": 0},
            "s": {"type": "string", "maxLength": 10},
            "d": {"type": "string", "format": "date"},
            "e": {"type": "string", "enum": ["a", "b"]},
            "b": {"type": "boolean"},
        },
        "required": ["n"],
    }
    schema.update(extra)
    return schema


def _load(schema, ui=None, name="demo"):
    def encode(value):
        return value if isinstance(value, bytes) else json.dumps(value, ensure_ascii=False).encode()

    return load_definition(name, encode(schema), None if ui is None else encode(ui))


def test_minimal_definition_without_ui():
    definition = _load(_schema())
    assert definition.title() == "T"
    assert [spec.type for spec in definition.fields] == ["integer", "string", "date", "enum", "boolean"]
    assert definition.get_field("e").widget == "radio"
    assert definition.get_field("n").label("en") == "n"


def _with_property(name, prop):
    schema = _schema()
    schema["properties"][name] = prop
    return schema


BAD_SCHEMAS = [
    (b"{not json", "schema"),
    ("{}".encode("utf-16"), "schema"),
    (b'{"title": "\xff"}', "schema"),
    (b"[]", "schema"),
    (b'{"type": "object", "properties": {}, "properties": {}}', "properties"),
    (b'{"type": "object", "properties": {"n": {"type": "number", "maximum": NaN}}}', "schema"),
    (_schema(type="array"), "type"),
    (_schema(allOf=[]), "allOf"),
    (_schema(required=["n", "missing"]), "required"),
    (_schema(properties=[]), "properties"),
    (_with_property("x", {"type": "array"}), "properties.x.type"),
    (_with_property("x", {"type": ["string", "null"]}), "properties.x.type"),
    (_with_property("x", {"type": "string", "format": "email"}), "properties.x.format"),
    (_with_property("x", {"type": "integer", "enum": [1, 2]}), "properties.x.enum"),
    (_with_property("x", {"type": "string", "enum": ["a", "a"]}), "properties.x.enum"),
    (_with_property("x", {"type": "string", "minimum": 1}), "properties.x.minimum"),
    (_with_property("x", {"type": "integer", "maxLength": 3}), "properties.x.maxLength"),
    (_with_property("x", {"type": "string", "pattern": "(["}), "properties.x.pattern"),
    (_with_property("x", {"type": "string", "oneOf": []}), "properties.x.oneOf"),
    (_with_property("x", {"type": "integer", "default": "zero"}), "properties.x.default"),
    (_with_property("x", {"type": "integer", "minimum": 5, "maximum": 1}), "properties.x.minimum"),
    (_with_property("bad-name", {"type": "string"}), "properties.bad-name"),
    (_with_property("data", {"type": "string"}), "properties.data"),
    (_schema(**{"x-required-when": {"missing": {"e": "a"}}}), "x-required-when.missing"),
    (_schema(**{"x-required-when": {"s": {"missing": "a"}}}), "x-required-when.s.missing"),
    (_schema(**{"x-required-when": {"s": {"e": "c"}}}), "x-required-when.s.e"),
    (_schema(**{"x-required-when": {"s": {"b": "yes"}}}), "x-required-when.s.b"),
    (_schema(**{"x-checks": [{"rule": "no_such_rule"}]}), "x-checks[0].rule"),
    (_schema(**{"x-checks": {"rule": "vote_tally"}}), "x-checks"),
    (
        _schema(**{"x-checks": [{"rule": "vote_tally", "members": "n", "present": "n", "agree": "n"}]}),
        "x-checks[0].disagree",
    ),
    (
        _schema(
            **{
                "x-checks": [
                    {"rule": "vote_tally", "members": "n", "present": "n", "agree": "n", "disagree": "s"}
                ]
            }
        ),
        "x-checks[0].disagree",
    ),
    (
        _schema(
            **{
                "x-checks": [
                    {
                        "rule": "vote_tally",
                        "members": "n",
                        "present": "n",
                        "agree": "n",
                        "disagree": "n",
                        "x": 1,
                    }
                ]
            }
        ),
        "x-checks[0].x",
    ),
    (
        _schema(
            **{
                "x-checks": [
                    {"rule": "decision_vote", "decision": "e", "approve": "c", "members": "n", "agree": "n"}
                ]
            }
        ),
        "x-checks[0].approve",
    ),
    (_schema(**{"x-checks": [{"rule": "introducers"}]}), "x-checks[0].prefixes"),
    (_schema(**{"x-checks": [{"rule": "course_certificate"}]}), "x-checks[0].attended"),
    (
        _schema(**{"x-checks": [{"rule": "ceremony_deadline", "decision_date_from": "decision_date",
                                  "date": "d", "consent": "s", "within_working_days": -1}]}),
        "x-checks[0].within_working_days",
    ),
]


@pytest.mark.parametrize(("schema", "key"), BAD_SCHEMAS)
def test_definitions_outside_the_subset_are_refused_naming_the_key(schema, key):
    with pytest.raises(FormDefinitionError) as caught:
        _load(schema)
    assert caught.value.form == "demo"
    assert caught.value.key == key or caught.value.key.startswith(f"{key}")
    assert "demo" in str(caught.value) and key in str(caught.value)


BAD_UIS = [
    (b"\xfe\xff", "ui"),
    ({"ui:order": ["n", "missing"]}, "ui.ui:order"),
    ({"ui:order": ["n", "n"]}, "ui.ui:order"),
    ({"missing": {"label": "x"}}, "ui.missing"),
    ({"n": {"label": 3}}, "ui.n.label"),
    ({"n": {"widget": "slider"}}, "ui.n.widget"),
    ({"n": {"widget": "checkbox"}}, "ui.n.widget"),
    ({"s": {"widget": "date"}}, "ui.s.widget"),
    ({"n": {"enum_labels": {"1": "một"}}}, "ui.n.enum_labels"),
    ({"e": {"enum_labels": {"c": "C"}}}, "ui.e.enum_labels.c"),
    ({"n": {"tooltip": "x"}}, "ui.n.tooltip"),
    ({"n": "Số"}, "ui.n"),
]


@pytest.mark.parametrize(("ui", "key"), BAD_UIS)
def test_ui_outside_the_subset_is_refused_naming_the_key(ui, key):
    with pytest.raises(FormDefinitionError) as caught:
        _load(_schema(), ui)
    assert caught.value.key == key
    assert key in str(caught.value)


def test_schema_bytes_must_be_bytes():
    with pytest.raises(FormDefinitionError, match="schema"):
        load_definition("demo", "{}", None)


def test_ui_order_then_the_rest_and_languages():
    ui = {
        "title": "Tiêu đề",
        "title_en": "Title",
        "ui:order": ["e", "d"],
        "e": {
            "label": "Lựa chọn",
            "label_en": "Choice",
            "widget": "select",
            "enum_labels": {"a": "Một"},
            "enum_labels_en": {"a": "One", "b": "Two"},
        },
    }
    definition = _load(_schema(), ui)
    assert definition.field_names == ("e", "d", "n", "s", "b")
    assert (
        definition.title() == "Tiêu đề"
        and definition.title("en") == "Title"
        and definition.title("fr") == "Tiêu đề"
    )
    spec = definition.get_field("e")
    assert spec.choice_labels("vi") == [("a", "Một"), ("b", "Two")]  # falls back to the language there is
    assert spec.choice_labels("en") == [("a", "One"), ("b", "Two")]
    form = build_form_class(definition)(meta={"lang": "en"})
    html = form.e()
    assert "<select" in html and ">One<" in html and 'value=""' in html


def test_load_from_dir_refuses_an_orphan_ui_file(tmp_path):
    (tmp_path / "a.schema.json").write_text(json.dumps(_schema()), encoding="utf-8")
    (tmp_path / "b.uischema.json").write_text("{}", encoding="utf-8")
    with pytest.raises(FormDefinitionError, match="'b'"):
        load_definitions_from_dir(tmp_path)


def test_load_from_dir_names_the_broken_form(tmp_path):
    (tmp_path / "good.schema.json").write_text(json.dumps(_schema()), encoding="utf-8")
    (tmp_path / "broken.schema.json").write_bytes(
        b'{"type": "object", "properties": {"x": {"type": "date"}}}'
    )
    with pytest.raises(FormDefinitionError) as caught:
        load_definitions_from_dir(tmp_path)
    assert caught.value.form == "broken" and caught.value.key == "properties.x.type"
    (tmp_path / "broken.schema.json").unlink()
    assert list(load_definitions_from_dir(tmp_path)) == ["good"]


def test_a_utf8_bom_is_accepted():
    definition = _load(b"\xef\xbb\xbf" + json.dumps(_schema()).encode())
    assert definition.name == "demo"
