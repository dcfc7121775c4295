"""Step names and lane names in the reader's language.

A step's name is its diagram's `name` (Vietnamese, the source language), stored with each task.
The English UI shows a translation where the catalogue has one: the names of the steps of the
shipped diagrams are listed below so that `pybabel extract` keeps them as msgids. A step a modeller
adds or renames shows its Vietnamese name until its translation is added (docs/modelling.md).
Lanes are named by role ids (`cell_secretary`), which the engine reads: the pages show the role's
label instead, the stored diagram keeps the id.
"""
from flask_babel import get_locale, gettext

from .labels import ROLE_LABELS


def N_(text):  # babel's default marker: extracted as a msgid, translated when shown
    return text


SHIPPED_STEP_NAMES = (  # the user tasks of processes/*.bpmn, for the catalogue
    N_("Ban Thường vụ quyết định công nhận đảng viên chính thức"),
    N_("Ban Thường vụ quyết định kết nạp (9-KNĐ)"),
    N_("Ban Tổ chức thẩm định hồ sơ"),
    N_("Bản tự kiểm điểm của đảng viên dự bị (10-KNĐ)"),
    N_("Chi bộ biểu quyết không đạt: tiếp tục giúp đỡ hay dừng"),
    N_("Chi bộ nhận thông báo không kết nạp"),
    N_("Chi ủy chi bộ cơ sở chứng nhận lý lịch (mục 26, 2-KNĐ)"),
    N_("Chi ủy nhận xét lý lịch (mục 25, 2-KNĐ)"),
    N_("Cấp ủy có thẩm quyền kết luận vấn đề lý lịch"),
    N_("Cử đi học lớp bồi dưỡng nhận thức về Đảng"),
    N_("Ghi kết quả biểu quyết của chi bộ"),
    N_("Ghi kết quả biểu quyết của đảng ủy cơ sở"),
    N_("Ghi kết quả lớp bồi dưỡng nhận thức về Đảng"),
    N_("Ghi kết quả thẩm tra lý lịch"),
    N_("Giới thiệu đoàn viên ưu tú"),
    N_("Biểu quyết công nhận không đạt: biểu quyết lại hay đề nghị xóa tên"),
    N_("Lên lịch họp chi bộ xét kết nạp"),
    N_("Lập lý lịch đảng viên và phiếu đảng viên"),
    N_("Nghị quyết giới thiệu của BCH Đoàn (4-KNĐ)"),
    N_("Nhận xét của chi ủy nơi cư trú"),
    N_("Nhận xét của đảng viên giúp đỡ (11-KNĐ)"),
    N_("Phân công người giới thiệu"),
    N_("Tổ chức lễ kết nạp, phân công đảng viên giúp đỡ"),
    N_("Tổng hợp nhận xét của đoàn thể (5-KNĐ)"),
    N_("Viết giấy giới thiệu (3-KNĐ)"),
    N_("Viết đơn xin vào Đảng và lý lịch"),
    N_("Đưa vào danh sách cảm tình Đảng, phân công đảng viên giúp đỡ"),
    N_("Đảng ủy bộ phận thẩm định (7-KNĐ)"),
    N_("Đảng ủy cơ sở chứng nhận lý lịch (mục 26, 2-KNĐ)"),
    N_("Đảng ủy cơ sở được ủy quyền quyết định công nhận"),
    N_("Đảng ủy cơ sở được ủy quyền quyết định kết nạp"),
)


def _vietnamese():
    return str(get_locale() or "vi") == "vi"


def step_name(label):
    """A stored step name in the reader's language (plain text: the page escapes it).

    A case waiting at several steps stores them joined by "; " (its current step): each is translated.
    """
    if not label or _vietnamese():
        return label or ""
    # gettext without variables: a '%' in a modeller's name is never formatted
    return "; ".join(str(gettext(part)) if part.strip() else part for part in str(label).split("; "))


def diagram_labels():
    """{"lanes": {role id: label}, "steps": {Vietnamese name: translation}} for a diagram view."""
    steps = {} if _vietnamese() else {name: step_name(name) for name in SHIPPED_STEP_NAMES}
    return {"lanes": {role: str(label) for role, label in ROLE_LABELS.items()}, "steps": steps}
