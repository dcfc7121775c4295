"""What a refusal says to the user, by the code the service gave it (services/errors.py).

Only these texts are ever shown: an error without a code, or with a code not listed here, gets
its status's generic page (webapp/errors.py), never the exception's own words.
"""
from flask_babel import lazy_gettext as _l

REFUSAL_TEXTS = {
    # Forbidden (403)
    "verifier_not_independent": _l("Người xin vào Đảng và người thân của họ không được làm người thẩm tra lý lịch. "
                                   "Việc thẩm tra phải do một đảng viên khác đảm nhận."),
    "task_of_another_person": _l("Việc này đã được giao cho một người khác; chỉ người đó hoàn thành được."),
    "task_of_named_member": _l("Việc này do đồng chí %(name)s viết bằng tài khoản của mình; người khác, kể cả "
                               "cùng vai trò, không hoàn thành thay được."),
    "attachment_not_yours_to_add": _l("Chỉ người đang xử lý bước hiện tại của hồ sơ và bí thư chi bộ được thêm "
                                      "tệp đính kèm."),
    "last_administrator": _l("Không thể làm vậy với quản trị viên cuối cùng: hệ thống cần ít nhất một quản trị "
                             "viên đang hoạt động."),
    "not_for_your_role": _l("Vai trò bạn đang chọn không được xem phần này của hồ sơ."),
    "not_for_reports": _l("Vai trò bạn đang chọn không xem báo cáo. Báo cáo dành cho ban tổ chức, ban thường vụ, "
                          "đảng ủy cơ sở, bí thư chi bộ (chi bộ của mình) và ủy ban kiểm tra."),
    "report_unit_out_of_scope": _l("Đơn vị này không thuộc phạm vi của vai trò bạn đang chọn: chỉ xem được số liệu "
                                   "của đơn vị mình và các đơn vị trực thuộc."),
    # UnitTreeError (422): the organisation tree cannot run the procedure from this unit
    "unit_missing": _l("Đơn vị này không còn trong cây tổ chức."),
    "no_grassroots": _l("Đơn vị này chưa thuộc một tổ chức cơ sở đảng nào, nên chưa mở được hồ sơ ở đây. "
                        "Hãy nhờ quản trị viên đặt đơn vị vào đúng chỗ trong cây tổ chức."),
    "no_deciding_body": _l("Phía trên tổ chức cơ sở đảng của đơn vị này chưa có cấp uỷ có thẩm quyền quyết định "
                           "kết nạp, nên chưa mở được hồ sơ. Hãy nhờ quản trị viên bổ sung cây tổ chức."),
    "unknown_lane": _l("Quy trình dùng một vai trò mà hệ thống không biết; hãy báo quản trị viên kiểm tra bản "
                       "triển khai."),
}


def refusal_text(error):
    """The user-facing words for `error`, or None when it carries no code we wrote words for."""
    text = REFUSAL_TEXTS.get(getattr(error, "code", None))
    params = getattr(error, "params", None)  # facts the words name (e.g. who must write the letter)
    return text % params if text is not None and params else text
