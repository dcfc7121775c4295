"""What the register's error codes say to the reader (vi source, en through the catalogue)."""
from flask_babel import lazy_gettext as _l

MESSAGES = {
    "required": _l("Trường này là bắt buộc."),
    "register_bad_date": _l("Ngày không hợp lệ: ghi theo dạng dd/mm/yyyy."),
    "register_future_date": _l("Ngày này chưa đến: sổ đảng viên chỉ ghi những việc đã xảy ra."),
    "register_too_long": _l("Quá dài (tối đa 200 ký tự; họ tên tối đa 120)."),
    "register_bad_citizen_id": _l("Số CCCD gồm 12 chữ số."),
    "register_citizen_id_taken": _l("Số CCCD này đã có trong sổ đảng viên: mỗi người chỉ có một bản ghi."),
    "register_bad_status": _l("Trạng thái phải là “chính thức” hoặc “dự bị”."),
    "register_probationary_has_official_date": _l("Đảng viên dự bị chưa có ngày chính thức."),
    "register_official_before_admitted": _l("Ngày chính thức không thể trước ngày vào Đảng."),
    "register_before_birth": _l("Ngày vào Đảng không thể trước ngày sinh."),
    "register_joined_before_admitted": _l("Ngày sinh hoạt tại chi bộ không thể trước ngày vào Đảng."),
    "register_unknown_account": _l("Không có tài khoản với tên đăng nhập này."),
    "register_account_taken": _l("Tài khoản này đã gắn với một đảng viên khác."),
    "register_bad_absence_kind": _l("Chọn “sinh hoạt tạm thời nơi khác” hoặc “miễn sinh hoạt”."),
    "register_before_joined": _l("Ngày bắt đầu không thể trước ngày sinh hoạt tại chi bộ."),
    "register_after_left": _l("Ngày bắt đầu không thể sau ngày rời chi bộ."),
    "register_ends_before_start": _l("Ngày kết thúc không thể trước ngày bắt đầu."),
    "register_already_left": _l("Đảng viên này đã rời chi bộ."),
    "register_left_before_joined": _l("Ngày rời phải sau ngày sinh hoạt tại chi bộ."),
    "register_csv_too_large": _l("Tệp lớn hơn 1 MB."),
    "register_csv_not_utf8": _l("Tệp không phải văn bản UTF-8: hãy lưu lại dạng “CSV UTF-8”."),
    "register_csv_empty": _l("Tệp không có dòng đảng viên nào."),
    "register_csv_too_many_rows": _l("Tệp có quá 2000 dòng."),
    "register_csv_bad_header": _l("Dòng tiêu đề không đúng mẫu."),
    "register_already_member": _l("Đảng viên này đã là thành viên của cấp ủy này."),
    "register_not_yours": _l("Bạn chỉ giữ sổ đảng viên của chi bộ mình làm bí thư; sổ này không thuộc phạm vi đó."),
}

FIELD_LABELS = {
    "full_name": _l("Họ và tên"), "date_of_birth": _l("Ngày sinh"), "citizen_id": _l("Số CCCD"),
    "status": _l("Trạng thái"), "admitted_on": _l("Ngày vào Đảng"), "official_on": _l("Ngày chính thức"),
    "joined_on": _l("Ngày sinh hoạt tại chi bộ"), "username": _l("Tài khoản"), "kind": _l("Loại"),
    "starts_on": _l("Từ ngày"), "ends_on": _l("Đến ngày"), "detail": _l("Nơi sinh hoạt / lý do"),
    "left_on": _l("Ngày rời"), "member_id": _l("Đảng viên"), "left_reason": _l("Lý do"), "file": _l("Tệp"),
}

BODY_LABELS = {"cell": _l("Chi bộ"), "committee": _l("Cấp ủy"), "standing_committee": _l("Ban Thường vụ")}
STATUS_LABELS = {"official": _l("Chính thức"), "probationary": _l("Dự bị")}
ABSENCE_LABELS = {"attached": _l("Sinh hoạt tạm thời nơi khác"), "exempt": _l("Miễn sinh hoạt")}


def message(code):
    return str(MESSAGES.get(code, code))


def field_errors(errors):
    """{field: "text"} for the form's fields."""
    return {field: " ".join(message(code) for code in codes) for field, codes in errors.items()
            if field not in ("unknown_columns", "missing_columns")}
