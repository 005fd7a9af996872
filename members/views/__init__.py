"""Screens of the member register, one module per part of the work: the register itself, a member's life in the
Union, duplicates, and her personal data."""

from .. import selectors  # noqa: F401  (reached as members.views.selectors by tests that make it fail)
from .duplicates import duplicate_list, duplicate_merge, merge_decide
from .life import (
    member_leave,
    member_rejoin,
    member_transfer,
    member_transfer_out,
    transfer_decide,
    transfer_list,
)
from .personal_data import member_anonymise, member_data
from .register import (
    member_create,
    member_detail,
    member_edit,
    member_export,
    member_list,
    member_lookup,
    member_print,
)

__all__ = [
    "duplicate_list", "duplicate_merge", "member_anonymise", "member_create", "member_data",
    "member_detail", "member_edit", "member_export", "member_print", "member_leave", "member_list", "member_lookup",
    "member_rejoin", "member_transfer", "member_transfer_out", "merge_decide", "transfer_decide", "transfer_list",
]  # fmt: skip
