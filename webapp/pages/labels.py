"""Display labels for roles and statuses (Vietnamese source, translated by the catalogues)."""
from flask_babel import lazy_gettext as _l

from ..services.attachments import MAX_BYTES, MAX_BYTES_PER_CASE, MAX_FILES_PER_CASE

ROLE_LABELS = {
    "applicant": _l("Người xin vào Đảng"),
    "youth_union": _l("Đoàn Thanh niên"),
    "introducer": _l("Đảng viên giới thiệu"),
    "cell_secretary": _l("Bí thư chi bộ"),
    "verifier": _l("Người thẩm tra lý lịch"),
    "residence_cell": _l("Chi ủy nơi cư trú"),
    "political_center": _l("Trung tâm chính trị"),
    "subcommittee": _l("Đảng ủy bộ phận"),
    "grassroots_committee": _l("Đảng ủy cơ sở"),
    "org_board": _l("Ban Tổ chức"),
    "standing_committee": _l("Ban Thường vụ"),
    "auditor": _l("Ủy ban Kiểm tra"),
    "admin": _l("Quản trị hệ thống"),
}

STATUS_LABELS = {
    "in_progress": _l("Đang xét"),
    "waiting": _l("Đang chờ"),
    "admitted": _l("Đã có quyết định kết nạp"),
    "probationary": _l("Đảng viên dự bị"),
    "official": _l("Đảng viên chính thức"),
    "rejected": _l("Không kết nạp"),
    "removed": _l("Xóa tên dự bị"),
    "stopped": _l("Dừng xem xét"),
    "closed": _l("Đã đóng"),
    "failed": _l("Lỗi, cần xử lý"),
}

DUE_LABELS = {
    "overdue": _l("Quá hạn"),
    "soon": _l("Sắp đến hạn"),
    "later": _l("Còn hạn"),
    "none": _l("Không có hạn"),
}

#: the stages a unit edit can hand to another body (services/unit_reroutes.STAGES)
REROUTE_STAGE_LABELS = {
    "subcommittee_appraisal": _l("Thẩm định của đảng ủy bộ phận"),
    "committee_vote": _l("Biểu quyết của đảng ủy cơ sở"),
    "decision": _l("Quyết định kết nạp, công nhận đảng viên chính thức"),
}

#: Error codes raised by the services, shown in the user's language.
ERROR_MESSAGES = {
    "required": _l("Trường này là bắt buộc."),
    # Startable processes (issue 17)
    "process_not_deployed": _l("Quy trình này không có trong phiên bản đang dùng."),
    "unknown_role": _l("Vai trò không hợp lệ."),
    "starting_roles_required": _l("Chọn ít nhất một vai trò được mở hồ sơ theo quy trình này."),
    "unknown_unit_kind": _l("Loại đơn vị không hợp lệ."),
    "unknown_unit": _l("Không có đơn vị với mã này."),
    "wrong_password": _l("Mật khẩu hiện tại không đúng."),
    "too_short": _l("Mật khẩu mới phải có ít nhất 10 ký tự."),
    "unchanged": _l("Mật khẩu mới phải khác mật khẩu cũ."),
    "password_has_name": _l("Mật khẩu không được chứa tên đăng nhập hay họ tên của người dùng."),
    "password_own_words": _l("Mật khẩu không được ghép từ tên đăng nhập, họ tên hay tên đơn vị của người dùng."),
    "password_common": _l("Mật khẩu quá dễ đoán: nó dựa trên một từ, một tên hoặc một mật khẩu hay gặp. "
                          "Hãy ghép vài từ không liên quan đến nhau."),
    "password_keyboard": _l("Mật khẩu quá dễ đoán: nó là một dãy phím liền nhau trên bàn phím."),
    "password_repeated": _l("Mật khẩu quá dễ đoán: nó lặp lại một ký tự hay một cụm ký tự."),
    "password_sequence": _l("Mật khẩu quá dễ đoán: nó là một dãy liên tiếp như abc hay 1234."),
    "password_date": _l("Mật khẩu quá dễ đoán: nó dựa trên một ngày tháng hay một năm."),
    "password_weak": _l("Mật khẩu quá dễ đoán. Hãy dùng một cụm vài từ không liên quan đến nhau, dài hơn."),
    "empty_file": _l("Tệp rỗng."),
    "too_large": _l("Tệp lớn hơn %(mb)d MB.", mb=MAX_BYTES // 2**20),
    "unsupported_type": _l("Chỉ nhận tệp PDF, JPEG hoặc PNG."),
    "name_does_not_match_type": _l("Tên tệp không khớp với loại tệp (.pdf, .jpg, .png)."),
    "taken": _l("Giá trị này đã được dùng; hãy chọn giá trị khác."),
    "invalid": _l("Giá trị không hợp lệ."),
    "cannot_move_under_itself": _l("Không thể chuyển đơn vị vào chính nó hoặc vào một đơn vị cấp dưới của nó."),
    "impact_not_confirmed": _l("Thay đổi này chuyển việc của hồ sơ đang chạy sang đơn vị khác (danh sách bên "
                               "dưới). Chưa lưu: xem lại rồi bấm Lưu lần nữa để xác nhận."),
    "impact_stale": _l("Từ lúc xem trước, đơn vị hoặc các hồ sơ chịu ảnh hưởng đã thay đổi. Chưa lưu: đây là ảnh "
                       "hưởng hiện nay, xem lại rồi bấm Lưu lần nữa để xác nhận."),
    "last_admin": _l("Đây là quản trị viên cuối cùng: không thể khóa tài khoản hay thu hồi vai trò quản trị."),
    "duplicate_role": _l("Người dùng đã giữ vai trò này ở đơn vị này."),
    "citizen_id_registered": _l("Số CCCD này đã được đăng ký cho một hồ sơ đang mở hoặc một đảng viên: mỗi người "
                                "chỉ có một hồ sơ."),
    "date_of_birth_impossible": _l("Ngày sinh không thể muộn hơn hôm nay hay trước năm 1900."),
    # The statistics fields take values from the official lists only (services/student_facts.py).
    "sex_not_in_list": _l("Giới tính chỉ là Nam hoặc Nữ."),
    "ethnicity_not_in_list": _l("Dân tộc phải là một trong 54 dân tộc theo danh mục chính thức (ví dụ Kinh, Tày, "
                                "Thái, H'Mông); hãy chọn trong danh sách."),
    "religion_not_in_list": _l("Tôn giáo phải là “Không” hoặc một tôn giáo được Nhà nước công nhận; hãy chọn "
                               "trong danh sách."),
    "occupation_not_in_list": _l("Đối tượng phải chọn trong danh sách (học sinh, sinh viên, …)."),
    "education_level_not_in_list": _l("Trình độ học vấn phải chọn trong danh sách (12/12, Đại học, …)."),
    "role_not_at_unit_kind": _l(
        "Vai trò này không có ở loại đơn vị đã chọn. Vai trò của chi bộ (bí thư, Đoàn thanh niên, đảng viên "
        "giới thiệu, người thẩm tra, chi ủy nơi cư trú, người xin vào Đảng) chỉ giao ở chi bộ hoặc chi bộ cơ "
        "sở; đảng ủy cơ sở và đảng ủy bộ phận chỉ ở đơn vị cùng loại; Ban Thường vụ, Ban Tổ chức, Trung tâm "
        "chính trị và quản trị viên chỉ ở tỉnh ủy, huyện ủy, đảng ủy xã/phường; kiểm tra ở các cấp ủy đó "
        "và ở đảng ủy cơ sở."),
    "not_a_diagram_file": _l("Chỉ nhận tệp sơ đồ .bpmn hoặc .dmn."),
    "bad_file_name": _l("Tên tệp chỉ được gồm chữ cái không dấu, chữ số, '_', '-' và '.'."),
    "case_finished": _l("Hồ sơ đã kết thúc: không thể đính kèm thêm tệp."),
    "too_many_files": _l("Mỗi hồ sơ có tối đa %(count)d tệp đính kèm; hồ sơ này đã đủ.", count=MAX_FILES_PER_CASE),
    "case_quota_full": _l("Các tệp đính kèm của một hồ sơ có tổng dung lượng tối đa %(mb)d MB; tệp này làm vượt quá.",
                          mb=MAX_BYTES_PER_CASE // (1024 * 1024)),
    "name_has_bidi_control": _l("Tên tệp chứa ký tự đảo chiều văn bản (như U+202E), có thể che giấu đuôi tệp thật; "
                                "hãy đổi tên tệp rồi tải lên lại."),
    "name_has_control_character": _l("Tên tệp chứa ký tự điều khiển; hãy đổi tên tệp rồi tải lên lại."),
}


def role_label(role):
    return ROLE_LABELS.get(role, role)


def error_text(code):
    return ERROR_MESSAGES.get(code, code)
