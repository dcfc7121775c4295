"""The words of the version comparison: what kind of element changed, and in what (issue 15)."""
from flask_babel import lazy_gettext as _l

ASPECT_LABELS = {
    "kind": _l("loại phần tử"),
    "name": _l("tên"),
    "lane": _l("làn (vai trò làm bước)"),
    "code": _l("mã lệnh (kịch bản, điều kiện, hẹn giờ)"),
    "properties": _l("thuộc tính (biểu mẫu, thời hạn, quy trình được gọi…)"),
    "connections": _l("nối từ/đến"),
    "documentation": _l("ghi chú"),
}
STATUS_LABELS = {"added": _l("thêm mới"), "removed": _l("bị xóa"), "changed": _l("thay đổi")}
KIND_LABELS = {
    "userTask": _l("bước do người làm"),
    "manualTask": _l("bước làm tay"),
    "scriptTask": _l("bước chạy mã"),
    "serviceTask": _l("bước dịch vụ"),
    "task": _l("bước"),
    "callActivity": _l("gọi quy trình con"),
    "subProcess": _l("quy trình con"),
    "exclusiveGateway": _l("cổng rẽ nhánh"),
    "parallelGateway": _l("cổng song song"),
    "inclusiveGateway": _l("cổng bao hàm"),
    "eventBasedGateway": _l("cổng theo sự kiện"),
    "startEvent": _l("sự kiện bắt đầu"),
    "endEvent": _l("sự kiện kết thúc"),
    "intermediateCatchEvent": _l("sự kiện chờ"),
    "intermediateThrowEvent": _l("sự kiện phát"),
    "boundaryEvent": _l("sự kiện biên"),
    "sequenceFlow": _l("luồng"),
    "lane": _l("làn"),
    "laneSet": _l("nhóm làn"),
    "process": _l("quy trình"),
    "participant": _l("bể (pool)"),
    "collaboration": _l("cộng tác"),
    "messageFlow": _l("luồng thông điệp"),
    "textAnnotation": _l("chú thích"),
    "association": _l("liên kết chú thích"),
    "dataObject": _l("đối tượng dữ liệu"),
    "dataObjectReference": _l("tham chiếu dữ liệu"),
    "message": _l("thông điệp"),
    "error": _l("lỗi"),
    "signal": _l("tín hiệu"),
}


def kind_label(kind):
    return KIND_LABELS.get(kind, kind)


def aspects_text(aspects):
    return ", ".join(str(ASPECT_LABELS.get(aspect, aspect)) for aspect in aspects)

