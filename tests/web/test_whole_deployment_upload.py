"""A whole deployment through the upload page (issue 17): diagrams with their forms in one go, or a .zip
of them, validated together; nothing stored unless every file is right, each problem said on its line."""
import io
import zipfile
from pathlib import Path

import pytest

from .helpers import alerts, events, html, redirect_path, texts
from .helpers import process_source as _source
from .helpers import process_versions as _versions

ROOT = Path(__file__).resolve().parents[2]
FORMS = ROOT / "forms"
OLD_FORM = 'value="enroll_in_course.schema.json"'


def _upload(admin, files, comment="Bản triển khai từ SpiffArena", action="deploy"):
    data = {"files": [(io.BytesIO(content), name) for name, content in files], "comment": comment, "action": action}
    return admin.post("/admin/processes/upload", data, content_type="multipart/form-data")


def _zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members:
            archive.writestr(name, content)
    return buffer.getvalue()


def _form(name="enroll_in_course"):
    return ((FORMS / f"{name}.schema.json").read_bytes(), (FORMS / f"{name}.uischema.json").read_bytes())


def _deployment(form="course_signup"):
    """admission.bpmn whose enrolment step names a form that only this upload brings, with that form."""
    schema, ui = _form()
    diagram = _source().replace(OLD_FORM, f'value="{form}.schema.json"', 1)
    diagram = diagram.replace('value="enroll_in_course.uischema.json"', f'value="{form}.uischema.json"', 1).encode()
    return [("admission.bpmn", diagram), (f"{form}.schema.json", schema), (f"{form}.uischema.json", ui)]


def _problems(response):
    return texts(response, "//*[@data-testid='problems']/li")


def _errors(response):
    return texts(response, "//*[@data-testid='upload-error']")


def _nothing_stored(response, before_events):
    assert response.status_code == 422, response.get_data(as_text=True)[:400]
    assert len(_versions()) == 1 and len(events()) == before_events


def test_a_diagram_with_its_forms_is_checked_then_deployed_in_one_go(as_user):
    admin = as_user("admin")
    checked = _upload(admin, _deployment(), action="validate")
    assert checked.status_code == 200 and "Các tệp hợp lệ: có thể triển khai." in alerts(checked)
    assert len(_versions()) == 1

    deployed = _upload(admin, _deployment())
    assert redirect_path(deployed) == "/admin/versions"
    assert "Đã triển khai phiên bản 2" in alerts(admin.get("/admin/versions"))[0]
    files = {f.name: f.content for f in _versions()[-1].files}
    assert files["course_signup.schema.json"] == _form()[0] and files["course_signup.uischema.json"] == _form()[1]
    assert b'value="course_signup.schema.json"' in files["admission.bpmn"]
    assert "hold_ceremony.schema.json" in files  # the active version's other files stay
    listed = html(admin.get("/admin/forms")).xpath("//*[@data-form]/@data-form")
    assert "course_signup" in listed


def test_a_zip_of_the_deployment_is_unpacked_folders_and_mac_metadata_dropped(as_user):
    admin = as_user("admin")
    members = [(f"signup-model/{name}", content) for name, content in _deployment()]
    archive = _zip(members + [("__MACOSX/signup-model/._admission.bpmn", b"\x00\x05"), (".DS_Store", b"\x00")])
    deployed = _upload(admin, [("signup-model.zip", archive)])
    assert redirect_path(deployed) == "/admin/versions"
    files = {f.name for f in _versions()[-1].files}
    assert {"admission.bpmn", "course_signup.schema.json", "course_signup.uischema.json"} <= files
    assert not any("/" in name or "DS_Store" in name for name in files)


def test_a_form_missing_from_the_deployment_says_the_file_names_looked_for_and_the_closest(as_user):
    admin = as_user("admin")
    before = len(events())
    diagram = _source().replace(OLD_FORM, 'value="enroll-in-course-schema.json"', 1).encode()
    refused = _upload(admin, [("admission.bpmn", diagram)])
    _nothing_stored(refused, before)
    shown = _problems(refused)
    assert len(shown) == 1, shown
    assert "admission.bpmn" in shown[0] and "enroll_in_course" in shown[0]  # the element: the task's id
    assert ("Biểu mẫu “enroll-in-course-schema.json” mà công việc này chọn không có trong bản triển khai: đã tìm tệp "
            "enroll-in-course-schema.json.schema.json (các trường) và enroll-in-course-schema.json.uischema.json") \
        in shown[0]
    assert "Biểu mẫu gần nhất hiện có: “enroll_in_course” (enroll_in_course.schema.json)." in shown[0]

    nothing_near = _source().replace(OLD_FORM, 'value="zzz.schema.json"', 1).encode()
    far = _problems(_upload(admin, [("admission.bpmn", nothing_near)]))
    assert len(far) == 1 and "đã tìm tệp zzz.schema.json" in far[0] and "gần nhất" not in far[0]


def test_ui_hints_named_the_spiffarena_way_are_refused_saying_which_file_is_read(as_user):
    admin = as_user("admin")
    before = len(events())
    diagram = _source().replace('value="enroll_in_course.uischema.json"', 'value="enroll_in_course-uischema.json"', 1)
    refused = _upload(admin, [("admission.bpmn", diagram.encode())])
    _nothing_stored(refused, before)
    text = texts(refused, "//*[@data-testid='problems']/li//*[@data-testid='problem-text']")
    assert text == ["Thuộc tính formUiSchemaFilename của công việc ghi “enroll_in_course-uischema.json”, nhưng gợi ý "
                    "hiển thị của biểu mẫu “enroll_in_course” được đọc từ enroll_in_course.uischema.json: hãy đặt tên "
                    "tệp như vậy (hoặc bỏ thuộc tính này)."]
    assert html(refused).xpath("//*[@data-testid='problems']/li/@data-problem-element") == ["enroll_in_course"]


def test_the_forms_are_validated_together_with_the_diagrams(as_user):
    """A task naming a form the same upload brings broken: the form's own problem, and nothing stored."""
    admin = as_user("admin")
    before = len(events())
    files = _deployment()
    files[1] = ("course_signup.schema.json", b'{"type": "array"}')
    refused = _upload(admin, files)
    _nothing_stored(refused, before)
    shown = _problems(refused)
    assert len(shown) == 1 and shown[0].startswith("course_signup.schema.json"), shown
    assert "Biểu mẫu không hợp lệ" in shown[0] and "the top level must be" in shown[0]

    not_json = _upload(admin, [files[0], ("course_signup.schema.json", b"{not json")])
    _nothing_stored(not_json, before)
    assert _problems(not_json)[0].startswith("course_signup.schema.json")

    orphan = _upload(admin, [("enrol_hints.uischema.json", _form()[1])])
    _nothing_stored(orphan, before)
    assert _problems(orphan) == ["enrol_hints.uischema.json Tệp gợi ý hiển thị này không thuộc biểu mẫu nào: bản "
                                 "triển khai không có enrol_hints.schema.json."]


def test_a_camunda_condition_says_conditions_are_python_with_the_fields_at_that_gateway(as_user):
    admin = as_user("admin")
    before = len(events())
    camunda = _source().replace(">course_passed</bpmn:conditionExpression>",
                                ">${course_passed}</bpmn:conditionExpression>", 1).encode()
    refused = _upload(admin, [("admission.bpmn", camunda)])
    _nothing_stored(refused, before)
    shown = _problems(refused)
    assert len(shown) == 1 and "f09_course_passed_gateway__course_next_gateway" in shown[0], shown
    assert ("Điều kiện ${course_passed} viết theo ngôn ngữ biểu thức của Camunda; ở đây điều kiện là biểu thức Python "
            "trên các trường của biểu mẫu (hãy viết: course_passed).") in shown[0]
    assert "Các trường do các bước trước cổng này điền:" in shown[0]
    assert "essay_score" in shown[0] and "certificate_number" in shown[0]  # record_course_result, before the gateway
    assert "ceremony_date" not in shown[0]  # hold_ceremony comes long after

    broken = _source().replace(">course_passed</bpmn:conditionExpression>",
                               ">course_passed &amp;&amp; true</bpmn:conditionExpression>", 1).encode()
    syntax = _problems(_upload(admin, [("admission.bpmn", broken)]))
    assert len(syntax) == 1 and "Điều kiện không phải biểu thức Python đúng cú pháp" in syntax[0], syntax
    assert "essay_score" in syntax[0]


def test_a_condition_with_no_step_before_it_lists_the_fields_of_the_deployments_forms(as_user):
    admin = as_user("admin")
    vote = _source("cell_vote.bpmn").replace(
        '<bpmn:sequenceFlow id="cv_f1" sourceRef="cell_vote_start" targetRef="record_cell_vote"/>',
        '<bpmn:sequenceFlow id="cv_f1" sourceRef="cell_vote_start" targetRef="record_cell_vote">'
        '<bpmn:conditionExpression>#{present &gt; 0}</bpmn:conditionExpression>'
        '</bpmn:sequenceFlow>', 1)
    assert "#{present" in vote
    refused = _upload(admin, [("cell_vote.bpmn", vote.encode())])
    shown = _problems(refused)
    assert len(shown) == 1 and shown[0].startswith("cell_vote.bpmn · phần tử cv_f1"), shown
    text = texts(refused, "//*[@data-testid='problems']/li//*[@data-testid='problem-text']")[0]
    assert "(hãy viết: present > 0). Các trường của các biểu mẫu trong bản triển khai: " in text
    fields = text.split("trong bản triển khai: ", 1)[1]
    assert fields.startswith("acknowledged") or fields[0] == "a", fields[:80]
    assert fields.endswith(", ….") and len(fields.split(", ")) == 61  # the first 60, then the mark of more


def _refused_names(admin, files):
    before = len(events())
    response = _upload(admin, files)
    _nothing_stored(response, before)
    assert not _problems(response)  # refused before anything was validated
    return _errors(response)


@pytest.mark.parametrize("name, words", [
    ("notes.txt", "Chỉ nhận tệp sơ đồ .bpmn, bảng quyết định .dmn, biểu mẫu <tên>.schema.json với gợi ý hiển thị "
                  "<tên>.uischema.json, hoặc một tệp .zip chứa các tệp đó."),
    ("course.json", "Chỉ nhận tệp sơ đồ .bpmn"),
    ("step01-schema.json", "Đây là cách SpiffArena đặt tên biểu mẫu; ở đây biểu mẫu tên là <tên>.schema.json và gợi ý "
                           "hiển thị <tên>.uischema.json: hãy đổi tên tệp thành step01.schema.json"),
    ("step01-uischema.json", "hãy đổi tên tệp thành step01.uischema.json"),
    ("course-signup.schema.json", "Tên biểu mẫu “course-signup” không dùng được"),
    ("khóa học.schema.json", "Tên tệp chỉ được gồm chữ cái không dấu"),
])
def test_files_of_the_wrong_kind_or_name_are_refused_each_on_its_line(as_user, name, words):
    admin = as_user("admin")
    errors = _refused_names(admin, _deployment() + [(name, b"{}")])
    assert len(errors) == 1 and errors[0].startswith(f"{name}: ") and words in errors[0], errors


def test_a_form_file_over_the_editors_limit_is_refused(as_user):
    errors = _refused_names(as_user("admin"), [("big.schema.json", b" " * 200_001)])
    assert errors == ["big.schema.json: Tệp biểu mẫu có 200001 byte; giới hạn là 200000 byte."]


def _bomb(size=30 * 1024 * 1024):
    """A deflated member that inflates to `size` bytes, whatever the header would claim."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("admission.bpmn", b" " * size)
    return buffer.getvalue()


def _lying_header(archive_bytes, declared=100):
    """The same archive with the member's declared size rewritten small (a bomb that lies)."""
    data = bytearray(archive_bytes)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(signature)
        data[at + offset:at + offset + 4] = declared.to_bytes(4, "little")
    return bytes(data)


@pytest.mark.parametrize("members, words", [
    ([("../../etc/cron.d/admission.bpmn", b"<x/>")], "Đường dẫn trong tệp .zip trỏ ra ngoài thư mục"),
    ([("/etc/admission.bpmn", b"<x/>")], "Đường dẫn trong tệp .zip trỏ ra ngoài thư mục"),
    ([("inner.zip", _zip([("admission.bpmn", b"<x/>")]))], "Không nhận tệp .zip nằm trong tệp .zip."),
    ([("model/process_model.json", b"{}")], "Chỉ nhận tệp sơ đồ .bpmn"),
    ([("a/admission.bpmn", b"<x/>"), ("b/admission.bpmn", b"<y/>")], "Tệp cùng tên đã có trong những tệp gửi lên."),
])
def test_a_zip_with_traversal_nesting_junk_or_twins_is_refused(as_user, members, words):
    errors = _refused_names(as_user("admin"), [("deployment.zip", _zip(members))])
    assert len(errors) == 1 and errors[0].startswith("deployment.zip/") and words in errors[0], errors


def test_zip_bombs_and_broken_or_crowded_archives_are_refused(as_user):
    admin = as_user("admin")
    bomb = _refused_names(admin, [("bomb.zip", _bomb())])
    assert bomb == ["bomb.zip/admission.bpmn: Tệp này khi giải nén lớn hơn 2 MB."]
    liar = _refused_names(admin, [("liar.zip", _lying_header(_bomb()))])
    assert len(liar) == 1 and liar[0].startswith("liar.zip/admission.bpmn: "), liar

    crowded = _zip([(f"f{n}.bpmn", b"<x/>") for n in range(201)])
    assert _refused_names(admin, [("crowded.zip", crowded)]) == ["crowded.zip: Tệp .zip chứa 201 tệp; tối đa là 200."]
    many_big = _zip([(f"f{n}.bpmn", b" " * (2 * 1024 * 1024)) for n in range(11)])
    assert _refused_names(admin, [("many.zip", many_big)]) == [
        "many.zip: Nội dung tệp .zip khi giải nén lớn hơn 20 MB: không đọc tiếp."]
    assert _refused_names(admin, [("broken.zip", b"PK\x03\x04 not really")]) == [
        "broken.zip: Tệp .zip bị hỏng hoặc không đọc được."]
    assert _refused_names(admin, [("empty.zip", _zip([]))]) == ["empty.zip: Tệp .zip không chứa tệp nào."]


def test_a_good_file_beside_a_refused_one_is_not_deployed_either(as_user):
    admin = as_user("admin")
    errors = _refused_names(admin, _deployment() + [("diagram.svg", b"<svg/>")])
    assert errors == ["diagram.svg: Chỉ nhận tệp sơ đồ .bpmn, bảng quyết định .dmn, biểu mẫu <tên>.schema.json với "
                      "gợi ý hiển thị <tên>.uischema.json, hoặc một tệp .zip chứa các tệp đó."]
    assert "course_signup" not in html(admin.get("/admin/forms")).xpath("//*[@data-form]/@data-form")


def test_the_upload_page_says_what_it_takes(as_user):
    page = as_user("admin").get("/admin/processes/upload")
    assert html(page).xpath("//input[@name='files']/@accept") == [".bpmn,.dmn,.json,.zip"]
    said = " ".join(texts(page, "//main//p"))
    assert "formJsonSchemaFilename = <tên>.schema.json" in said and ".zip" in said



def test_an_english_reader_reads_the_refusals_in_english(as_user):
    admin = as_user("admin")
    admin.get("/lang/en")
    errors = _refused_names(admin, [("deployment.zip", _zip([("../admission.bpmn", b"<x/>")])),
                                    ("step01-schema.json", b"{}")])
    assert errors == [
        "deployment.zip/../admission.bpmn: The path inside the .zip points outside its folder (an absolute path or "
        "'..'): this file is not read.",
        "step01-schema.json: This is how SpiffArena names forms; here a form is <name>.schema.json and its UI hints "
        "<name>.uischema.json: rename the file to step01.schema.json and change the task's formJsonSchemaFilename "
        "property to match."]
    camunda = _source().replace(">course_passed</bpmn:conditionExpression>",
                                ">${course_passed}</bpmn:conditionExpression>", 1).encode()
    refused = _upload(admin, [("admission.bpmn", camunda)])
    text = texts(refused, "//*[@data-testid='problems']/li//*[@data-testid='problem-text']")
    assert len(text) == 1 and text[0].startswith(
        "The condition ${course_passed} is written in Camunda's expression language; conditions here are Python "
        "expressions over the form fields (write: course_passed). Fields the steps before this gateway fill in: "), text
