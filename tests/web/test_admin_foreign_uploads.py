"""Foreign and hostile diagrams through the real upload page (issue 9): what the administrator reads
(in Vietnamese, the library's words apart as a technical detail) and that nothing was stored."""
import io
import json
import time
from pathlib import Path

import pytest

from webapp.extensions import db
from webapp.services import InvalidSubmission, complete_task
from webapp.services.versions import files_from_directories, store_version

from ..services.helpers import facts, task_named
from .helpers import CEREMONY_LABEL, NEW_CEREMONY_LABEL, alerts, events, html, redirect_path, texts
from .helpers import process_source as _source
from .helpers import process_versions as _versions

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "foreign"


def _upload(admin, files, comment="Tải từ công cụ khác", action="deploy"):
    data = {"files": [(io.BytesIO(content), name) for name, content in files], "comment": comment, "action": action}
    return admin.post("/admin/processes/upload", data, content_type="multipart/form-data")


def _refused(admin, files):
    """Upload, check the refusal (422, nothing stored, no event) and return [(text, detail or None)]."""
    before = len(events())
    response = _upload(admin, files)
    assert response.status_code == 422, response.get_data(as_text=True)[:300]
    assert alerts(response)[0].startswith("Có ") and "chưa lưu gì" in alerts(response)[0]
    assert len(_versions()) == 1 and len(events()) == before
    shown = []
    assert all(item.get("data-problem-file") for item in html(response).xpath("//*[@data-testid='problems']/li"))
    for li in range(len(texts(response, "//*[@data-testid='problems']/li"))):
        base = f"(//*[@data-testid='problems']/li)[{li + 1}]"
        text = texts(response, base + "//*[@data-testid='problem-text']")[0]
        detail = texts(response, base + "//*[@data-testid='problem-detail']/code")
        shown.append((text, detail[0] if detail else None))
    return shown


SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
HTML_NS = 'xmlns:html="http://www.w3.org/1999/xhtml"'


def _with_script_in_documentation():
    source = _source().replace('<bpmn:definitions ', f'<bpmn:definitions {HTML_NS} ', 1)
    return source.replace('<bpmn:scriptTask id="initialise_case" name="Khởi tạo hồ sơ">',
                          '<bpmn:scriptTask id="initialise_case" name="Khởi tạo hồ sơ"><bpmn:documentation>'
                          '<html:script>fetch("/cases/2/dossier").then(r => r.text()).then(alert)</html:script>'
                          '</bpmn:documentation>', 1).encode()


@pytest.mark.parametrize("files, words", [
    ([("rules.dmn", SVG)], "Tệp không phải bảng quyết định DMN (phần tử gốc là <svg>"),
    ([("admission.bpmn", _with_script_in_documentation())], "Phần tử <html:script> (không gian tên "
                                                            "http://www.w3.org/1999/xhtml) không được phép"),
    ([("admission.bpmn", _source().replace("?>", '?><?xml-stylesheet type="text/xsl" href="#x"?>', 1).encode())],
     "Tệp chứa chỉ thị xử lý <?xml-stylesheet …?>"),
    ([("vote_copy.bpmn", _source("cell_vote.bpmn").encode())],
     "Mã quy trình “cell_vote” được dùng hai lần (cell_vote.bpmn, vote_copy.bpmn)"),
    ([("admission.bpmn", _source().replace('<bpmn:scriptTask id="initialise_case"', '<bpmn:task id="stray" '
                                           'name="Việc chung"/><bpmn:scriptTask id="initialise_case"', 1).encode())],
     "“Việc chung” là công việc chung (bpmn:task)"),
])
def test_a_foreign_upload_is_refused_once_in_vietnamese_and_nothing_is_stored(as_user, files, words):
    shown = _refused(as_user("admin"), files)
    assert any(words in text for text, _ in shown), shown
    if "Việc chung" not in words:  # (an unconnected stray task is also unreachable: two problems)
        assert len(shown) == 1, shown


@pytest.mark.parametrize("change, words, detail", [
    (lambda x: x.replace('<bpmn:userTask id="enroll_in_course"', '<bpmn:userTask id="enroll_in_course" bogus="1"'),
     "Sơ đồ không theo lược đồ BPMN: phần tử <userTask> không được có thuộc tính “bogus”.",
     "The attribute 'bogus' is not allowed"),
    (lambda x: x.replace('<bpmn:userTask id="enroll_in_course"', '<bpmn:userTask id="1enroll"'),
     "Sơ đồ không theo lược đồ BPMN: “1enroll” không dùng được làm mã (id) của <userTask>", "xs:ID"),
    (lambda x: x.replace("course_attempts = 0", "_secret = 1"), "Đoạn mã dùng tên “_secret”",
     'invalid variable name because it starts with "_"'),
    (lambda x: x.replace("course_attempts = 0", "course_attempts = (0"), "Đoạn mã có lỗi cú pháp Python ở dòng",
     "syntax error"),
    (lambda x: x[:x.index("</bpmn:process>")], "Tệp không phải XML đúng cú pháp: tệp bị cắt cụt",
     "Premature end of data"),
])
def test_library_texts_are_said_in_vietnamese_with_the_original_as_a_detail(as_user, change, words, detail):
    shown = _refused(as_user("admin"), [("admission.bpmn", change(_source()).encode())])
    assert len(shown) == 1, shown
    text, technical = shown[0]
    assert text.startswith(words), shown
    assert detail in (technical or ""), shown
    assert detail not in text  # the English stays in the technical detail


def _with_rule_task():
    """admission.bpmn with a business rule task between the case set-up and the course."""
    rule_task = ('<bpmn:businessRuleTask id="stage_course" name="Xếp giai đoạn học"><bpmn:extensionElements>'
                 '<spiffworkflow:calledDecisionId>course_stage</spiffworkflow:calledDecisionId>'
                 '</bpmn:extensionElements></bpmn:businessRuleTask>'
                 '<bpmn:sequenceFlow id="f_stage" sourceRef="stage_course" targetRef="merge_course"/>')
    old = ('<bpmn:sequenceFlow id="f04_initialise_case__merge_course" sourceRef="initialise_case" '
           'targetRef="merge_course"/>')
    source = _source()
    assert old in source
    return source.replace(old, old.replace('targetRef="merge_course"', 'targetRef="stage_course"') + rule_task).encode()


def test_a_business_rule_task_with_its_dmn_in_the_same_upload_deploys_and_runs(as_user, world, start_case, driver):
    admin = as_user("admin")
    without = _refused(admin, [("admission.bpmn", _with_rule_task())])
    assert without == [("Quyết định “course_stage” mà công việc này gọi không có trong tệp DMN nào của bản triển khai.",
                        None)]
    response = _upload(admin, [("admission.bpmn", _with_rule_task()),
                               ("course_stage.dmn", (DATA / "course_stage.dmn").read_bytes())])
    assert redirect_path(response) == "/admin/versions", texts(response, "//*[@data-testid='problems']/li")
    stored = {f.name: f.content for f in _versions()[-1].files}
    assert stored["course_stage.dmn"] == (DATA / "course_stage.dmn").read_bytes()
    case = start_case("TQ-LN-THPT", citizen_id="001207000031")
    driver.run(case.id, until="enroll_in_course")
    assert facts(case.id)["course_stage_label"] == "chưa học"  # the DMN's cells, evaluated by the script engine
    assert task_named(case.id, "enroll_in_course").status == "open"  # and the case went on past the rule task


def test_a_utf16_upload_is_stored_as_utf8_and_shown_right_in_the_editor(as_user):
    admin = as_user("admin")
    source = _source().replace(CEREMONY_LABEL, NEW_CEREMONY_LABEL).replace("encoding='UTF-8'", "encoding='UTF-16'")
    assert "encoding='UTF-16'" in source
    response = _upload(admin, [("admission.bpmn", source.encode("utf-16"))])
    assert redirect_path(response) == "/admin/versions"
    stored = {f.name: f.content for f in _versions()[-1].files}["admission.bpmn"]
    assert stored == source.replace("encoding='UTF-16'", "encoding='UTF-8'").encode("utf-8")
    editor = texts(admin.get("/admin/processes/edit/admission.bpmn"), "//textarea[@data-testid='xml']")[0]
    assert NEW_CEREMONY_LABEL in editor and "encoding='UTF-8'" in editor


def test_the_editor_gives_the_technical_detail_apart(as_user):
    admin = as_user("admin")
    broken = _source().replace('<bpmn:userTask id="enroll_in_course"', '<bpmn:userTask id="enroll_in_course" x="1"')
    answer = admin.post("/admin/processes/edit/admission.bpmn/validate", {"xml": broken},
                        token_from="/admin/processes/edit/admission.bpmn").get_json()
    assert [(p["message"], "'x' is not allowed" in p["detail"]) for p in answer["problems"]] == [
        ("Sơ đồ không theo lược đồ BPMN: phần tử <userTask> không được có thuộc tính “x”.", True)]


# --- form patterns (ReDoS) ------------------------------------------------------------------------------------------

def _form_with_pattern(admin, pattern, name="write_application"):
    page = admin.get(f"/admin/forms/{name}")
    schema = json.loads(texts(page, "//textarea[@name='schema']")[0])
    field = next(key for key, prop in schema["properties"].items()
                 if prop.get("type") == "string" and "enum" not in prop and "format" not in prop)
    schema["properties"][field]["pattern"] = pattern
    ui = texts(page, "//textarea[@name='ui']")
    data = {"schema": json.dumps(schema, ensure_ascii=False), "ui": ui[0] if ui else "", "comment": "thêm mẫu kiểm tra"}
    return field, admin.post(f"/admin/forms/{name}", data)


@pytest.mark.parametrize("pattern", [r"^(a)\1$", r"^(?=a)a$"])
def test_a_pattern_re2_cannot_run_is_refused_in_the_forms_editor(as_user, pattern):
    admin = as_user("admin")
    before = len(events())
    field, response = _form_with_pattern(admin, pattern)
    assert response.status_code == 422
    shown = texts(response, "//*[@data-testid='problem-text']")
    assert shown == [f"Biểu mẫu “write_application”: mẫu kiểm tra (pattern) của trường “{field}” không chạy được "
                     "trên bộ so khớp thời gian tuyến tính RE2, bộ duy nhất được dùng khi kiểm tra bài nộp: không hỗ "
                     "trợ tham chiếu ngược (\\1) và nhìn trước/nhìn sau ((?=…), (?<=…))."]
    assert "RE2" in texts(response, "//*[@data-testid='problem-detail']/code")[0]
    assert len(_versions()) == 1 and len(events()) == before


def test_a_catastrophic_pattern_cannot_hold_the_server_on_submission(as_user, world, start_case, driver):
    admin = as_user("admin")
    field, response = _form_with_pattern(admin, r"^(a+)+$")
    assert response.status_code == 302  # RE2 runs it in linear time: it may be deployed
    case = start_case("TQ-LN-THPT", citizen_id="001207000032")
    driver.run(case.id, until="write_application")
    task = task_named(case.id, "write_application")
    actor, answers = driver.actor_for(task), driver.answers(task)
    answers[field] = "a" * 50 + "!"
    started = time.perf_counter()
    with pytest.raises(InvalidSubmission) as refused:
        complete_task(actor, task.id, answers, now=driver.now)
    assert time.perf_counter() - started < 2  # Python's re would take longer than anyone waits; a sanity bound
    assert field in refused.value.errors
    assert task_named(case.id, "write_application").status == "open"


def test_a_utf16_version_stored_before_the_conversion_still_reads_right(as_user):
    files = files_from_directories(ROOT / "processes", ROOT / "forms")
    files["admission.bpmn"] = _source().replace(CEREMONY_LABEL, NEW_CEREMONY_LABEL).replace(
        "encoding='UTF-8'", "encoding='UTF-16'").encode("utf-16")
    store_version(files, comment="lưu trước khi có chuyển mã")
    db.session.commit()
    admin = as_user("admin")
    editor = texts(admin.get("/admin/processes/edit/admission.bpmn"), "//textarea[@data-testid='xml']")[0]
    assert NEW_CEREMONY_LABEL in editor
    first, second = _versions()
    diff = "\n".join(texts(admin.get(f"/admin/versions?old={first.id}&new={second.id}"), "//pre"))
    assert NEW_CEREMONY_LABEL.split('"')[1] in diff and "\x00" not in diff
