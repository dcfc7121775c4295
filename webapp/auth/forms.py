"""Sign-in and password forms (CSRF from Flask-WTF)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ..services.passwords import MIN_LENGTH as MIN_PASSWORD_LENGTH

# WTForms' own messages are English only: every validator says its message in the catalogue's words.
REQUIRED = _l("Trường này là bắt buộc.")
TOO_LONG = _l("Tối đa %(max)d ký tự.")


class LoginForm(FlaskForm):
    username = StringField(_l("Tên đăng nhập"), validators=[DataRequired(REQUIRED), Length(max=80, message=TOO_LONG)])
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(REQUIRED), Length(max=200, message=TOO_LONG)])


class PasswordForm(FlaskForm):
    current_password = PasswordField(_l("Mật khẩu hiện tại"), validators=[DataRequired(REQUIRED)])
    new_password = PasswordField(_l("Mật khẩu mới"), validators=[
        DataRequired(REQUIRED),
        Length(min=MIN_PASSWORD_LENGTH, message=_l("Mật khẩu mới phải có ít nhất %(min)d ký tự.")),
        Length(max=200, message=TOO_LONG)])
    confirm = PasswordField(_l("Nhập lại mật khẩu mới"), validators=[
        DataRequired(REQUIRED), EqualTo("new_password", message=_l("Hai mật khẩu không khớp."))])


class ActingForm(FlaskForm):
    assignment = SelectField(_l("Vai trò và đơn vị"), coerce=int)
