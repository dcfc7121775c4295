"""Why a case cannot move to a new version, said in the admin's language.

The engine reports SpiffWorkflow's own words: "removed", or "changed: " and the names of the
serialized attributes that differ (bpmn_name, lane, extensions...). The admin reads what they mean;
an attribute not listed here is "another property" rather than a Python name.
"""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

CHANGED = "changed: "
ATTRIBUTES = {
    "bpmn_name": _l("tên bước"),
    "lane": _l("làn (vai trò làm bước)"),
    "extensions": _l("thuộc tính mở rộng (biểu mẫu, thời hạn)"),
    "script": _l("mã lệnh"),
    "prescript": _l("mã lệnh trước bước"),
    "postscript": _l("mã lệnh sau bước"),
    "cond_task_specs": _l("điều kiện rẽ nhánh"),
    "default_task_spec": _l("nhánh mặc định"),
    "outputs": _l("các bước tiếp theo"),
    "inputs": _l("các bước trước"),
    "documentation": _l("ghi chú"),
    "event_definition": _l("sự kiện (hẹn giờ, thông điệp, lỗi)"),
    "cancel_activity": _l("cách sự kiện biên dừng bước"),
    "data_input_associations": _l("dữ liệu vào"),
    "data_output_associations": _l("dữ liệu ra"),
    "io_specification": _l("dữ liệu vào, ra"),
    "task_spec": _l("bước lặp"),
    "cardinality": _l("số lần lặp"),
    "data_input": _l("danh sách lặp"),
    "data_output": _l("kết quả lặp"),
    "input_item": _l("phần tử lặp"),
    "output_item": _l("kết quả mỗi lần lặp"),
    "condition": _l("điều kiện dừng lặp"),
    "spec": _l("quy trình được gọi"),
    "split_task": _l("cổng tách tương ứng"),
}


def migration_reason(what):
    """'removed' / 'changed: bpmn_name, lane' → a sentence; any other text (an error) unchanged."""
    if what == "removed":
        return _("đã bị xóa trong phiên bản mới")
    if isinstance(what, str) and what.startswith(CHANGED):
        names = [name.strip() for name in what[len(CHANGED):].split(",") if name.strip()]
        known = list(dict.fromkeys(str(ATTRIBUTES[name]) for name in names if name in ATTRIBUTES))
        if any(name not in ATTRIBUTES for name in names):
            known.append(_("một thuộc tính khác"))
        return _("đã thay đổi: %(what)s", what=", ".join(known))
    return what
