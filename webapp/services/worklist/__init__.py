"""An approver's worklist around the inbox (issue 15): claims and hand-overs, who has a task open,
"done by me", saved inbox filters. Each public function that changes something is one unit of work.
"""
from .claims import (
    ClaimRefused,
    ClaimView,
    claim_task,
    claim_view,
    claimed_by_another,
    hand_over_task,
    holders_of,
    release_task,
)
from .done import DoneRow, done_by
from .filters import FilterRefused, delete_filter, save_filter, saved_filter, saved_filters
from .late import LateSubmission, late_submission
from .presence import PRESENCE_MINUTES, note_presence, others_with_it_open

__all__ = [
    "PRESENCE_MINUTES", "ClaimRefused", "ClaimView", "DoneRow", "FilterRefused", "LateSubmission", "claim_task",
    "claim_view", "claimed_by_another", "delete_filter", "done_by", "hand_over_task", "holders_of",
    "late_submission", "note_presence", "others_with_it_open", "release_task", "save_filter", "saved_filter",
    "saved_filters",
]
