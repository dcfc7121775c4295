"""Registering students: one at a time (cell secretary) or a batch (Youth Union)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from ..services.attachments import MAX_BYTES as MAX_ATTACHMENT_BYTES

# WTForms' own messages are English only: every validator says its message in the catalogue's words.
REQUIRED = _l("Trường này là bắt buộc.")
TOO_LONG = _l("Tối đa %(max)d ký tự.")


def _text(max_length):
    return [DataRequired(REQUIRED), Length(max=max_length, message=TOO_LONG)]


SEX_CHOICES = [("F", _l("Nữ")), ("M", _l("Nam"))]
OCCUPATIONS = [("pupil", _l("Học sinh")), ("university_student", _l("Sinh viên")), ("other", _l("Khác"))]


class StudentForm(FlaskForm):
    full_name = StringField(_l("Họ và tên"), validators=_text(120))
    date_of_birth = DateField(_l("Ngày sinh"), validators=[DataRequired(REQUIRED)])
    sex = SelectField(_l("Giới tính"), choices=SEX_CHOICES)
    citizen_id = StringField(_l("Số CCCD"), validators=[
        DataRequired(REQUIRED), Regexp(r"^\d{12}$", message=_l("Số CCCD gồm 12 chữ số."))])
    ethnicity = StringField(_l("Dân tộc"), default="Kinh", validators=_text(60))
    religion = StringField(_l("Tôn giáo"), default="Không", validators=_text(60))
    occupation = SelectField(_l("Đối tượng"), choices=OCCUPATIONS)
    school = StringField(_l("Trường"), validators=_text(200))
    class_name = StringField(_l("Lớp"), validators=_text(40))
    youth_union_member = BooleanField(_l("Đoàn viên"), default=True)


class NominationForm(FlaskForm):
    nomination_number = StringField(_l("Số nghị quyết giới thiệu"), validators=_text(50))
    nomination_date = DateField(_l("Ngày nghị quyết"), validators=[DataRequired(REQUIRED)])


class AttachmentForm(FlaskForm):
    file = FileField(_l("Tệp scan (PDF, JPEG, PNG; tối đa %(mb)d MB)", mb=MAX_ATTACHMENT_BYTES // 2**20),
                     validators=[FileRequired(REQUIRED)])
