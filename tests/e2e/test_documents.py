"""Issue 13 in a real browser: the cell secretary opens a case's documents from the case page and
downloads the 1-KNĐ application as .docx and the 6-KNĐ resolution as PDF, both read back."""
from docx import Document
from pypdf import PdfReader


def test_the_secretary_downloads_the_application_and_the_cell_resolution(person, driver, start_case, tmp_path):
    case = start_case("TQ-LN-THPT", full_name="Lò Thị Giấy")
    driver.run(case.id, until="appraise_file")
    secretary = person("tq-ln-thpt.cell_secretary")
    page = secretary.go(f"/cases/{case.id}")
    page.click("[data-testid=documents-link]")
    page.wait_for_load_state()
    assert page.locator("[data-document]").count() >= 10

    with page.expect_download() as download:
        page.click("[data-document=knd01_application] [data-testid=docx]")
    saved = tmp_path / "application.docx"
    download.value.save_as(saved)
    assert download.value.suggested_filename == f"knd01_application-{case.id}.docx"
    text = " ".join(p.text for p in Document(saved).paragraphs)
    assert "ĐƠN XIN VÀO ĐẢNG" in text and "Tôi là: Lò Thị Giấy" in text

    with page.expect_download() as download:
        page.click("[data-document=knd06_cell_resolution] [data-testid=pdf]")
    saved = tmp_path / "resolution.pdf"
    download.value.save_as(saved)
    text = " ".join(p.extract_text() for p in PdfReader(saved).pages)
    assert "NGHỊ QUYẾT" in text and "Lò Thị Giấy" in text and "ĐẢNG CỘNG SẢN VIỆT NAM" in text
