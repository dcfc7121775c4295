"""The stages a case passes and the ways it leaves the funnel: the vocabulary of the reports (issue 11).

Defined once, here. `case_stage` rows (models/stages.py) carry one of these names; the reports
count them and the labels below are what a reader sees. Which step (and which answer of it) reaches
which stage is data too: services/stage_facts.py.

FUNNEL is in the order of the procedure (domain §2): a case that reached a stage has, in the normal
course, reached every stage before it. EXITS are the ways out of the funnel; a case has at most one
exit row per kind (a vote failed twice is one `vote_failed` row, dated the first time).
"""

FUNNEL = (
    "nominated", "sympathiser", "course_attended", "certified", "dossier_complete", "verified",
    "cell_approved", "committee_approved", "decided", "admitted", "recognised",
)

EXITS = (
    "failed_course", "stopped_after_verification", "vote_failed", "rejected", "waiting_18", "closed",
    "transferred",
)

STAGES = FUNNEL + EXITS

LABELS = {
    "nominated": {"vi": "Được Đoàn giới thiệu", "en": "Nominated by the Youth Union"},
    "sympathiser": {"vi": "Vào danh sách cảm tình Đảng", "en": "On the sympathiser list"},
    "course_attended": {"vi": "Đã học lớp nhận thức về Đảng", "en": "Attended the course"},
    "certified": {"vi": "Được cấp giấy chứng nhận", "en": "Certified"},
    "dossier_complete": {"vi": "Hoàn thiện hồ sơ", "en": "Dossier complete"},
    "verified": {"vi": "Đã thẩm tra lý lịch", "en": "Background verified"},
    "cell_approved": {"vi": "Chi bộ biểu quyết đồng ý", "en": "Approved by the cell"},
    "committee_approved": {"vi": "Đảng ủy cơ sở đồng ý", "en": "Approved by the committee"},
    "decided": {"vi": "Có quyết định kết nạp", "en": "Admission decided"},
    "admitted": {"vi": "Đã kết nạp (lễ kết nạp)", "en": "Admitted (ceremony held)"},
    "recognised": {"vi": "Được công nhận đảng viên chính thức", "en": "Recognised as an official member"},
    "failed_course": {"vi": "Không đạt lớp nhận thức", "en": "Failed the course"},
    "stopped_after_verification": {"vi": "Dừng sau thẩm tra", "en": "Stopped after verification"},
    "vote_failed": {"vi": "Biểu quyết không đạt", "en": "Vote failed"},
    "rejected": {"vi": "Không kết nạp", "en": "Not admitted"},
    "waiting_18": {"vi": "Chờ đủ 18 tuổi", "en": "Waiting to turn 18"},
    "closed": {"vi": "Đóng hồ sơ", "en": "Closed"},
    "transferred": {"vi": "Chuyển sinh hoạt", "en": "Transferred"},
}


def stage_label(stage, lang="vi"):
    """The reader's words for `stage` (Vietnamese unless lang is 'en'); ValueError for an unknown stage."""
    if stage not in LABELS:
        raise ValueError(f"unknown stage {stage!r}")
    return LABELS[stage]["en" if lang == "en" else "vi"]
