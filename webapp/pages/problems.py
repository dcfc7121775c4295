"""A deployment's problems in the reader's language: the engine names each with a code and its
parameters (and English words for the command line); problems without a code show those words."""
from flask_babel import lazy_gettext as _l

CODE_KINDS = {
    "script": _l("Đoạn mã"),
    "preScript": _l("Đoạn mã chạy trước"),
    "postScript": _l("Đoạn mã chạy sau"),
    "condition": _l("Điều kiện"),
    "timer": _l("Biểu thức hẹn giờ"),
    "cardinality": _l("Số phiên bản (loopCardinality)"),
    "dmn_cell": _l("Ô của bảng quyết định"),
    # where the fields a refused condition could read were found (engine/conditions.py)
    "fields_before": _l("Các trường do các bước trước cổng này điền"),
    "fields_of_forms": _l("Các trường của các biểu mẫu trong bản triển khai"),
}

PROBLEM_TEXTS = {
    "empty_file": _l("Tệp trống."),
    # Diagram code written to run away (engine/code_checks.py); the sandbox would stop it, but only after it ran.
    "code_catch_all": _l("%(what)s bắt mọi lỗi (%(handler)s, dòng %(line)s): như vậy nó nuốt cả lệnh dừng khi mã "
                         "chạy quá thời gian và che mất lỗi thật. Chỉ bắt lỗi cụ thể, ví dụ except ValueError."),
    "code_endless_loop": _l("%(what)s có vòng lặp với điều kiện luôn đúng (dòng %(line)s): nó không tự dừng. Hãy "
                            "lặp trên một danh sách hoặc một range có giới hạn."),
    "code_huge_number": _l("%(what)s tính một số quá lớn (%(expression)s, dòng %(line)s): máy chủ không tính xong "
                           "được, và trong lúc tính thì không làm được việc gì khác."),
    "code_huge_repeat": _l("%(what)s tạo ra %(size)s phần tử (%(expression)s, dòng %(line)s); tối đa là %(limit)s: "
                           "không đủ bộ nhớ để tạo."),
    "code_huge_range": _l("%(what)s duyệt %(size)s phần tử (%(expression)s, dòng %(line)s); tối đa là %(limit)s: "
                          "không chạy xong trong thời gian cho phép."),
    "cardinality_too_large": _l("Hoạt động nhiều phiên bản đòi %(value)s phiên bản; tối đa là %(limit)s. Mỗi phiên "
                                "bản là một việc trong hồ sơ: chừng ấy việc sẽ làm máy chủ dừng lại."),
    "too_large": _l("Tệp có %(size)s byte; giới hạn là %(limit)s byte."),
    "not_utf8": _l("Tệp không phải XML UTF-8 hợp lệ: có byte không đọc được theo bảng mã của tệp. Hãy lưu tệp bằng "
                   "UTF-8."),
    "not_stored_utf8": _l("Tệp dùng bảng mã %(encoding)s và không chuyển được sang UTF-8; hãy lưu tệp bằng UTF-8."),
    "not_xml": _l("Tệp không phải XML đúng cú pháp."),
    "xml_tag_mismatch": _l("Tệp không phải XML đúng cú pháp: thẻ <%(opened)s> mở ở dòng %(opened_line)s lại được "
                           "đóng bằng </%(closed)s>."),
    "xml_truncated": _l("Tệp không phải XML đúng cú pháp: tệp bị cắt cụt, thiếu phần cuối (các thẻ đóng)."),
    "xml_no_element": _l("Tệp không phải XML đúng cú pháp: tệp không bắt đầu bằng một phần tử XML."),
    "xml_extra_content": _l("Tệp không phải XML đúng cú pháp: còn nội dung sau phần tử gốc."),
    "xml_entity": _l("Tệp không phải XML đúng cú pháp: thực thể &%(entity)s; chưa được khai báo (hãy viết thẳng ký "
                     "tự đó)."),
    "xml_undeclared_prefix": _l("Tệp không phải XML đúng cú pháp: tiền tố %(prefix)s của <%(element)s> chưa được "
                                "khai báo không gian tên."),
    "foreign_markup": _l("Phần tử <%(element)s> (không gian tên %(namespace)s) không được phép trong sơ đồ: chỉ nhận "
                         "phần tử BPMN, DMN và spiffworkflow; phần tài liệu (documentation) chỉ ghi chữ thường."),
    "foreign_attribute": _l("Thuộc tính %(attribute)s không được phép trong sơ đồ (nó thuộc bộ từ vựng mà trình duyệt "
                            "thực thi)."),
    "processing_instruction": _l("Tệp chứa chỉ thị xử lý <?%(target)s …?>: sơ đồ không được chứa chỉ thị xử lý nào "
                                 "(khai báo XML ở đầu tệp thì được)."),
    "not_dmn": _l("Tệp không phải bảng quyết định DMN (phần tử gốc là <%(root)s>; cần <definitions> của DMN 1.1, 1.2 "
                  "hoặc 1.3)."),
    "dmn_prefix": _l("Không gian tên DMN phải là không gian tên mặc định hoặc có tiền tố “dmn” (SpiffWorkflow không "
                     "đọc cách viết khác)."),
    "dmn_decision_count": _l("Mỗi tệp DMN phải có đúng một quyết định (tệp này có %(count)s)."),
    "dmn_no_table": _l("Quyết định này không có bảng quyết định (ở đây chỉ chạy được bảng quyết định)."),
    "duplicate_decision": _l("Mã quyết định “%(decision)s” có ở hai tệp: %(files)s."),
    "doctype": _l("Tệp khai báo DOCTYPE; sơ đồ không được khai báo kiểu tài liệu hay thực thể."),
    "not_bpmn": _l("Tệp không phải sơ đồ BPMN (phần tử gốc là <%(root)s>, không phải <bpmn:definitions>)."),
    "schema": _l("Sơ đồ không theo lược đồ BPMN."),
    "schema_dmn": _l("Bảng quyết định không theo lược đồ DMN."),
    "schema_attribute_not_allowed": _l("Sơ đồ không theo lược đồ BPMN: phần tử <%(element)s> không được có thuộc "
                                       "tính “%(attribute)s”."),
    "schema_bad_id": _l("Sơ đồ không theo lược đồ BPMN: “%(value)s” không dùng được làm mã (id) của <%(element)s>: "
                        "mã phải bắt đầu bằng chữ cái hoặc “_”, không có dấu cách và không trùng mã khác trong tệp."),
    "schema_bad_value": _l("Sơ đồ không theo lược đồ BPMN: giá trị “%(value)s” không hợp lệ cho thuộc tính "
                           "“%(attribute)s” của <%(element)s>."),
    "schema_attribute_missing": _l("Sơ đồ không theo lược đồ BPMN: phần tử <%(element)s> thiếu thuộc tính bắt buộc "
                                   "“%(attribute)s”."),
    "schema_unexpected_element": _l("Sơ đồ không theo lược đồ BPMN: phần tử <%(element)s> không được đặt ở chỗ "
                                    "này."),
    "schema_missing_child": _l("Sơ đồ không theo lược đồ BPMN: phần tử <%(element)s> thiếu phần tử con (cần một "
                               "trong: %(expected)s)."),
    "schema_dmn_attribute_not_allowed": _l("Bảng quyết định không theo lược đồ DMN: phần tử <%(element)s> không "
                                           "được có thuộc tính “%(attribute)s”."),
    "schema_dmn_bad_id": _l("Bảng quyết định không theo lược đồ DMN: “%(value)s” không dùng được làm mã (id) của "
                            "<%(element)s>: mã phải bắt đầu bằng chữ cái hoặc “_”, không có dấu cách và không trùng "
                            "mã khác trong tệp."),
    "schema_dmn_bad_value": _l("Bảng quyết định không theo lược đồ DMN: giá trị “%(value)s” không hợp lệ cho thuộc "
                               "tính “%(attribute)s” của <%(element)s>."),
    "schema_dmn_attribute_missing": _l("Bảng quyết định không theo lược đồ DMN: phần tử <%(element)s> thiếu thuộc "
                                       "tính bắt buộc “%(attribute)s”."),
    "schema_dmn_unexpected_element": _l("Bảng quyết định không theo lược đồ DMN: phần tử <%(element)s> không được "
                                        "đặt ở chỗ này."),
    "schema_dmn_missing_child": _l("Bảng quyết định không theo lược đồ DMN: phần tử <%(element)s> thiếu phần tử con "
                                   "(cần một trong: %(expected)s)."),
    "pool_not_executable": _l("Bể này không thực thi được (isExecutable=\"false\"): nó sẽ không bao giờ chạy."),
    "unknown_lane_role": _l("Làn “%(lane)s” không phải vai trò đã biết (các vai trò: %(roles)s)."),
    "task_without_lane": _l("Công việc “%(task)s” không thuộc làn nào: sẽ không ai được giao làm."),
    "task_without_form": _l("Công việc “%(task)s” chưa chọn biểu mẫu (thuộc tính formJsonSchemaFilename)."),
    "unknown_form": _l("Biểu mẫu “%(form)s” mà công việc này chọn không có trong bản triển khai: đã tìm tệp "
                       "%(schema_file)s (các trường) và %(ui_file)s (gợi ý hiển thị, không bắt buộc)."),
    "unknown_form_closest": _l("Biểu mẫu “%(form)s” mà công việc này chọn không có trong bản triển khai: đã tìm tệp "
                               "%(schema_file)s (các trường) và %(ui_file)s (gợi ý hiển thị, không bắt buộc). Biểu "
                               "mẫu gần nhất hiện có: “%(closest)s” (%(closest_file)s)."),
    "ui_file_mismatch": _l("Thuộc tính formUiSchemaFilename của công việc ghi “%(named)s”, nhưng gợi ý hiển thị của "
                           "biểu mẫu “%(form)s” được đọc từ %(ui_file)s: hãy đặt tên tệp như vậy (hoặc bỏ thuộc tính "
                           "này)."),
    "hints_without_form": _l("Tệp gợi ý hiển thị này không thuộc biểu mẫu nào: bản triển khai không có "
                             "%(schema_file)s."),
    "condition_camunda": _l("Điều kiện %(condition)s viết theo ngôn ngữ biểu thức của Camunda; ở đây điều kiện là "
                            "biểu thức Python trên các trường của biểu mẫu (hãy viết: %(inner)s). %(scope)s: "
                            "%(fields)s."),
    "condition_not_python": _l("Điều kiện không phải biểu thức Python đúng cú pháp; ở đây điều kiện là biểu thức "
                               "Python trên các trường của biểu mẫu, ví dụ decision == 'approve'. %(scope)s: "
                               "%(fields)s."),
    "code_empty": _l("%(what)s để trống."),
    "code_refused": _l("%(what)s dùng một cấu trúc không được phép ở đây."),
    "code_syntax": _l("%(what)s có lỗi cú pháp Python ở dòng %(line)s."),
    "code_import": _l("%(what)s không được nhập mô-đun (import); chỉ dùng các hàm có sẵn."),
    "code_underscore_name": _l("%(what)s dùng tên “%(name)s”: tên bắt đầu bằng dấu gạch dưới “_” không được phép."),
    "code_underscore_attribute": _l("%(what)s đọc thuộc tính “%(name)s”: thuộc tính bắt đầu bằng “_” không được "
                                    "phép."),
    "code_reserved_name": _l("%(what)s dùng tên dành riêng “%(name)s”."),
    "timer_missing": _l("Bộ hẹn giờ chưa ghi thời gian nào (timeDate, timeDuration hoặc timeCycle)."),
    "plain_task": _l("“%(task)s” là công việc chung (bpmn:task): ở đây không ai và không gì thực hiện nó. Dùng công "
                     "việc người dùng (user task) có biểu mẫu cho bước một người làm, hoặc công việc kịch bản "
                     "(script task) cho bước hệ thống tự làm."),
    "service_task": _l("“%(task)s” là công việc dịch vụ (service task): ứng dụng này không gọi dịch vụ nào; hãy dùng "
                       "công việc kịch bản (script task)."),
    "rule_task_without_decision": _l("Công việc quy tắc nghiệp vụ chưa chọn quyết định "
                                     "(spiffworkflow:calledDecisionId)."),
    "unknown_decision": _l("Quyết định “%(decision)s” mà công việc này gọi không có trong tệp DMN nào của bản triển "
                           "khai."),
    "duplicate_process": _l("Mã quy trình “%(process)s” được dùng hai lần (%(files)s): mỗi quy trình cần một mã "
                            "riêng."),
    "process_never_started": _l("Không có gì khởi động quy trình “%(process)s”: một hồ sơ chỉ khởi động quy trình "
                                "“%(main)s”; quy trình khác phải được gọi từ nó bằng một hoạt động gọi (call "
                                "activity)."),
    "no_start": _l("Quy trình không có sự kiện bắt đầu."),
    "unreachable": _l("Không sự kiện bắt đầu nào dẫn tới “%(node)s”."),
    "unknown_call": _l("Hoạt động này gọi “%(target)s”, không phải một quy trình thực thi được của bản triển khai."),
    "call_cycle": _l("Hoạt động gọi này có thể gọi lại chính quy trình của nó (%(path)s): nó sẽ không bao giờ "
                     "kết thúc."),
    "engine_parse": _l("SpiffWorkflow không đọc được phần này của sơ đồ."),
    "flow_without_condition": _l("Luồng ra này của cổng rẽ nhánh không có điều kiện và không phải luồng mặc định: "
                                 "hãy ghi điều kiện cho nó hoặc đặt nó làm luồng mặc định của cổng."),
    "subprocess_starts": _l("Quy trình con cần đúng một sự kiện bắt đầu (ở đây có %(count)s)."),
    "subprocess_without_end": _l("Quy trình con cần một sự kiện kết thúc."),
    "script_missing": _l("Công việc kịch bản này chưa có đoạn mã."),
    "timer_invalid": _l("Biểu thức hẹn giờ không đọc được: ghi một thời điểm hay khoảng ISO 8601 (P12M, PT1H, "
                        "'2026-12-03T00:00:00+07:00') hoặc một biểu thức tính ra nó."),
    "timer_date_is_duration": _l("“%(value)s” là một khoảng thời gian, không phải một thời điểm: bộ hẹn giờ theo "
                                 "ngày (timeDate) cần một thời điểm; khoảng thời gian ghi ở timeDuration."),
    "conditional_event_empty": _l("Sự kiện điều kiện chưa ghi điều kiện."),
    "unsupported_element": _l("SpiffWorkflow không chạy được loại phần tử này."),
    "message_missing": _l("Sự kiện tin nhắn chưa chọn tin nhắn (messageRef) hoặc tin nhắn không có trong tệp."),
    "no_main_process": _l("Bản triển khai không có quy trình thực thi được “%(process)s”."),
    "no_diagram": _l("Bản triển khai không có sơ đồ BPMN (.bpmn) nào."),
    "no_executable": _l("Không có quy trình thực thi được: mọi bể đều đánh dấu không thực thi, hoặc tệp không mô "
                        "tả quy trình nào."),
    "form_definition": _l("Biểu mẫu không hợp lệ: %(detail)s"),
    # Document templates (issue 13, services/documents/templates.py): placeholders name recorded facts.
    "document_invalid": _l("Mẫu văn bản không hợp lệ: %(detail)s"),
    "document_braces": _l("Mẫu văn bản có dấu {{ hoặc }} không thành một chỗ điền dữ liệu: “%(text)s”. Chỗ điền "
                          "viết là {{tên_dữ_liệu}}, ví dụ {{student.full_name}}."),
    "document_unknown_fact": _l("Chỗ điền {{%(fact)s}} không ứng với dữ liệu nào hồ sơ ghi nhận. Các dữ liệu có thể "
                                "dùng: %(known)s."),
    "form_pattern": _l("Biểu mẫu “%(form)s”: mẫu kiểm tra (pattern) của trường “%(field)s” không chạy được trên bộ so "
                       "khớp thời gian tuyến tính RE2, bộ duy nhất được dùng khi kiểm tra bài nộp: không hỗ trợ tham "
                       "chiếu ngược (\\1) và nhìn trước/nhìn sau ((?=…), (?<=…))."),
}

#: Codes whose text quotes the detail itself (our own English, not a library's).
DETAIL_IN_TEXT = {"form_definition", "document_invalid"}


def problem_detail(problem):
    """The library's own words behind a problem, shown apart ("chi tiết kỹ thuật"), or None.

    Only when the page says the problem in its own words: a problem without a text shows the
    English message itself, and a text that quotes the detail needs it no second time.
    """
    code = getattr(problem, "code", None)
    detail = problem.params.get("detail")
    if code not in PROBLEM_TEXTS or code in DETAIL_IN_TEXT or not detail:
        return None
    return str(detail)


def problem_text(problem):
    """What the pages say about one `Problem`."""
    code = getattr(problem, "code", None)
    text = PROBLEM_TEXTS.get(code)
    if text is None:
        return problem.message
    params = {name: str(CODE_KINDS.get(value, value)) if name in ("what", "scope") else value
              for name, value in problem.params.items()}
    try:
        return str(text) % params
    except (KeyError, TypeError, ValueError):  # a translation naming a parameter the engine did not give
        return problem.message


def register(app):
    app.add_template_global(problem_text, "problem_text")
    app.add_template_global(problem_detail, "problem_detail")
