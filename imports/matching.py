"""Match cleaned rows against the register: who is new, who is already recorded (and what changes), and which
rows cannot be taken (an ID number twice in the file, or held by a member elsewhere)."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import Future

from django.utils.translation import gettext as _

from accounts.scope import Action, scope_paths
from branches.models import Unit
from common.text import fold
from members.models import Member
from members.normalize import likely_id_number
from members.selectors import holders_of

from .analysis import Analysis, Row

COMPARED_FIELDS = (
    "full_name", "date_of_birth", "birth_year", "ethnicity", "religion", "id_number", "phone", "address",
    "education", "qualification", "occupation", "joined_on", "card_number", "is_core", "old_id_number",
)  # fmt: skip


class FileDuplicates:
    """The later of two rows with the same ID (or card) number is refused; the first one stays. Rows come in
    file order, in as many batches as the caller likes: a row's fate depends only on the rows before it."""

    def __init__(self, analysis: Analysis, header):
        self.analysis = analysis
        self.header = header
        self.seen_ids: dict[str, Row] = {}
        self.seen_cards: dict[str, Row] = {}

    def keep(self, rows: list[Row]) -> list[Row]:
        kept = []
        for row in rows:
            id_number = row.data.get("id_number")
            card = row.data.get("card_number")
            if id_number and id_number in self.seen_ids:
                first = self.seen_ids[id_number]
                same = _("same ID number as sheet '%(sheet)s', row %(row)s") % {"sheet": first.sheet, "row": first.row}
                self.analysis.reject(
                    row, "id_number", f"{_('duplicate in file')} ({same})", self.header(row.sheet, "id_number")
                )
                continue
            if card and card in self.seen_cards:
                self.analysis.reject(row, "card_number", _("duplicate in file"), self.header(row.sheet, "card_number"))
                continue
            if id_number:
                self.seen_ids[id_number] = row
            if card:
                self.seen_cards[card] = row
            kept.append(row)
        return kept


# Runs a read of the register for the importer, in the background where the caller can (``NewMembers.lookup``).
Lookup = Callable[..., Future]
# Numbers looked up ahead per query: many short probes beat one long one, and the first batch's come first.
AHEAD = 10_000


class Holders:
    """Who holds ID numbers in the register. The numbers a table holds can be looked up ahead, while the rest of
    the file is read, by a ``lookup`` the caller gives (the writing thread, idle until the first batch); a number
    nobody looked up ahead is looked up when asked for."""

    def __init__(self, lookup: Lookup | None = None):
        self._lookup = lookup
        self._asked: dict[str, Future] = {}  # number -> the look-up that has it
        self._answers: dict[Future, dict[str, dict]] = {}  # a look-up's answers: number -> holder

    def expect(self, cells: Iterable) -> None:
        """Look up ahead, in file order, the numbers these ID cells will most likely be once cleaned."""
        if self._lookup is None:
            return
        numbers = list(dict.fromkeys(likely_id_number(value) for value in cells if value is not None and value != ""))
        numbers = [number for number in numbers if number]
        for start in range(0, len(numbers), AHEAD):
            chunk = numbers[start : start + AHEAD]
            self._asked.update(dict.fromkeys(chunk, self._lookup(holders_of, chunk)))

    def of(self, numbers: Iterable[str]) -> list[dict]:
        found, rest = [], []
        for number in set(numbers):
            future = self._asked.get(number)
            if future is None:
                rest.append(number)
                continue
            if future not in self._answers:
                self._answers[future] = {holder["id_number"]: holder for holder in future.result()}
            if number in self._answers[future]:
                found.append(self._answers[future][number])
        return found + (holders_of(rest) if rest else [])


class Matcher:
    """Sort rows into new, updated and unchanged against the register as it stood when the matcher was made
    (so that members written by an earlier batch of the same file are not "found"); refuse IDs held outside
    the commune."""

    def __init__(self, analysis: Analysis, commune: Unit, actor, header, holders: Holders):
        self.analysis = analysis
        self.holders = holders
        self.commune = commune
        self.actor = actor
        self.header = header
        existing = Member.objects.filter(branch__path__startswith=commune.path).values(
            "id", "branch_id", "status", *COMPARED_FIELDS, "name_folded"
        )
        self.by_id: dict[str, dict] = {}
        self.by_card: dict[str, dict] = {}
        self.by_name: dict[tuple, list[dict]] = defaultdict(list)
        for m in existing:
            if m["id_number"]:
                self.by_id[m["id_number"]] = m
            if m["card_number"]:
                self.by_card[m["card_number"]] = m
            self.by_name[(m["name_folded"], m["birth_year"])].append(m)

    def match(self, rows: list[Row]) -> None:
        analysis = self.analysis
        ids = [r.data["id_number"] for r in rows if r.data.get("id_number")]
        outside = held_outside(ids, self.by_id, self.actor, self.commune, self.holders)
        for row in rows:
            data = row.data
            id_number = data.get("id_number")
            if id_number and id_number in outside:
                analysis.reject(row, "id_number", outside[id_number], self.header(row.sheet, "id_number"))
                continue
            member = self.by_id.get(id_number) if id_number else None
            if member is None and data.get("card_number"):
                member = self.by_card.get(data["card_number"])
            if member is None and not id_number:
                same = self.by_name.get((fold(data["full_name"]), data["birth_year"]), [])
                member = same[0] if len(same) == 1 else None
            if member is None:
                analysis.new.append(row)
                continue
            row.member_id = member["id"]
            row.changes = changes(member, data)
            row.moved = row.branch is not None and member["status"] == "active" and member["branch_id"] != row.branch.pk
            (analysis.updated if row.changes or row.moved else analysis.unchanged).append(row)


def held_outside(ids: list[str], inside: dict, actor, commune: Unit, holders: Holders) -> dict[str, str]:
    """ID numbers of the file held by members outside the commune, with the reason to give."""
    wanted = [i for i in ids if i not in inside]
    reasons: dict[str, str] = {}
    if not wanted:
        return reasons
    paths = scope_paths(actor, Action.VIEW) if actor is not None else None

    def can_see(path: str) -> bool:
        return paths is None or any(path.startswith(prefix) for prefix in paths)

    for holder in holders.of(wanted):
        if holder["branch__path"].startswith(commune.path):
            continue
        if actor is None or can_see(holder["branch__path"]):
            reasons[holder["id_number"]] = _(
                "this ID number is already recorded for %(name)s, a member of %(branch)s (another commune)"
            ) % {"name": holder["full_name"], "branch": holder["branch__name"]}
        else:
            reasons[holder["id_number"]] = _(
                "this ID number is already recorded for a member of another unit; please contact the district union"
            )
    return reasons


def changes(member: dict, data: dict) -> dict:
    found = {}
    for name in COMPARED_FIELDS:
        if name not in data:
            continue
        new, old = data[name], member[name]
        if name == "date_of_birth" and new is None and old is not None and data.get("birth_year") == old.year:
            continue  # the file knows only the year; keep the full date the register has
        if name == "is_core" and new is None:
            continue
        # "" and None are both "not given"; for core membership, False ("no") and None (unknown) differ.
        same = new == old if name == "is_core" else (new or None) == (old or None)
        if not same:
            found[name] = (old, new)
    return found
