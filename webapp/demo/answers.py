"""Plausible answers for every form: what a diligent unit would record, dated `day`.

Branch tests override single fields (a failed vote, a rejection, a problem in the background).
"""
from datetime import timedelta

#: The demo's Youth Union nominated its students this long before the case is opened: the recorded
#: day the applicant is in the unit (services/register_choices.applicant_in_unit_since), so the
#: introducers chosen from the register have their 12 months together.
NOMINATED_DAYS_BEFORE = 400


def answers_for(form_name, day, data=None):
    d = day.isoformat()
    data = data or {}
    nominated = (day - timedelta(days=NOMINATED_DAYS_BEFORE)).isoformat()
    catalogue = {
        "nominate_student": {"nomination_number": "12-NQ/ĐTN", "nomination_date": nominated,
                             "youth_union_member": True, "achievements": "Học sinh giỏi 3 năm liền"},
        "add_to_sympathiser_list": {"sympathiser_resolution_number": "05-NQ/CB", "sympathiser_resolution_date": d},
        "enroll_in_course": {"course_name": "Lớp bồi dưỡng nhận thức về Đảng khóa 1", "course_start_date": d},
        "record_course_result": {"course_attended": True, "attendance_percent": 95, "essay_score": 8.5,
                                 "resit_taken": False, "certificate_number": "GCN-2026-001", "certificate_date": d},
        "write_application": {"application_date": d, "history_date": d, "family_has_party_member": False,
                              "relatives": "Trần Văn Cha\nLê Thị Mẹ", "hometown_place": "Đảng ủy xã Quê Hương",
                              "residence_place": "Đảng ủy phường Nơi Ở"},
        "record_verification": {"verifier_name": "Phạm Thẩm Tra", "verification_document_number": "20-CV/ĐU",
                                "verification_date": d, "verification_finding": "clear"},
        "conclude_verification_finding": {"finding_conclusion": "resume", "finding_conclusion_number": "08-KL/BTV",
                                          "finding_conclusion_date": d,
                                          "finding_conclusion_text": "Đã làm rõ, không ảnh hưởng tiêu chuẩn."},
        "comment_on_history": {"history_comment_date": d,
                               "history_comment": "Lý lịch khai đúng, khớp kết quả thẩm tra ở các nơi."},
        "certify_history": {"history_certification": "eligible", "history_certification_date": d},
        # The members (introducers, helpers) and the vote counts come from the register (driver.py).
        "assign_introducers": {"introduction_mode": "youth_union_and_member"},
        "issue_youth_union_resolution": {"youth_union_resolution_number": "07-NQ/ĐTN",
                                         "youth_union_resolution_date": d},
        "write_introduction_letters": {"introduction_letter_date": d,
                                       "introduction_comment": "Có lập trường tư tưởng vững vàng."},
        "write_residence_comment": {"residence_comment_date": d, "residence_comment": "Chấp hành tốt nơi cư trú."},
        "summarise_comments": {"organisation_comments_date": d, "organisation_comments": "Đoàn và lớp nhất trí."},
        "plan_cell_meeting": {"meeting_date": d},
        "record_cell_vote": {"vote_date": d, "official_members": 9, "temporarily_attached": 0, "exempt_absent": 0,
                             "present": 9, "agree": 9, "disagree": 0, "resolution_number": "15-NQ/CB",
                             "resolution_date": d},
        "reconsider_after_failed_vote": {"reconsider_decision": "reconsider",
                                         "reconsider_reason": "Tiếp tục bồi dưỡng, xét lại sau 3 tháng."},
        "appraise_subcommittee": {"subcommittee_report_number": "03-BC/ĐUBP", "subcommittee_report_date": d,
                                  "subcommittee_opinion": "support"},
        "record_committee_vote": {"committee_vote_date": d, "committee_members": 7, "committee_present": 7,
                                  "committee_agree": 7, "committee_disagree": 0,
                                  "committee_resolution_number": "21-NQ/ĐU", "committee_resolution_date": d},
        "appraise_file": {"appraisal_number": "45-TĐ/BTC", "appraisal_date": d,
                          "appraisal_opinion": "recommend_admit", "request_extension": False},
        "decide_admission": {"decision": "admit", "decision_members": 9, "decision_agree": 9,
                             "decision_number": "123-QĐ/ĐU", "decision_date": d},
        "acknowledge_rejection": {"notified_date": d, "acknowledgement_note": "Chi bộ đã nhận thông báo."},
        "hold_ceremony": {"ceremony_date": d},
        "record_member_file": {"member_history_date": d, "member_card_record_date": d},
        "write_self_review": {"self_review_date": d, "new_member_certificate_number": "ĐVM-2027-010",
                              "self_review": "Hoàn thành tốt nhiệm vụ."},
        "comment_on_probation": {"helper_comment_date": d, "helper_comment": "Đủ tư cách đảng viên chính thức."},
        "review_failed_recognition_vote": {"next_step": "revote", "review_reason": "Biểu quyết lại tháng sau."},
        "decide_recognition": {"recognition_decision": "recognise", "recognition_members": 9,
                               "recognition_agree": 9, "recognition_decision_number": "201-QĐ/ĐU",
                               "recognition_decision_date": d},
    }
    return dict(catalogue.get(form_name, {}))
