"""The forms editor creates a new form (issue 17): a name check, a starter schema, a new version as an edit makes."""
import json

import pytest

from .helpers import alerts, events, html, redirect_path, texts
from .helpers import process_versions as _versions


def _create(admin, name, comment="Biểu mẫu mới cho bước duyệt"):
    return admin.post("/admin/forms", {"name": name, "comment": comment})


def _name_errors(response):
    return texts(response, "//*[@data-field='name']//*[contains(@class, 'invalid-feedback')]")


def test_a_new_form_is_created_deployed_and_opens_in_the_editor(as_user):
    admin = as_user("admin")
    assert admin.get("/admin/forms/approve_request").status_code == 404
    before = len(events("process_deployed"))
    created = _create(admin, "approve_request")
    assert redirect_path(created) == "/admin/forms/approve_request"
    page = admin.get("/admin/forms/approve_request")
    assert page.status_code == 200
    assert "Đã tạo biểu mẫu approve_request. Đã triển khai phiên bản 2" in alerts(page)[0]
    schema = json.loads(html(page).xpath("//textarea[@name='schema']/text()")[0])
    assert schema["type"] == "object" and schema["title"] == "approve_request"
    assert list(schema["properties"]) == ["note"]
    version = _versions()[-1]
    assert version.number == 2 and version.active and version.comment == "Biểu mẫu mới cho bước duyệt"
    assert "approve_request.schema.json" in {f.name for f in version.files}
    assert len(events("process_deployed")) == before + 1
    assert "approve_request" in html(admin.get("/admin/forms")).xpath("//*[@data-form]/@data-form")
    # the diagram editor's panel offers it to a user task at once
    editor = admin.get("/admin/processes/edit/admission.bpmn")
    assert "approve_request" in html(editor).xpath("//select[@id='p-form']/option/@value")

    edited = admin.post("/admin/forms/approve_request", {
        "schema": json.dumps({**schema, "properties": {"approved": {"type": "boolean", "title": "Đồng ý"}}}),
        "ui": "", "comment": "Trường đồng ý"})
    assert redirect_path(edited) == "/admin/forms/approve_request"
    assert _versions()[-1].number == 3


@pytest.mark.parametrize("name", ["1form", "duyệt_hồ_sơ", "approve-request", "approve request", "../secret",
                                  "a" * 101, "<script>x</script>"])
def test_a_bad_name_is_refused_under_the_field_and_nothing_is_stored(as_user, name):
    admin = as_user("admin")
    refused = _create(admin, name)
    assert refused.status_code == 422
    assert _name_errors(refused) == ["Tên biểu mẫu bắt đầu bằng chữ cái và chỉ gồm chữ cái không dấu, chữ số và '_' "
                                     "(tối đa 100 ký tự), ví dụ approve_request."]
    assert len(_versions()) == 1
    assert "<script>x</script>" not in refused.get_data(as_text=True).replace('value="&lt;script&gt;', "")


@pytest.mark.parametrize("name", ["hold_ceremony", "Hold_Ceremony"])
def test_a_name_that_clashes_with_a_form_is_refused(as_user, name):
    admin = as_user("admin")
    refused = _create(admin, name)
    assert refused.status_code == 422
    assert _name_errors(refused) == ["Đã có biểu mẫu tên này (không phân biệt chữ hoa, chữ thường): hãy chọn tên khác, "
                                     "hoặc mở biểu mẫu đó để sửa."]
    assert len(_versions()) == 1


def test_a_name_and_a_comment_are_required(as_user):
    admin = as_user("admin")
    refused = _create(admin, "", comment="")
    assert refused.status_code == 422 and _name_errors(refused) == ["Trường này là bắt buộc."]
    assert texts(refused, "//*[@data-field='comment']//*[contains(@class, 'invalid-feedback')]") == [
        "Trường này là bắt buộc."]
    assert len(_versions()) == 1


def test_nobody_but_an_administrator_creates_a_form(as_user):
    secretary = as_user("tq-ln-thpt.cell_secretary")
    assert secretary.get("/admin/forms").status_code == 403
    response = secretary.post("/admin/forms", {"name": "sneaky", "comment": "x"}, token_from="/inbox")
    assert response.status_code == 403
    assert len(_versions()) == 1
