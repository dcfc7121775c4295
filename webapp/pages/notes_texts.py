"""What the comment, draft and correction pages say when they refuse (issue 15), by the service's code."""
from flask_babel import lazy_gettext as _l

from ..services.comments import MAX_COMMENT_CHARS
from ..services.corrections import MAX_REASON_CHARS

NOTE_TEXTS = {
    "comment_empty": _l("Ý kiến đang để trống."),
    "comment_too_long": _l("Ý kiến dài quá %(n)d ký tự; hãy viết gọn lại.", n=MAX_COMMENT_CHARS),
    "comment_control_characters": _l("Ý kiến có ký tự ẩn hoặc ký tự đảo chiều chữ; hãy gõ lại bằng chữ thường."),
    "comment_duplicate": _l("Ý kiến này vừa được ghi rồi (bấm gửi hai lần?)."),
    "comment_not_for_your_role": _l("Vai trò bạn đang chọn không được ghi ý kiến ở đây."),
    "draft_too_large": _l("Bản nháp quá lớn để lưu; hãy gửi hoặc rút gọn nội dung."),
    "reason_required": _l("Hãy ghi lý do mở lại bước này để sửa."),
    "reason_too_long": _l("Lý do dài quá %(n)d ký tự.", n=MAX_REASON_CHARS),
    "not_your_correction": _l("Chỉ người (cơ quan) đã ghi nhận bước này hoặc cấp ủy cấp trên mới mở lại được để sửa."),
    "next_step_started": _l("Không mở lại được: sau bước này hồ sơ đã có việc khác được ghi nhận (bước tiếp theo "
                            "đã bắt đầu)."),
    "step_not_submitted": _l("Bước này đang mở để sửa rồi (hoặc không còn là một bước đã ghi nhận)."),
    "step_wrote_register": _l("Bước này đã ghi vào sổ đảng viên; việc sửa phải làm trên sổ đảng viên."),
    "case_finished": _l("Hồ sơ đã kết thúc; không mở lại bước nào được."),
}


def note_text(code):
    """The words for `code`, or a plain sentence when none were written for it."""
    return NOTE_TEXTS.get(code) or _l("Không thực hiện được yêu cầu.")
