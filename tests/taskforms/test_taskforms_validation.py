"""validate_submission: values, required fields, conditions, garbage, languages."""

import json
from datetime import date, datetime
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import ImmutableMultiDict, MultiDict

from webapp.taskforms import FormDefinition, checks, load_definition, load_definitions_from_dir, validate_submission

FORMS_DIR = Path(__file__).resolve().parents[2] / "forms"


@cache
def forms() -> dict[str, FormDefinition]:
    return load_definitions_from_dir(FORMS_DIR)


def form(name):
    return forms()[name]


@cache
def demo() -> FormDefinition:
    schema = {
        "title": "Demo",
        "type": "object",
        "properties": {
            "code": {"type": "string", "maxLength": 10, "pattern": "^[0-9]+-NQ"},
            "note": {"type": "string", "maxLength": 20},
            "text": {"type": "string", "maxLength": 30},
            "count": {"type": "integer", "minimum": 0, "maximum": 100},
            "score": {"type": "number", "minimum": 0, "maximum": 10},
            "day": {"type": "string", "format": "date"},
            "flag": {"type": "boolean"},
            "kind": {"type": "string", "enum": ["a", "b"]},
            "short": {"type": "string", "minLength": 3},
        },
        "required": ["count"],
    }
    ui = {"text": {"widget": "textarea"}, "kind": {"label": "Loại", "enum_labels": {"a": "A"}}}
    return load_definition("demo", json.dumps(schema).encode(), json.dumps(ui).encode())


def one(field, value, lang="vi"):
    """Validate one field of the demo form (count is given so that only `field` can fail)."""
    data = {"count": 1, field: value} if field != "count" else {"count": value}
    result = validate_submission(demo(), data, lang=lang)
    return result.data.get(field), result.errors.get(field)


# ---------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-02-28", "2026-02-28"),
        ("28/02/2026", "2026-02-28"),
        ("1/3/2026", "2026-03-01"),
        (" 2026-02-28 ", "2026-02-28"),
        (date(2026, 2, 28), "2026-02-28"),
        (datetime(2026, 2, 28, 10, 30), "2026-02-28"),
        ("", None),
    ],
)
def test_dates_accepted(raw, expected):
    assert one("day", raw) == (expected, None)


@pytest.mark.parametrize(
    "raw",
    ["2026-02-30", "30/02/2026", "2026/02/28", "28-02-2026", "2026-2-28", "hôm qua", "٢٠٢٦-٠٢-٢٨", 20260228],
)
def test_bad_dates_refused(raw):
    assert one("day", raw) == (None, ["Ngày không hợp lệ (dd/mm/yyyy)."])
    assert one("day", raw, "en") == (None, ["Invalid date (dd/mm/yyyy)."])


def test_dates_out_of_range_refused():
    value, errors = one("day", "0001-01-01")
    assert value is None and "01/01/1900" in errors[0]


@pytest.mark.parametrize(
    ("raw", "expected"), [("7", 7), (" +7 ", 7), ("0", 0), (100, 100), (5.0, 5), ("", None)]
)
def test_integers_accepted(raw, expected):
    if expected is None:
        assert one("count", raw) == (None, ["Trường này là bắt buộc."])
    else:
        assert one("count", raw) == (expected, None)


@pytest.mark.parametrize(
    "raw", ["7.5", "1_000", "1e3", "७", "1 2", "abc", True, 5.5, float("nan"), "9" * 5000]
)
def test_bad_integers_refused(raw):
    assert one("count", raw, "en") == (None, ["Please enter a whole number."])


def test_integer_limits():
    assert one("count", -1, "en") == (None, ["The value must be at least 0."])
    assert one("count", "101", "en") == (None, ["The value must be at most 100."])
    assert one("count", 2**60, "en") == (None, ["The number is too large."])


@pytest.mark.parametrize(
    ("raw", "expected"), [("7,5", 7.5), ("7.5", 7.5), ("10", 10.0), (5, 5.0), (",5", 0.5)]
)
def test_numbers_accepted_with_comma_or_point(raw, expected):
    value, errors = one("score", raw)
    assert errors is None and value == expected and isinstance(value, float)


@pytest.mark.parametrize("raw", ["7,5,1", "1.2.3", "inf", "nan", "1e2", float("inf"), False])
def test_bad_numbers_refused(raw):
    value, errors = one("score", raw)
    assert value is None and errors


def test_number_limits_in_vietnamese_format():
    assert one("score", "10,5") == (None, ["Giá trị phải nhỏ hơn hoặc bằng 10."])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("y", True),
        ("on", True),
        ("true", True),
        ("1", True),
        ("Có", True),
        (True, True),
        (1, True),
        ("", False),
        ("false", False),
        ("0", False),
        ("off", False),
        (False, False),
        (0, False),
        (None, False),
    ],
)
def test_booleans(raw, expected):
    assert one("flag", raw) == (expected, None)


def test_boolean_garbage_refused():
    assert one("flag", "maybe")[1] == ["Giá trị có/không không hợp lệ."]
    assert one("flag", 2)[1]


def test_checkbox_not_posted_is_false():
    result = validate_submission(demo(), MultiDict({"count": "1"}))
    assert result.ok and result.data == {"count": 1, "flag": False}


def test_checkbox_with_hidden_fallback():
    result = validate_submission(demo(), MultiDict([("count", "1"), ("flag", "n"), ("flag", "y")]))
    assert result.data["flag"] is True


def test_enum_values_exactly():
    assert one("kind", "a") == ("a", None)
    assert one("kind", " b ") == ("b", None)
    for raw in ("A", "c", 1, True):
        assert one("kind", raw) == (None, ["Lựa chọn không hợp lệ."])


def test_strings_are_normalised():
    assert one("note", "  12-NQ/ĐTN  ") == ("12-NQ/ĐTN", None)
    decomposed = "Ða\u0300o"  # 'à' typed as a + combining grave
    assert one("note", decomposed) == ("Ðào", None)
    assert one("note", 12) == ("12", None)
    assert one("text", "dòng 1\r\ndòng 2") == ("dòng 1\ndòng 2", None)


def test_string_limits():
    assert one("note", "x" * 21, "en") == (None, ["At most 20 characters (21 given)."])
    assert one("note", "x" * 20) == ("x" * 20, None)
    assert one("short", "ab", "en") == (None, ["At least 3 characters."])
    assert one("code", "12-NQ/CB") == ("12-NQ/CB", None)
    assert one("code", "NQ-12", "en") == (None, ["The value does not have the expected format."])


def test_a_line_break_only_in_a_textarea():
    assert one("note", "a\nb", "en") == (None, ["This field must fit on one line."])
    assert one("text", "a\nb") == ("a\nb", None)


@pytest.mark.parametrize("raw", ["a\x00b", "a\x1bb", "\ud800", b"\xff\xfe"])
def test_control_characters_and_broken_text_refused(raw):
    value, errors = one("note", raw)
    assert value is None and errors


# ---------------------------------------------------------------- the whole form


def test_required_fields_and_unknown_keys():
    result = validate_submission(form("plan_cell_meeting"), {"evil": "x", "meeting_date": ""})
    assert not result.ok
    assert result.errors == {"meeting_date": ["Trường này là bắt buộc."]}
    result = validate_submission(
        form("plan_cell_meeting"), {"meeting_date": "05/03/2026", "evil": "x", "__class__": "y", 3: 4}
    )
    assert result.ok and result.data == {"meeting_date": "2026-03-05"}


def test_optional_empty_fields_are_omitted():
    data = {"notified_date": "2026-03-05", "acknowledgement_note": "   "}
    result = validate_submission(form("acknowledge_rejection"), data)
    assert result.ok and result.data == {"notified_date": "2026-03-05"}


def test_defaults_fill_fields_not_sent_at_all():
    vote = {
        "vote_date": "2026-03-02",
        "official_members": 9,
        "present": 8,
        "agree": 6,
        "disagree": 2,
        "resolution_number": "05-NQ/CB",
        "resolution_date": "2026-03-02",
    }
    result = validate_submission(form("record_cell_vote"), vote)
    assert result.ok and result.data["temporarily_attached"] == 0 and result.data["exempt_absent"] == 0
    posted_empty = validate_submission(form("record_cell_vote"), {**vote, "exempt_absent": ""})
    assert posted_empty.errors == {"exempt_absent": ["Trường này là bắt buộc."]}


def test_x_required_when_with_a_checkbox():
    appraisal = {
        "appraisal_number": "7-BC/BTC",
        "appraisal_date": "2026-04-01",
        "appraisal_opinion": "recommend_admit",
    }
    assert validate_submission(form("appraise_file"), appraisal).ok
    result = validate_submission(form("appraise_file"), MultiDict({**appraisal, "request_extension": "y"}))
    assert result.errors == {
        "extension_reason": [
            "Trường này là bắt buộc khi chọn “Đề nghị gia hạn thời gian xem xét (một lần)”."
        ]
    }
    result = validate_submission(
        form("appraise_file"),
        {**appraisal, "request_extension": True, "extension_reason": "Chờ kết luận thẩm tra."},
    )
    assert result.ok and result.data["request_extension"] is True


def test_browser_multidict_post():
    posted = ImmutableMultiDict(
        [
            ("course_attended", "y"),
            ("attendance_percent", "85"),
            ("essay_score", "6,5"),
            ("certificate_number", "45/GCN"),
            ("certificate_date", "20/01/2026"),
            ("csrf_token", "abc"),
        ]
    )
    result = validate_submission(form("record_course_result"), posted)
    assert result.ok, result.errors
    assert result.data == {
        "course_attended": True,
        "attendance_percent": 85,
        "essay_score": 6.5,
        "resit_taken": False,
        "certificate_number": "45/GCN",
        "certificate_date": "2026-01-20",
    }
    json.dumps(result.data)  # JSON-native


def test_lists_in_a_plain_dict_are_errors():
    result = validate_submission(form("plan_cell_meeting"), {"meeting_date": ["2026-03-05"]})
    assert result.errors == {"meeting_date": ["Giá trị không hợp lệ."]}


@pytest.mark.parametrize("formdata", [None, {}, "meeting_date=2026-03-05", 42, ["2026-03-05"], object()])
def test_garbage_formdata_gives_errors(formdata):
    result = validate_submission(form("plan_cell_meeting"), formdata)
    assert not result.ok and result.errors
    assert result.data == {}


def test_garbage_values_in_every_form_give_errors_not_exceptions():
    garbage = [
        None,
        [],
        {},
        ["x", "y"],
        "x" * 10_000_000,
        "2026-02-30",
        -1,
        10**100,
        float("nan"),
        object(),
        b"\xff",
    ]
    for definition in forms().values():
        for value in garbage:
            result = validate_submission(definition, {spec.name: value for spec in definition.fields})
            assert isinstance(result.errors, dict)
            if any(spec.required and spec.type != "boolean" for spec in definition.fields):
                assert not result.ok


def test_ten_megabyte_string_is_refused_quickly():
    huge = "đ" * 10_000_000
    result = validate_submission(
        form("write_residence_comment"), {"residence_comment_date": huge, "residence_comment": huge}
    )
    assert set(result.errors) == {"residence_comment_date", "residence_comment"}
    assert "2000" in result.errors["residence_comment"][0]


def test_a_broken_getlist_is_a_form_error():
    class Broken(dict):
        def getlist(self, key):
            raise RuntimeError("boom")

    result = validate_submission(form("plan_cell_meeting"), Broken(meeting_date="x"))
    assert result.errors == {"_form": ["Dữ liệu gửi lên không hợp lệ."]}


def test_context_that_is_not_a_mapping_is_ignored():
    data = {"ceremony_date": "2026-03-05", "probation_helper_member": 1}
    assert validate_submission(form("hold_ceremony"), data, context=["decision_date"]).ok


def test_unknown_language_falls_back_to_vietnamese():
    result = validate_submission(form("plan_cell_meeting"), {}, lang="fr")
    assert result.errors == {"meeting_date": ["Trường này là bắt buộc."]}
    assert validate_submission(form("plan_cell_meeting"), {}, lang="en").errors == {
        "meeting_date": ["This field is required."]
    }


def test_a_broken_rule_is_a_form_error(monkeypatch):

    def broken(values, context, params, lang):
        raise ZeroDivisionError

    monkeypatch.setitem(checks.CHECKS, "decision_vote", broken)
    data = {
        "decision": "admit",
        "decision_members": 9,
        "decision_agree": 6,
        "decision_number": "1",
        "decision_date": "2026-01-05",
    }
    result = validate_submission(form("decide_admission"), data, lang="en")
    assert result.errors == {
        "_form": ["The form could not be checked; please try again or tell the administrator."]
    }


def test_validation_never_raises_even_with_a_bad_definition():
    result = validate_submission(object(), {"a": 1})
    assert not result.ok and "_form" in result.errors


# ---------------------------------------------------------------- property-based

_text = st.text(max_size=40)
_value = st.one_of(
    _text,
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.lists(_text, max_size=3),
    st.dictionaries(_text, _text, max_size=2),
    st.binary(max_size=10),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(sorted(FORMS_DIR.glob("*.schema.json"))).map(
        lambda p: p.name.removesuffix(".schema.json")
    ),
    data=st.dictionaries(
        st.one_of(_text, st.sampled_from(["agree", "present", "decision", "ceremony_date"])), _text
    ),
)
def test_never_raises_for_arbitrary_dicts_of_text(name, data):
    definition = form(name)
    fields = {spec.name for spec in definition.fields}
    result = validate_submission(definition, data, {"decision_date": "2026-01-05"})
    assert result.ok == (not result.errors)
    assert set(result.data) <= fields
    assert set(result.errors) <= fields | {"_form"}
    json.dumps(result.data)


@settings(max_examples=150, deadline=None)
@given(
    name=st.sampled_from(
        [
            "record_cell_vote",
            "decide_admission",
            "assign_introducers",
            "record_course_result",
            "hold_ceremony",
            "record_verification",
        ]
    ),
    data=st.data(),
)
def test_never_raises_for_field_names_with_any_values(name, data):
    definition = form(name)
    values = {spec.name: data.draw(_value) for spec in definition.fields}
    context = {
        "decision_date": data.draw(_value),
        "relatives": data.draw(_value),
        "youth_union_member": data.draw(_value),
    }
    result = validate_submission(definition, values, context, lang=data.draw(st.sampled_from(["vi", "en"])))
    json.dumps(result.data)
    multi = MultiDict([(k, v) for k, v in values.items() if isinstance(v, str)])
    validate_submission(definition, multi, context)
