"""Screens of supervision, dialogue and case work, one module per kind of record.

Draft reviews, contributions and cases share one list shape (``records``);
supervisions with their recommendations, dialogues, attachments and the
figures have views of their own.
"""

from .attachments import attachment_add, attachment_delete, attachment_download
from .dialogues import dialogue_detail, dialogue_edit, dialogue_list
from .figures import figures
from .recommendations import (
    follow_up_board,
    recommendation_create,
    recommendation_detail,
    recommendation_edit,
    recommendation_list,
    supervision_detail,
)
from .records import record_delete, record_edit, record_list

__all__ = [
    "attachment_add", "attachment_delete", "attachment_download", "dialogue_detail", "dialogue_edit",
    "dialogue_list", "figures", "follow_up_board", "recommendation_create", "recommendation_detail",
    "recommendation_edit", "recommendation_list", "record_delete", "record_edit", "record_list",
    "supervision_detail",
]  # fmt: skip
