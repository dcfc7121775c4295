"""The notice pages' forms (CSRF from Flask-WTF); the checks themselves are in services/notices.py."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.fields.choices import SelectChoice

DELIVERY_CHOICES = [SelectChoice("off", _l("Không gửi thư")), SelectChoice("each", _l("Mỗi thông báo một thư")),
                    SelectChoice("daily", _l("Một thư tóm tắt mỗi ngày"))]


class NoticeSettingForm(FlaskForm):
    email = StringField(_l("Địa chỉ thư điện tử"))
    delivery = RadioField(_l("Gửi bản sao qua thư điện tử"), choices=DELIVERY_CHOICES, default="off")


class MarkReadForm(FlaskForm):
    """Only the CSRF token: the notice is named in the address."""
