"""The refusal of a person already registered: the CCCD masked, and a link to the existing case
for a reader whose scope reaches it (need-to-know); others learn only that it exists elsewhere. A
party member of the register has no case: the sentence alone."""
from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape

from ..services.dossier import mask_citizen_id
from ..services.people_registry import existing_case_for, live_case_of, normalised_citizen_id


def registered_person_text(user_id, citizen_id):
    number = normalised_citizen_id(citizen_id)
    text = _("Số CCCD %(masked)s đã được đăng ký cho một hồ sơ đang mở hoặc một đảng viên: mỗi người chỉ có "
             "một hồ sơ.", masked=mask_citizen_id(number))
    existing = existing_case_for(user_id, number)
    if existing is None and live_case_of(number) is None:
        return text  # a party member of the register: no case to open
    if existing is None:
        return text + " " + _("Hồ sơ đó ở ngoài phạm vi của bạn; hãy liên hệ cấp ủy cấp trên.")
    link = Markup('<a href="{}" data-testid="existing-case">{}</a>').format(
        url_for("cases.detail", instance_id=existing), _("Mở hồ sơ đã có"))
    return Markup("{} {}").format(escape(text), link)
