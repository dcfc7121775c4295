"""The administrators' forms (CSRF from Flask-WTF); every message in the catalogue's words."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    MultipleFileField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Regexp, ValidationError

from ..models.org import UNIT_KINDS
from ..services.admin_views import FORM_NAME
from ..services.organisation_admin import RULE_SETS
from ..services.passwords import MIN_LENGTH as MIN_PASSWORD_LENGTH

# WTForms' own messages are English only: every validator says its message in the catalogue's words.
REQUIRED = _l("Trường này là bắt buộc.")
TOO_LONG = _l("Tối đa %(max)d ký tự.")
NOT_A_CHOICE = _l("Hãy chọn một giá trị trong danh sách.")
NOT_A_NUMBER = _l("Hãy nhập một số nguyên không âm.")

UNIT_KIND_LABELS = {
    "province": _l("Tỉnh ủy / Thành ủy"), "district": _l("Huyện ủy / Quận ủy"), "commune": _l("Đảng ủy xã / phường"),
    "grassroots_committee": _l("Đảng ủy cơ sở"), "grassroots_cell": _l("Chi bộ cơ sở"),
    "subcommittee": _l("Đảng ủy bộ phận"), "cell": _l("Chi bộ trực thuộc"),
}


def choices(pairs):
    return [SelectChoice(value, label) for value, label in pairs]


def _text(max_length):
    return [DataRequired(REQUIRED), Length(max=max_length, message=TOO_LONG)]


class Choice(SelectField):
    """A select whose refusal of an unlisted value is said in Vietnamese."""

    def pre_validate(self, form):
        if self.data not in {self.coerce(choice.value) for choice in self.choices}:
            raise ValidationError(NOT_A_CHOICE)


class OptionalId(Choice):
    """A select of ids where "" means none (→ None)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, coerce=lambda value: int(value) if str(value or "").isdigit() else None, **kwargs)


class Count(IntegerField):
    def process_formdata(self, valuelist):
        if valuelist:
            raw = (valuelist[0] or "").strip()
            self.data = int(raw) if raw.isdigit() and len(raw) < 7 else None
            if self.data is None:
                raise ValueError(NOT_A_NUMBER)


class UploadForm(FlaskForm):
    files = MultipleFileField(_l("Các tệp của bản triển khai (.bpmn, .dmn, .schema.json, .uischema.json hoặc .zip)"))
    comment = StringField(_l("Ghi chú phiên bản"), validators=[Length(max=500, message=TOO_LONG)])


FORM_NAME_RULE = _l("Tên biểu mẫu bắt đầu bằng chữ cái và chỉ gồm chữ cái không dấu, chữ số và '_' (tối đa 100 "
                    "ký tự), ví dụ approve_request.")
FORM_NAME_TAKEN = _l("Đã có biểu mẫu tên này (không phân biệt chữ hoa, chữ thường): hãy chọn tên khác, hoặc mở biểu "
                     "mẫu đó để sửa.")


class NewFormForm(FlaskForm):
    """A new form: its name (the file becomes <name>.schema.json) and the version's comment."""

    name = StringField(_l("Tên biểu mẫu mới"), validators=[DataRequired(REQUIRED), Regexp(
        FORM_NAME, message=FORM_NAME_RULE)])
    comment = StringField(_l("Ghi chú phiên bản"), validators=_text(500))


class FormSourceForm(FlaskForm):
    schema = TextAreaField(_l("Lược đồ (JSON Schema)"), validators=[DataRequired(REQUIRED),
                                                                     Length(max=200_000, message=TOO_LONG)])
    ui = TextAreaField(_l("Gợi ý hiển thị (UI, JSON)"), validators=[Length(max=200_000, message=TOO_LONG)])
    comment = StringField(_l("Ghi chú phiên bản"), validators=_text(500))


def _unit_choices(rows, *, none_label=None):
    pairs = [("", none_label)] if none_label is not None else []
    return choices(pairs + [(str(row.unit.id), "\u2003" * row.depth + f"{row.unit.name} ({row.unit.code})")
                            for row in rows])


class UnitForm(FlaskForm):
    """Every editable field of a unit, and where it sits in the tree."""

    name = StringField(_l("Tên đơn vị"), validators=_text(200))
    kind = Choice(_l("Loại"), choices=choices((kind, UNIT_KIND_LABELS[kind]) for kind in UNIT_KINDS), default="cell")
    parent_id = OptionalId(_l("Trực thuộc"))
    deciding_unit_id = OptionalId(_l("Cấp ủy quyết định kết nạp"))
    delegated = BooleanField(_l("Được ủy quyền quyết định kết nạp"))
    official_members = Count(_l("Số đảng viên chính thức"), default=0)
    committee_members = Count(_l("Số ủy viên cấp ủy"), default=0)
    rule_set = Choice(_l("Bộ quy định áp dụng"), choices=choices((rules, rules) for rules in RULE_SETS),
                      default=RULE_SETS[-1])

    def set_units(self, rows, *, parent_rows=None, root=False):
        self.deciding_unit_id.choices = _unit_choices(rows, none_label=_l("— tự xác định theo cấp trên —"))
        self.parent_id.choices = (choices([("", _l("— cấp cao nhất —"))]) if root
                                  else _unit_choices(parent_rows if parent_rows is not None else rows))

    def changes(self):
        return {"name": self.name.data.strip(), "kind": self.kind.data, "deciding_unit_id": self.deciding_unit_id.data,
                "delegated": bool(self.delegated.data), "official_members": self.official_members.data,
                "committee_members": self.committee_members.data, "rule_set": self.rule_set.data,
                **({"parent_id": self.parent_id.data} if self.parent_id.data is not None else {})}


class NewUnitForm(UnitForm):
    code = StringField(_l("Mã đơn vị"), validators=_text(40))


class NewUserForm(FlaskForm):
    username = StringField(_l("Tên đăng nhập"), validators=_text(80))
    full_name = StringField(_l("Họ và tên"), validators=_text(120))
    password = PasswordField(_l("Mật khẩu ban đầu"), validators=[
        DataRequired(REQUIRED), Length(min=MIN_PASSWORD_LENGTH, message=_l("Mật khẩu phải có ít nhất %(min)d ký tự.")),
        Length(max=200, message=TOO_LONG)])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("Mật khẩu mới"), validators=[
        DataRequired(REQUIRED), Length(min=MIN_PASSWORD_LENGTH, message=_l("Mật khẩu phải có ít nhất %(min)d ký tự.")),
        Length(max=200, message=TOO_LONG)])


class GrantRoleForm(FlaskForm):
    role = Choice(_l("Vai trò"))
    unit_id = OptionalId(_l("Đơn vị"))

    def set_choices(self, roles, rows):
        self.role.choices = choices(roles)
        self.unit_id.choices = _unit_choices(rows)
