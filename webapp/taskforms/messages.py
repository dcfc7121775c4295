"""Validation messages, Vietnamese first, English available.

`message(key, lang, **params)` formats one text; a language other than 'en' falls back to
Vietnamese, the language of the product. Messages may quote numbers and dates the user typed
back to the user, never into a log.
"""

from datetime import date

DEFAULT_LANG = "vi"
LANGS = ("vi", "en")

MESSAGES: dict[str, dict[str, str]] = {
    # one field
    "required": {
        "vi": "Trường này là bắt buộc.",
        "en": "This field is required.",
    },
    "required_when": {
        "vi": "Trường này là bắt buộc khi “{field}” là “{value}”.",
        "en": "This field is required when “{field}” is “{value}”.",
    },
    "required_when_checked": {
        "vi": "Trường này là bắt buộc khi chọn “{field}”.",
        "en": "This field is required when “{field}” is ticked.",
    },
    "invalid_date": {
        "vi": "Ngày không hợp lệ (dd/mm/yyyy).",
        "en": "Invalid date (dd/mm/yyyy).",
    },
    "date_out_of_range": {
        "vi": "Ngày phải nằm trong khoảng {low} – {high}.",
        "en": "The date must be between {low} and {high}.",
    },
    "invalid_integer": {
        "vi": "Vui lòng nhập một số nguyên.",
        "en": "Please enter a whole number.",
    },
    "invalid_number": {
        "vi": "Vui lòng nhập một số (ví dụ 7,5).",
        "en": "Please enter a number (e.g. 7.5).",
    },
    "number_too_large": {
        "vi": "Số quá lớn.",
        "en": "The number is too large.",
    },
    "minimum": {
        "vi": "Giá trị phải lớn hơn hoặc bằng {minimum}.",
        "en": "The value must be at least {minimum}.",
    },
    "maximum": {
        "vi": "Giá trị phải nhỏ hơn hoặc bằng {maximum}.",
        "en": "The value must be at most {maximum}.",
    },
    "too_long": {
        "vi": "Tối đa {max_length} ký tự (đã nhập {length}).",
        "en": "At most {max_length} characters ({length} given).",
    },
    "too_short": {
        "vi": "Tối thiểu {min_length} ký tự.",
        "en": "At least {min_length} characters.",
    },
    "pattern": {
        "vi": "Giá trị không đúng định dạng.",
        "en": "The value does not have the expected format.",
    },
    "single_line": {
        "vi": "Trường này chỉ được nhập trên một dòng.",
        "en": "This field must fit on one line.",
    },
    "invalid_text": {
        "vi": "Văn bản chứa ký tự không hợp lệ.",
        "en": "The text contains invalid characters.",
    },
    "invalid_choice": {
        "vi": "Lựa chọn không hợp lệ.",
        "en": "Not a valid choice.",
    },
    "invalid_boolean": {
        "vi": "Giá trị có/không không hợp lệ.",
        "en": "Not a valid yes/no value.",
    },
    "invalid_value": {
        "vi": "Giá trị không hợp lệ.",
        "en": "Not a valid value.",
    },
    # whole form
    "invalid_submission": {
        "vi": "Dữ liệu gửi lên không hợp lệ.",
        "en": "The submitted data is not valid.",
    },
    "check_failed": {
        "vi": "Không kiểm tra được biểu mẫu; vui lòng thử lại hoặc báo quản trị viên.",
        "en": "The form could not be checked; please try again or tell the administrator.",
    },
    # vote_tally
    "tally_too_few_members": {
        "vi": "Chi bộ chỉ có {counted} đảng viên chính thức được tính, ít hơn {minimum}: "
        "không đủ điều kiện biểu quyết.",
        "en": "A cell with fewer than {minimum} counted official members cannot vote ({counted} counted).",
    },
    "tally_present_exceeds_members": {
        "vi": "Số có mặt ({present}) lớn hơn số thành viên được tính ({counted}).",
        "en": "Present ({present}) is more than the counted members ({counted}).",
    },
    "tally_votes_exceed_present": {
        "vi": "Số đồng ý và không đồng ý ({agree} + {disagree} = {total}) lớn hơn số có mặt ({present}).",
        "en": "Agree plus disagree ({agree} + {disagree} = {total}) is more than those present ({present}).",
    },
    "tally_negative_count": {
        "vi": "Các con số biểu quyết không được âm.",
        "en": "Vote counts cannot be negative.",
    },
    "tally_excluded_exceed_members": {
        "vi": "Số đảng viên sinh hoạt tạm thời nơi khác và miễn sinh hoạt vắng mặt ({excluded}) "
        "lớn hơn số đảng viên chính thức ({official}).",
        "en": "Members attached elsewhere plus exempt absent members ({excluded}) are more than "
        "the official members ({official}).",
    },
    # decision_vote
    "decision_agree_exceeds_members": {
        "vi": "Số đồng ý ({agree}) lớn hơn tổng số thành viên ({members}).",
        "en": "Agree ({agree}) is more than the members ({members}).",
    },
    "decision_below_threshold": {
        "vi": "Cần ít nhất {needed}/{members} thành viên đồng ý ({numerator}/{denominator}) để thông qua; "
        "mới có {agree}.",
        "en": "Approval needs at least {needed} of {members} members in favour "
        "({numerator}/{denominator}); only {agree} agreed.",
    },
    # introducers
    "introducer_not_official": {
        "vi": "Người giới thiệu {ordinal} ({name}) phải là đảng viên chính thức (không phải dự bị).",
        "en": "Introducer {number} ({name}) is not an official member: a probationary member cannot introduce.",
    },
    "introducer_too_few_months": {
        "vi": "Người giới thiệu {ordinal} ({name}) mới cùng học tập/công tác với người xin vào Đảng "
        "{months} tháng, ít hơn {min_months} tháng (chỉ người giới thiệu thay thế được miễn).",
        "en": "Introducer {number} ({name}) has studied or worked with the applicant for {months} "
        "months, fewer than {min_months} months (only a replacement introducer is exempt).",
    },
    "introducers_same_person": {
        "vi": "Hai người giới thiệu phải là hai người khác nhau.",
        "en": "The two introducers must be different people.",
    },
    "introducer_mode_not_youth_union_member": {
        "vi": "Người xin vào Đảng không phải đoàn viên nên không thể dùng nghị quyết giới thiệu "
        "của Ban Chấp hành Đoàn.",
        "en": "The applicant is not a Youth Union member, so the Youth Union resolution cannot "
        "stand for an introducer.",
    },
    # course_certificate
    "certificate_required": {
        "vi": "Học viên đạt yêu cầu (dự ít nhất {min_attendance}% thời gian, bài thu hoạch từ "
        "{pass_score} điểm): phải nhập giấy chứng nhận.",
        "en": "The course was passed (attendance at least {min_attendance} %, essay at least "
        "{pass_score}): the certificate is required.",
    },
    "certificate_forbidden": {
        "vi": "Không cấp giấy chứng nhận cho học viên không đạt yêu cầu khóa học (dự ít nhất {min_attendance}% "
        "thời gian, bài thu hoạch từ {pass_score} điểm).",
        "en": "No certificate for a failed course (attendance at least {min_attendance} %, essay at least "
        "{pass_score}).",
    },
    # ceremony_deadline
    "ceremony_before_decision": {
        "vi": "Ngày lễ kết nạp ({ceremony}) không được trước ngày quyết định ({decision}).",
        "en": "The ceremony ({ceremony}) cannot be before the decision date ({decision}).",
    },
    "ceremony_needs_consent": {
        "vi": "Lễ kết nạp muộn hơn {days} ngày làm việc kể từ ngày quyết định (hạn {deadline}): "
        "phải có văn bản đồng ý của cấp ủy cấp trên.",
        "en": "The ceremony is later than {days} working days after the decision (deadline "
        "{deadline}): the upper committee's consent is required.",
    },
    # not_a_relative
    "verifier_is_applicant": {
        "vi": "Người thẩm tra trùng tên với người xin vào Đảng: người xin vào Đảng không được tự "
        "thẩm tra lý lịch của mình.",
        "en": "The verifier has the applicant's name: the applicant may never verify their own background.",
    },
    "verifier_is_relative": {
        "vi": "Người thẩm tra trùng tên với người thân đã khai ở mục 21 của lý lịch: người xin vào "
        "Đảng và người thân không được làm người thẩm tra.",
        "en": "The verifier has the name of a relative declared in item 21 of the history: the "
        "applicant and their relatives may never be verifiers.",
    },
}

_WORDS = {
    "yes": {"vi": "có", "en": "yes"},
    "no": {"vi": "không", "en": "no"},
}


_VI_ORDINALS = {1: "thứ nhất", 2: "thứ hai", 3: "thứ ba", 4: "thứ tư"}


def ordinal(number: int, lang: str = DEFAULT_LANG) -> str:
    """'thứ nhất', 'thứ hai' … in Vietnamese; the plain number in English ('Introducer 2')."""
    if norm_lang(lang) == "vi":
        return _VI_ORDINALS.get(number, f"thứ {number}")
    return str(number)


def norm_lang(lang: object) -> str:
    return lang if lang in LANGS else DEFAULT_LANG


def message(key: str, lang: str = DEFAULT_LANG, **params: object) -> str:
    texts = MESSAGES[key]
    text = texts.get(norm_lang(lang)) or texts[DEFAULT_LANG]
    return text.format(**params) if params else text


def word(key: str, lang: str = DEFAULT_LANG) -> str:
    return _WORDS[key][norm_lang(lang)]


def fmt_number(value: float, lang: str = DEFAULT_LANG) -> str:
    """7.5 → '7,5' in Vietnamese, '7.5' in English; whole numbers without decimals."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return text.replace(".", ",") if norm_lang(lang) == "vi" else text


def fmt_date(value: date) -> str:
    """Dates are shown dd/mm/yyyy in both languages (the Vietnamese convention)."""
    return value.strftime("%d/%m/%Y") if value.year >= 1000 else value.isoformat()
