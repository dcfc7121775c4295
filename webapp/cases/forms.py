"""Registering students: one at a time (cell secretary) or a batch (Youth Union)."""
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from ..rules.ethnicities import ETHNICITIES
from ..rules.statistics import EDUCATION_LEVELS, OCCUPATIONS, RELIGIONS
from ..services.attachments import MAX_BYTES as MAX_ATTACHMENT_BYTES

# WTForms' own messages are English only: every validator says its message in the catalogue's words.
REQUIRED = _l("Trường này là bắt buộc.")
TOO_LONG = _l("Tối đa %(max)d ký tự.")


def _text(max_length):
    return [DataRequired(REQUIRED), Length(max=max_length, message=TOO_LONG)]


SEX_CHOICES = [("F", _l("Nữ")), ("M", _l("Nam"))]


def _in_reader_language(labels):
    """Choices drawn when the page is: each value's label in the reader's language (rules give both)."""
    def choices():
        lang = "en" if str(get_locale() or "vi") == "en" else "vi"
        return [(value, words[lang]) for value, words in labels.items()]
    return choices


# The official lists (rules/); the service refuses anything else with its own message, so the
# fields do not check the choice themselves (WTForms would say it in English).
ETHNICITY_CHOICES = [(name, name) for name in ETHNICITIES]
RELIGION_CHOICES = [(name, name) for name in RELIGIONS]


class StudentForm(FlaskForm):
    full_name = StringField(_l("Họ và tên"), validators=_text(120))
    date_of_birth = DateField(_l("Ngày sinh"), validators=[DataRequired(REQUIRED)])
    sex = SelectField(_l("Giới tính"), choices=SEX_CHOICES)
    citizen_id = StringField(_l("Số CCCD"), validators=[
        DataRequired(REQUIRED), Regexp(r"^\d{12}$", message=_l("Số CCCD gồm 12 chữ số."))])
    ethnicity = SelectField(_l("Dân tộc"), default="Kinh", choices=ETHNICITY_CHOICES, validate_choice=False)
    religion = SelectField(_l("Tôn giáo"), default="Không", choices=RELIGION_CHOICES, validate_choice=False)
    occupation = SelectField(_l("Đối tượng"), choices=_in_reader_language(OCCUPATIONS), validate_choice=False)
    education_level = SelectField(_l("Trình độ học vấn"), choices=_in_reader_language(EDUCATION_LEVELS),
                                  validate_choice=False)
    school = StringField(_l("Trường"), validators=_text(200))
    class_name = StringField(_l("Lớp"), validators=_text(40))
    youth_union_member = BooleanField(_l("Đoàn viên"), default=True)
    readmission = BooleanField(_l("Kết nạp lại (đã từng là đảng viên)"), default=False)


class NominationForm(FlaskForm):
    nomination_number = StringField(_l("Số nghị quyết giới thiệu"), validators=_text(50))
    nomination_date = DateField(_l("Ngày nghị quyết"), validators=[DataRequired(REQUIRED)])


class AttachmentForm(FlaskForm):
    file = FileField(_l("Tệp scan (PDF, JPEG, PNG; tối đa %(mb)d MB)", mb=MAX_ATTACHMENT_BYTES // 2**20),
                     validators=[FileRequired(REQUIRED)])
