"""A deployment's problems in the reader's language: the engine names each with a code and its
parameters (and English words for the command line); problems without a code show those words."""
from flask_babel import lazy_gettext as _l

CODE_KINDS = {
    "script": _l("Đoạn mã"),
    "preScript": _l("Đoạn mã chạy trước"),
    "postScript": _l("Đoạn mã chạy sau"),
    "condition": _l("Điều kiện"),
    "timer": _l("Biểu thức hẹn giờ"),
}

PROBLEM_TEXTS = {
    "empty_file": _l("Tệp trống."),
    "too_large": _l("Tệp có %(size)s byte; giới hạn là %(limit)s byte."),
    "not_utf8": _l("Tệp không phải XML UTF-8 hợp lệ (%(detail)s)."),
    "not_xml": _l("Tệp không phải XML đúng cú pháp (%(detail)s)."),
    "doctype": _l("Tệp khai báo DOCTYPE; sơ đồ không được khai báo kiểu tài liệu hay thực thể."),
    "not_bpmn": _l("Tệp không phải sơ đồ BPMN (phần tử gốc là <%(root)s>, không phải <bpmn:definitions>)."),
    "schema": _l("Sơ đồ không theo lược đồ BPMN: %(detail)s"),
    "pool_not_executable": _l("Bể này không thực thi được (isExecutable=\"false\"): nó sẽ không bao giờ chạy."),
    "unknown_lane_role": _l("Làn “%(lane)s” không phải vai trò đã biết (các vai trò: %(roles)s)."),
    "task_without_lane": _l("Công việc “%(task)s” không thuộc làn nào: sẽ không ai được giao làm."),
    "task_without_form": _l("Công việc “%(task)s” chưa chọn biểu mẫu (thuộc tính formJsonSchemaFilename)."),
    "unknown_form": _l("Biểu mẫu “%(form)s” mà công việc này chọn không có trong bản triển khai."),
    "code_empty": _l("%(what)s để trống."),
    "code_refused": _l("%(what)s không chạy được ở đây: %(detail)s"),
    "no_start": _l("Quy trình không có sự kiện bắt đầu."),
    "unreachable": _l("Không sự kiện bắt đầu nào dẫn tới “%(node)s”."),
    "unknown_call": _l("Hoạt động này gọi “%(target)s”, không phải một quy trình thực thi được của bản triển khai."),
    "call_cycle": _l("Hoạt động gọi này có thể gọi lại chính quy trình của nó (%(path)s): nó sẽ không bao giờ "
                     "kết thúc."),
    "engine_parse": _l("Bộ phân tích của SpiffWorkflow báo lỗi: %(detail)s"),
    "no_main_process": _l("Bản triển khai không có quy trình thực thi được “%(process)s”."),
    "no_diagram": _l("Bản triển khai không có sơ đồ BPMN (.bpmn) nào."),
    "no_executable": _l("Không có quy trình thực thi được: mọi bể đều đánh dấu không thực thi, hoặc tệp không mô "
                        "tả quy trình nào."),
    "form_definition": _l("Biểu mẫu không hợp lệ: %(detail)s"),
}


def problem_text(problem):
    """What the pages say about one `Problem`."""
    code = getattr(problem, "code", None)
    text = PROBLEM_TEXTS.get(code)
    if text is None:
        return problem.message
    params = {name: str(CODE_KINDS.get(value, value)) if name == "what" else value
              for name, value in problem.params.items()}
    try:
        return str(text) % params
    except (KeyError, TypeError, ValueError):  # a translation naming a parameter the engine did not give
        return problem.message


def register(app):
    app.add_template_global(problem_text, "problem_text")
