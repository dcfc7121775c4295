"""Issue 10: the auditor's rule-check panel says the facts each rule used in words (which date, which
count and from where), and flags the rule values the case's rule set marks unconfirmed [U]."""
import re

from .helpers import html, visible_text

AUDITOR = "tq.auditor"


def _panel(as_user, case_id):
    page = as_user(AUDITOR).get(f"/cases/{case_id}/history")
    assert page.status_code == 200
    return html(page)


def _row(tree, rule):
    [row] = tree.xpath(f"//table[@data-testid='rule-checks']//tr[@data-rule='{rule}']")
    return " ".join(" ".join(row.itertext()).split())


def test_the_panel_names_the_dates_counts_and_their_source_in_words(as_user, driver, start_case):
    case = start_case()
    driver.run(case.id, until="hold_ceremony")
    tree = _panel(as_user, case.id)
    cell = _row(tree, "cell_vote")
    assert re.search(r"Biểu quyết của chi bộ ngày \d\d/\d\d/\d{4} \(nghị quyết [^)]+\): \d+ tán thành trên \d+ "
                     r"đảng viên chính thức được tính \(\d+ chính thức, theo (sổ đảng viên ngày biểu quyết|biên bản)",
                     cell), cell
    assert re.search(r"cần \d+ \(2/3\)", cell)
    age = _row(tree, "age_at_meeting")
    assert re.search(r"Ngày biểu quyết của chi bộ \d\d/\d\d/\d{4}: \d+ tháng tuổi \(\d+ năm \d+ tháng\)", age), age
    certificate = _row(tree, "certificate_valid")
    assert re.search(r"Giấy chứng nhận bồi dưỡng ngày \d\d/\d\d/\d{4}, hiệu lực 60 tháng", certificate), certificate
    assert re.search(r"Nghị quyết chi bộ ngày \d\d/\d\d/\d{4}; hạn quyết định \d\d/\d\d/\d{4}; quyết định ngày",
                     _row(tree, "decision_deadline"))
    panel = " ".join(tree.xpath("//table[@data-testid='rule-checks']")[0].itertext())
    # No raw keys or ISO dates any more (the old `meeting_date: 2026-08-18 · extended: False`).
    for raw in ("counted:", "vote_date", "extended:", "False", "True", "None"):
        assert raw not in panel
    assert not re.search(r"\d{4}-\d\d-\d\d", panel)


def test_unconfirmed_rule_values_are_flagged_where_they_apply(as_user, driver, start_case):
    case = start_case()
    driver.run(case.id, until="hold_ceremony")
    tree = _panel(as_user, case.id)
    # The standing committee's 2/3 and the day-of-month in age are [U] in both rule sets.
    assert ("Quy định áp dụng chưa xác nhận trong văn bản: tỷ lệ biểu quyết của ban thường vụ"
            in _row(tree, "decision_vote"))
    assert "tính cả ngày trong tháng khi tính tuổi" in _row(tree, "age_at_meeting")
    assert "chưa xác nhận" not in _row(tree, "cell_vote")  # the cell's 2/3 is confirmed [C]


def test_the_panel_speaks_english_through_the_catalogue(as_user, driver, start_case):
    case = start_case()
    driver.run(case.id, until="hold_ceremony")
    auditor = as_user(AUDITOR)
    auditor.get("/lang/en")
    text = visible_text(auditor.get(f"/cases/{case.id}/history"))
    assert "not confirmed in the texts" in text
    assert "counted official members" in text


def test_a_count_recorded_against_the_register_is_flagged_as_an_override_with_both_numbers(
        as_user, driver, start_case):
    # TQ-LN-THPT's register holds 11 official members; the minutes say 3, with a reason.
    reason = "Sổ chưa cập nhật 8 đảng viên chuyển đi theo Quyết định 12-QĐ/ĐU."
    overridden = start_case()
    driver.run(overridden.id, until="hold_ceremony", overrides={"record_cell_vote": {
        "official_members": 3, "present": 3, "agree": 2, "disagree": 1, "count_override_reason": reason}})
    tree = _panel(as_user, overridden.id)
    row = _row(tree, "register_counts")
    assert "Khác sổ, có lý do" in row
    [line] = [" ".join(node.text_content().split()) for node in tree.xpath("//*[@data-testid='register-override']")]
    assert re.fullmatch(r".+ ngày \d\d/\d\d/\d{4}: sổ đảng viên tính 11, biên bản ghi 3 — lý do: " + re.escape(reason),
                        line), line
    assert "khác sổ đảng viên, có lý do" in _row(tree, "cell_vote")

    lawful = start_case(full_name="Trần Thị Bình")
    driver.run(lawful.id, until="hold_ceremony")
    tree = _panel(as_user, lawful.id)
    assert "Đạt" in _row(tree, "register_counts") and not tree.xpath("//*[@data-testid='register-override']")


def test_a_sub_committee_count_against_its_register_is_named_on_the_panel(as_user, driver, start_case):
    reason = "Hai ủy viên mới được chuẩn y, sổ chưa cập nhật."
    case = start_case("TQ-DHTT-SP-SV")
    driver.run(case.id, until="record_committee_vote", overrides={"appraise_subcommittee": {
        "subcommittee_opinion": "support", "subcommittee_members": 7, "subcommittee_agree": 6,
        "subcommittee_count_override_reason": reason}})
    tree = _panel(as_user, case.id)
    [line] = [" ".join(node.text_content().split()) for node in tree.xpath("//*[@data-testid='register-override']")]
    assert re.fullmatch(r"Thẩm định của đảng ủy bộ phận ngày \d\d/\d\d/\d{4}: sổ đảng viên tính 5, biên bản ghi 7 "
                        r"— lý do: " + re.escape(reason), line), line
