"""Migration reasons and step names in the reader's language (issue 15), including hostile names."""
import re
from pathlib import Path

import pytest
from flask_babel import force_locale

from webapp.pages.migration_reasons import migration_reason
from webapp.pages.step_names import SHIPPED_STEP_NAMES, diagram_labels, step_name


@pytest.mark.parametrize(("what", "vi", "en"), [
    ("removed", "đã bị xóa trong phiên bản mới", "removed in the new version"),
    ("changed: bpmn_name", "đã thay đổi: tên bước", "changed: step name"),
    ("changed: bpmn_name, lane, extensions", "đã thay đổi: tên bước, làn (vai trò làm bước), "
     "thuộc tính mở rộng (biểu mẫu, thời hạn)", "changed: step name, lane (the role doing the step), "
     "extension properties (form, deadline)"),
    ("changed: __class__, <script>", "đã thay đổi: một thuộc tính khác", "changed: another property"),
    ("changed: script, mystery", "đã thay đổi: mã lệnh, một thuộc tính khác", "changed: script, another property"),
    ("the diagram could not be read", "the diagram could not be read", "the diagram could not be read"),
])
def test_migration_reasons_in_words(app, what, vi, en):
    with app.test_request_context():
        with force_locale("vi"):
            assert migration_reason(what) == vi
        with force_locale("en"):
            assert migration_reason(what) == en


def test_step_names_in_english_vietnamese_kept_and_strange_names_untouched(app):
    with app.test_request_context():
        with force_locale("vi"):
            assert step_name("Ghi kết quả biểu quyết của chi bộ") == "Ghi kết quả biểu quyết của chi bộ"
            assert diagram_labels()["steps"] == {} and diagram_labels()["lanes"]["cell_secretary"] == "Bí thư chi bộ"
        with force_locale("en"):
            assert step_name("Ghi kết quả biểu quyết của chi bộ") == "Record the cell's vote"
            assert step_name("Viết giấy giới thiệu (3-KNĐ); Ghi kết quả thẩm tra lý lịch") == (
                "Write the introduction letters (3-KNĐ); Record the background verification")
            assert step_name("Bước mới 50% %(x)s <b>") == "Bước mới 50% %(x)s <b>"  # never formatted
            assert step_name("") == "" and step_name(None) == "" and step_name("a; ; b") == "a; ; b"
            labels = diagram_labels()
            assert labels["lanes"]["cell_secretary"] == "Cell secretary"
            assert set(labels["steps"]) == set(SHIPPED_STEP_NAMES)
            assert all(english != vietnamese for vietnamese, english in labels["steps"].items())


def test_every_shipped_user_task_has_its_name_listed():

    root = Path(__file__).resolve().parents[2] / "processes"
    names = {m for f in root.glob("*.bpmn") for m in re.findall(
        r'<bpmn:userTask id="[^"]*" name="([^"]*)"', f.read_text(encoding="utf-8"))}
    assert names == set(SHIPPED_STEP_NAMES)
