"""What the upload page says about a chosen file that cannot be part of a deployment
(services/deployment_upload.py names each with a code and its parameters)."""
from flask_babel import lazy_gettext as _l

ACCEPTED = _l("Chỉ nhận tệp sơ đồ .bpmn, bảng quyết định .dmn, biểu mẫu <tên>.schema.json với gợi ý hiển thị "
              "<tên>.uischema.json, hoặc một tệp .zip chứa các tệp đó.")

REFUSAL_TEXTS = {
    "not_a_deployment_file": ACCEPTED,
    "bad_file_name": _l("Tên tệp chỉ được gồm chữ cái không dấu, chữ số, '_', '-' và '.'."),
    "bad_form_name": _l("Tên biểu mẫu “%(form)s” không dùng được: tên biểu mẫu bắt đầu bằng chữ cái và chỉ gồm chữ "
                        "cái không dấu, chữ số và '_'."),
    "spiffarena_form_name": _l("Đây là cách SpiffArena đặt tên biểu mẫu; ở đây biểu mẫu tên là <tên>.schema.json và "
                               "gợi ý hiển thị <tên>.uischema.json: hãy đổi tên tệp thành %(suggested)s và sửa "
                               "thuộc tính formJsonSchemaFilename của công việc cho khớp."),
    "upload_twice": _l("Tệp cùng tên đã có trong những tệp gửi lên."),
    "form_too_large": _l("Tệp biểu mẫu có %(size)s byte; giới hạn là %(limit)s byte."),
    "zip_unreadable": _l("Tệp .zip bị hỏng hoặc không đọc được."),
    "zip_empty": _l("Tệp .zip không chứa tệp nào."),
    "zip_too_many": _l("Tệp .zip chứa %(count)s tệp; tối đa là %(limit)s."),
    "zip_unsafe_path": _l("Đường dẫn trong tệp .zip trỏ ra ngoài thư mục (đường dẫn tuyệt đối hoặc có '..'): không "
                          "đọc tệp này."),
    "zip_encrypted": _l("Tệp trong .zip được đặt mật khẩu: không đọc được."),
    "zip_nested": _l("Không nhận tệp .zip nằm trong tệp .zip."),
    "zip_member_too_large": _l("Tệp này khi giải nén lớn hơn %(limit_mb)s MB."),
    "zip_too_large": _l("Nội dung tệp .zip khi giải nén lớn hơn %(limit_mb)s MB: không đọc tiếp."),
}


def refusal_text(refusal):
    """`name: what is wrong`, one line per refused file."""
    text = REFUSAL_TEXTS.get(refusal.code, refusal.code)
    try:
        words = str(text) % refusal.params if refusal.params else str(text)
    except (KeyError, TypeError, ValueError):  # a translation naming a parameter the service did not give
        words = str(text)
    return f"{refusal.name}: {words}"

