"""Which branch of the commune a name in a file means, and never a guess.

A file names a branch in a column, a sheet name or a section heading, spelled
as its clerk typed it. An exact match (case and the "Chi hội"/"Thôn" prefixes
ignored) wins; an accent-folded match is taken only when exactly one branch of
the commune folds to it. "Thôn Đông" and "Thôn Đồng" fold alike: a file that
writes "Thon Dong" matches neither exactly, so the preview asks.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from branches.constants import Level, UnitType
from branches.models import Unit
from common.text import fold

# "Chi hội", "Chi hội Phụ nữ" and "Thôn" before the name, with or without their accents.
_PREFIX = re.compile(r"^(chi h[ộoô]i(\s+ph[ụu]\s+n[ữu])?\s*:?\s+)?(th[ôo]n\s+)?")


def branch_key(name: str) -> str:
    """ "Chi hội Thôn Đông", "THÔN ĐÔNG" and "Thôn  Đông" are the same branch; "Thôn Đồng" is another."""
    key = " ".join(unicodedata.normalize("NFC", str(name or "")).lower().replace("_", " ").split())
    key = key.strip(" .:-–")
    return _PREFIX.sub("", key, count=1).strip() or key


def folded_key(name: str) -> str:
    return fold(branch_key(name))


def branch_display_name(name: str) -> str:
    cleaned = " ".join(str(name).split()).strip(" .:-–")
    if cleaned.islower() or cleaned.isupper():
        cleaned = " ".join(word[:1].upper() + word[1:].lower() for word in cleaned.split(" "))
    return cleaned if fold(cleaned).startswith("chi hoi") else f"Chi hội {cleaned}"


def commune_branches(commune: Unit) -> dict[str, Unit]:
    """The commune's live branches by ``branch_key``."""
    units = Unit.objects.active().filter(parent=commune, level__in=[Level.BRANCH, Level.GROUP])
    return {branch_key(unit.name): unit for unit in units}


def create_branch(commune: Unit, name: str, actor=None) -> Unit:
    from branches.services import unit_create

    return unit_create(
        name=branch_display_name(name), level=Level.BRANCH, unit_type=UnitType.BRANCH, parent=commune, actor=actor
    )


@dataclass
class Resolution:
    unit: Unit | None = None
    new_key: str = ""  # the exact key of a branch to create
    candidates: list[str] = field(default_factory=list)  # when ambiguous: the names it could be


class BranchResolver:
    """Resolve the names of one file against one commune's branches (and the ones the file will create)."""

    def __init__(self, branches: dict[str, Unit]):
        self.branches = branches
        self.by_fold: dict[str, list[str]] = {}
        for key in branches:
            self.by_fold.setdefault(fold(key), []).append(key)
        self._cache: dict[str, Resolution] = {}
        self.new_names: dict[str, str] = {}  # exact key -> how the file first wrote it

    def prepare(self, names) -> None:
        """Learn the file's own spellings first, so that "Thon Dong" can follow "Thôn Đông" of the same file."""
        for name in names:
            key = branch_key(name)
            if key and key not in self.branches:
                self.new_names.setdefault(key, name)

    def resolve(self, name: str) -> Resolution:
        found = self._cache.get(name)
        if found is None:
            found = self._cache[name] = self._resolve(name)
        return found

    def _resolve(self, name: str) -> Resolution:
        key = branch_key(name)
        if key in self.branches:
            return Resolution(unit=self.branches[key])
        folded = fold(key)
        existing = self.by_fold.get(folded, [])
        spelled = [k for k in self.new_names if fold(k) == folded and k != key]
        if key != folded:
            # Written with its accents and not an existing branch: a branch of its own (to create), unless
            # an existing branch is the same name without accents.
            plain = [k for k in existing if k == folded]
            if len(plain) == 1 and not existing[1:]:
                return Resolution(unit=self.branches[plain[0]])
            if existing and not plain:
                return Resolution(new_key=key)
            if existing:
                return Resolution(candidates=[self.branches[k].name for k in existing])
            return Resolution(new_key=key)
        # Written without accents: it may only stand for one spelling, existing or in the file.
        options = [self.branches[k].name for k in existing] + [branch_display_name(self.new_names[k]) for k in spelled]
        if len(options) == 1:
            if existing:
                return Resolution(unit=self.branches[existing[0]])
            return Resolution(new_key=spelled[0])
        if len(options) > 1:
            return Resolution(candidates=options)
        return Resolution(new_key=key)
