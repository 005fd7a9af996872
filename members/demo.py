"""Demo members for the demo province: ~420,000 women with 5–8 years of history, generated here.

Name, age and ethnic-group frequencies are our own tables, shaped like a
northern midland province (Kinh ~88%, then Nùng, Tày, Sán Chay, Sán Dìu, Hoa,
Dao). Each branch gets members in proportion to its women aged 18+, at an
attraction rate between 58% and 85%. Rows go in with COPY on PostgreSQL and
executemany on SQLite: a province-sized register loads in about a minute.
"""

import datetime
import random
from bisect import bisect
from itertools import accumulate

from django.db import connection, transaction
from django.db.models import Max
from django.db.models.functions import Substr
from django.utils import timezone

from branches.constants import Level
from branches.models import Unit, UnitPopulation
from branches.selectors import province_ids
from common.bulk import copy_rows
from common.text import fold

from . import figures
from .constants import EventKind, LeaveReason, Status
from .models import MEMBER_COLUMNS, Member, MemberEvent, Membership, sort_key_for

# (value, weight): weights are per mille, roughly as common in the north.
FAMILY_NAMES = [
    ("Nguyễn", 330), ("Trần", 85), ("Lê", 75), ("Phạm", 60), ("Hoàng", 45), ("Vũ", 40), ("Đỗ", 35),
    ("Ngô", 30), ("Bùi", 30), ("Dương", 25), ("Đặng", 22), ("Lương", 20), ("Đào", 20), ("Trịnh", 18),
    ("Hà", 18), ("Lý", 15), ("Nông", 15), ("Thân", 15), ("Giáp", 12), ("Chu", 10), ("Đinh", 10),
    ("Phan", 10), ("Tạ", 8), ("Lưu", 8), ("Vi", 8), ("Triệu", 8), ("La", 6), ("Mai", 6), ("Lục", 6),
    ("Hứa", 5), ("Tô", 5), ("Cao", 5),
]  # fmt: skip
MIDDLE_NAMES = [
    ("Thị", 560), ("Thị Thu", 45), ("Thị Thanh", 40), ("Thị Hồng", 35), ("Thị Minh", 25), ("Thị Kim", 25),
    ("Thị Ngọc", 25), ("Thị Phương", 20), ("Thị Thúy", 20), ("Thị Bích", 15), ("Thu", 30), ("Thanh", 25),
    ("Ngọc", 25), ("Hồng", 20), ("Minh", 15), ("Phương", 15), ("Thùy", 15), ("Khánh", 10), ("Bảo", 10),
    ("Diệu", 8), ("Mai", 8), ("Hải", 8),
]  # fmt: skip
GIVEN_NAMES = [
    ("Hương", 40), ("Lan", 38), ("Hà", 36), ("Hoa", 35), ("Mai", 34), ("Thảo", 30), ("Hằng", 30), ("Nga", 28),
    ("Trang", 28), ("Huyền", 26), ("Linh", 26), ("Anh", 25), ("Phương", 24), ("Dung", 24), ("Hiền", 22),
    ("Loan", 22), ("Thủy", 22), ("Yến", 20), ("Nhung", 20), ("Hạnh", 20), ("Liên", 18), ("Huệ", 18),
    ("Vân", 18), ("Tuyết", 16), ("Thu", 16), ("Oanh", 15), ("Hồng", 15), ("Ngọc", 15), ("Lý", 14),
    ("Thơm", 14), ("Thắm", 14), ("Hảo", 13), ("Quyên", 12), ("Nhàn", 12), ("Nhung", 12), ("Xuân", 12),
    ("Tâm", 12), ("Hòa", 12), ("Cúc", 11), ("Đào", 11), ("Lụa", 10), ("Sen", 10), ("Tươi", 10), ("Thúy", 10),
    ("Vui", 8), ("Bích", 8), ("Chi", 8), ("Giang", 8), ("Ly", 8), ("Quỳnh", 8), ("My", 6), ("Ngân", 6),
    ("Vy", 5), ("Nhi", 5), ("Uyên", 4),
]  # fmt: skip
ETHNICITIES = [
    ("Kinh", 880), ("Nùng", 46), ("Tày", 26), ("Sán Chay", 15), ("Sán Dìu", 12), ("Hoa", 7), ("Dao", 6),
    ("Mường", 3), ("Thái", 2), ("Mông", 1), ("Cao Lan", 0),
]  # fmt: skip
RELIGIONS = [("", 900), ("Phật giáo", 55), ("Công giáo", 38), ("Tin lành", 5), ("Cao Đài", 2)]
OCCUPATIONS = [
    ("Nông dân", 420), ("Công nhân", 150), ("Buôn bán", 90), ("Nội trợ", 80), ("Lao động tự do", 70),
    ("Cán bộ, công chức", 40), ("Giáo viên", 30), ("Nhân viên văn phòng", 30), ("Hưu trí", 60), ("Y tế", 10),
]  # fmt: skip
EDUCATION = [("12/12", 480), ("9/12", 330), ("7/10", 60), ("5/12", 60), ("10/10", 70)]
QUALIFICATIONS = [("", 700), ("Trung cấp", 110), ("Cao đẳng", 70), ("Đại học", 110), ("Thạc sĩ", 10)]
# Age in 2025 -> weight, for women 18+ who are members: fewer at 18–25, a long tail after 70.
AGE_BANDS = [((18, 25), 70), ((26, 35), 180), ((36, 45), 210), ((46, 55), 200), ((56, 65), 180), ((66, 90), 160)]
MOBILE_PREFIXES = (
    "032 033 034 035 036 037 038 039 086 096 097 098 091 094 088 081 082 083 084 085 070 076 077 078 079 089 090 093"
).split()
HISTORY_START = datetime.date(2018, 1, 1)


class _Picker:
    def __init__(self, rng: random.Random, table):
        self.rng = rng
        self.values = [value for value, _weight in table]
        self.cumulative = list(accumulate(weight for _value, weight in table))

    def __call__(self):
        return self.values[bisect(self.cumulative, self.rng.random() * self.cumulative[-1])]


def _random_day(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    span = (end - start).days
    return start + datetime.timedelta(days=rng.randint(0, max(span, 0)))


def _next_id(model) -> int:
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def _reset_sequence(*models) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))"
            )


class _CitizenIds:
    """CCCD numbers as issued: the 6 digits of province, century and year of birth, then a serial of that
    prefix, following the ones a province already holds (its demo may be loaded in several runs)."""

    def __init__(self, province_code: str):
        held = (
            Member.objects.filter(id_number__startswith=province_code, id_number__regex=r"^[0-9]{12}$")
            .annotate(prefix=Substr("id_number", 1, 6))
            .values("prefix")
            .annotate(last=Max("id_number"))
            .values_list("prefix", "last")
        )
        self.next = {prefix: int(last[6:]) + 1 for prefix, last in held}

    def __call__(self, prefix: str) -> str:
        serial = self.next.get(prefix, 1)
        self.next[prefix] = serial + 1
        return f"{prefix}{serial:06d}"


@transaction.atomic
def build_demo_members(province: Unit, count: int = 420_000, seed: int = 2025, progress=None) -> int:
    """Generate about ``count`` member records under ``province`` (about 8% of them former members)."""
    rng = random.Random(seed)
    today = timezone.localdate()
    branches = list(
        Unit.objects.in_subtree(province).active().filter(level=Level.BRANCH).select_related("parent").order_by("path")
    )
    if not branches or count <= 0:
        return 0
    provinces = province_ids([branch.pk for branch in branches])
    population = dict(
        UnitPopulation.objects.filter(unit__in=branches)
        .order_by("unit_id", "year")
        .values_list("unit_id", "women_18_plus")
    )
    weights = [population.get(b.pk, 200) * rng.uniform(0.58, 0.85) for b in branches]
    scale = count / sum(weights)
    quotas = [round(w * scale) for w in weights]
    quotas[-1] += count - sum(quotas)

    family, middle, given = _Picker(rng, FAMILY_NAMES), _Picker(rng, MIDDLE_NAMES), _Picker(rng, GIVEN_NAMES)
    ethnicity, religion = _Picker(rng, ETHNICITIES[:-1]), _Picker(rng, RELIGIONS)
    occupation, education = _Picker(rng, OCCUPATIONS), _Picker(rng, EDUCATION)
    qualification = _Picker(rng, QUALIFICATIONS)
    age_band = _Picker(rng, AGE_BANDS)
    province_code = (province.code or "99")[-2:].rjust(3, "0")

    cccd = _CitizenIds(province_code)
    member_id, membership_id, event_id = _next_id(Member), _next_id(Membership), _next_id(MemberEvent)
    now = timezone.now()
    if connection.vendor == "sqlite":
        now = now.replace(tzinfo=None)  # the SQLite backend stores naive UTC
    members, memberships, events = [], [], []
    card = 100000
    siblings_by_commune: dict[int, list[Unit]] = {}
    for branch in branches:
        siblings_by_commune.setdefault(branch.parent_id, []).append(branch)

    for branch, quota in zip(branches, quotas, strict=True):
        village = branch.name.removeprefix("Chi hội ").strip()
        for _ in range(quota):
            low, high = age_band()
            age = rng.randint(low, high)
            birth_year = today.year - age
            dob = _random_day(rng, datetime.date(birth_year, 1, 1), datetime.date(birth_year, 12, 28))
            adult = datetime.date(birth_year + 18, dob.month, min(dob.day, 28))
            # Most joined long before the history window; some during it (the newly recruited).
            if rng.random() < 0.22 and adult < today:
                joined = _random_day(rng, max(adult, HISTORY_START), today - datetime.timedelta(days=30))
            else:
                joined = _random_day(rng, adult, min(adult + datetime.timedelta(days=365 * 12), HISTORY_START))
            if joined < adult:
                joined = adult
            name = f"{family()} {middle()} {given()}"
            eth = ethnicity()
            rel = religion()
            occ = "Hưu trí" if age >= 62 and rng.random() < 0.6 else occupation()
            groups = [
                code
                for code, on in (
                    ("worker", occ == "Công nhân"),
                    ("young", age <= 30),
                    ("elderly", age >= 60),
                    ("religious", bool(rel)),
                    ("ethnic", eth != "Kinh"),
                    ("trader", occ == "Buôn bán"),
                )
                if on
            ]
            century = 1 if birth_year < 2000 else 3
            if age >= 55 and rng.random() < 0.06:
                # An old 9-digit CMND, unique by the record's id.
                id_number = f"{10 + member_id // 10_000_000 % 4}{member_id % 10_000_000:07d}"
            else:
                id_number = cccd(f"{province_code}{century}{birth_year % 100:02d}")
            phone = f"{rng.choice(MOBILE_PREFIXES)}{rng.randint(0, 9_999_999):07d}" if rng.random() < 0.86 else ""
            has_card = rng.random() < 0.7
            if has_card:
                card += 1

            status, left_on, reason, current = Status.ACTIVE, None, "", branch
            periods = [(branch, joined, None)]
            history = [(EventKind.JOINED, joined, branch, None, "")]
            roll = rng.random()
            if roll < 0.03 and joined < today - datetime.timedelta(days=400):
                # Transferred to another branch of her commune during the window.
                others = [b for b in siblings_by_commune[branch.parent_id] if b.pk != branch.pk]
                if others:
                    target = rng.choice(others)
                    moved = _random_day(rng, max(joined, HISTORY_START) + datetime.timedelta(days=30), today)
                    periods = [(branch, joined, moved), (target, moved, None)]
                    history.append((EventKind.TRANSFERRED, moved, branch, target, ""))
                    current = target
            elif roll < 0.11 and joined < today - datetime.timedelta(days=200):
                left_on = _random_day(rng, max(joined, HISTORY_START) + datetime.timedelta(days=30), today)
                if age >= 75 and rng.random() < 0.6:
                    status, kind = Status.DECEASED, EventKind.DIED
                elif rng.random() < 0.15:
                    status, kind = Status.TRANSFERRED, EventKind.TRANSFERRED_OUT
                else:
                    status, kind = Status.LEFT, EventKind.LEFT
                    reason = rng.choice(LeaveReason.values)
                periods = [(branch, joined, left_on)]
                history.append((kind, left_on, branch, None, reason))

            record = {
                "id": member_id, "full_name": name, "name_folded": fold(name), "sort_key": sort_key_for(name),
                "date_of_birth": dob if rng.random() < 0.9 else None, "birth_year": birth_year, "ethnicity": eth,
                "religion": rel, "id_number": id_number, "phone": phone, "old_id_number": "", "address": village,
                "education": education(), "qualification": qualification(), "occupation": occ, "joined_on": joined,
                "card_number": f"{card:07d}" if has_card else "",
                "is_core": rng.random() < 0.12 if rng.random() < 0.95 else None,
                "special_groups": f",{','.join(groups)}," if groups else "", "notes": "", "status": status,
                "branch": current.pk, "province": provinces[current.pk], "left_on": left_on, "leave_reason": reason,
                "shares_id": False,  # numbers are issued one a woman (``_CitizenIds``)
                "created_at": now, "updated_at": now,
            }  # fmt: skip
            # By name, in the table's order: a field added to Member fails here, not as a shifted column.
            members.append(tuple(record[column] for column in MEMBER_COLUMNS))
            for unit, start, end in periods:
                memberships.append((membership_id, member_id, unit.pk, start, end))
                membership_id += 1
            for kind, day, unit, other, why in history:
                other_id = other.pk if other else None
                events.append((event_id, member_id, kind, day, unit.pk, other_id, why, "", "{}", now))
                event_id += 1
            member_id += 1
        if len(members) >= 50_000:
            _flush(members, memberships, events)
            if progress:
                progress(member_id)
    _flush(members, memberships, events)
    _reset_sequence(Member, Membership, MemberEvent)
    # Written in bulk, not through member_create: the kept figures of these branches are counted again.
    figures.changed({branch.pk for branch in branches}, None)
    if connection.vendor == "postgresql":
        # Fresh statistics for every table, units included: without them the planner takes the province's
        # 2,700 units for a handful and nests loops over 420,000 members.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    if progress:
        progress(member_id)
    return sum(quotas)


def _flush(members: list, memberships: list, events: list) -> None:
    copy_rows(Member, MEMBER_COLUMNS, members)
    copy_rows(Membership, ["id", "member", "branch", "started_on", "ended_on"], memberships)
    copy_rows(
        MemberEvent,
        ["id", "member", "kind", "occurred_on", "branch", "other_branch", "reason", "note", "detail", "created_at"],
        events,
    )
    members.clear()
    memberships.clear()
    events.clear()
