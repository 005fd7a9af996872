"""A realistic demo province, generated without any outside data.

10 districts (one provincial city, one town, eight rural districts), about 230
communes and 2,500 branches, women-18+ figures per unit for 2019–2025, and one
demo user per level. Names are made from common Vietnamese place-name syllables.
"""

import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.models import Role

from .constants import Level, UnitType
from .models import Unit, UnitPopulation
from .services import units_bulk_create

SYLLABLES = (
    "An Bình Cẩm Châu Đông Đức Gia Hà Hải Hòa Hồng Hưng Hiệp Kim Lạc Lâm Long Lương Minh Mỹ Nam Ngọc "
    "Nghĩa Phong Phú Phúc Quang Quế Sơn Tân Thanh Thái Thịnh Thuận Tiên Trung Tường Vân Việt Vĩnh Xuân Yên "
    "Bảo Cao Định Hạ Hoàng Khánh Liên Mai Nhân Phương Quảng Thượng Tiến Trù Văn Vũ"
).split()
HAMLET_WORDS = "Đông Tây Nam Bắc Trong Ngoài Chùa Đình Giữa Mới Cầu Đồng Bến Đồi Làng".split()
YEARS = range(2019, 2026)
PROVINCE_CODE = "99"

DEMO_PASSWORD = "hoilhpn-demo-2025"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    full_name: str
    level: str
    title: str


DEMO_LOGINS = (
    DemoLogin("quantri", "Quản trị hệ thống", "system", "Quản trị hệ thống (Django admin)"),
    DemoLogin("tinh", "Nguyễn Thị Hồng", Level.PROVINCE, "Chánh Văn phòng Hội LHPN tỉnh"),
    DemoLogin("huyen", "Trần Thị Mai", Level.DISTRICT, "Phó Chủ tịch Hội LHPN huyện"),
    DemoLogin("xa", "Lê Thị Lan", Level.COMMUNE, "Chủ tịch Hội LHPN xã"),
    DemoLogin("chihoi", "Phạm Thị Hoa", Level.BRANCH, "Chi hội trưởng"),
)


class _Names:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def place(self) -> str:
        while True:
            name = " ".join(self.rng.sample(SYLLABLES, 2))
            if name not in self.used:
                self.used.add(name)
                return name


def _branch_names(rng: random.Random, urban: bool, count: int) -> list[str]:
    if urban:
        return [f"Tổ dân phố số {i}" for i in range(1, count + 1)]
    words = rng.sample(HAMLET_WORDS, min(count, len(HAMLET_WORDS)))
    names = [f"Thôn {w}" for w in words]
    names += [f"Xóm {i}" for i in range(1, count - len(names) + 1)]
    return names[:count]


@transaction.atomic
def build_demo_province(
    seed: int = 2025, *, code: str = PROVINCE_CODE, name: str = "Tỉnh Hà Bắc", parent: Unit | None = None
) -> Unit:
    """A province of about 230 communes and 2,500 branches. ``code`` (two digits, 91–99: codes no real
    province has) keeps the codes of several demo provinces apart, as the scale benchmark loads them under a
    national root (``parent``)."""
    rng = random.Random(seed)
    names = _Names(rng)
    digit = code[-1]
    province = units_bulk_create(
        [Unit(name=name, code=code, level=Level.PROVINCE, unit_type=UnitType.PROVINCE, parent=parent)]
    )[0]

    district_types = [UnitType.PROVINCIAL_CITY, UnitType.TOWN] + [UnitType.RURAL_DISTRICT] * 8
    prefix = {UnitType.PROVINCIAL_CITY: "Thành phố", UnitType.TOWN: "Thị xã", UnitType.RURAL_DISTRICT: "Huyện"}
    districts = units_bulk_create(
        [
            Unit(
                name=f"{prefix[kind]} {names.place()}",
                code=f"{digit}{i:02d}",
                level=Level.DISTRICT,
                unit_type=kind,
                parent=province,
            )
            for i, kind in enumerate(district_types)
        ]
    )

    communes: list[Unit] = []
    code = int(digit) * 10000 + 1
    for district in districts:
        urban = district.unit_type != UnitType.RURAL_DISTRICT
        for i in range(rng.randint(19, 26)):
            if urban:
                kind = UnitType.WARD if i < 12 else UnitType.COMMUNE
            else:
                kind = UnitType.TOWNSHIP if i == 0 else UnitType.COMMUNE
            word = {UnitType.WARD: "Phường", UnitType.TOWNSHIP: "Thị trấn", UnitType.COMMUNE: "Xã"}[kind]
            communes.append(
                Unit(
                    name=f"{word} {names.place()}",
                    code=f"{code:05d}",
                    level=Level.COMMUNE,
                    unit_type=kind,
                    parent=district,
                )
            )
            code += 3
    communes = units_bulk_create(communes)

    branches: list[Unit] = []
    for commune in communes:
        urban = commune.unit_type in (UnitType.WARD, UnitType.TOWNSHIP)
        for name in _branch_names(rng, urban, rng.randint(8, 14)):
            branches.append(Unit(name=f"Chi hội {name}", level=Level.BRANCH, unit_type=UnitType.BRANCH, parent=commune))
    branches = units_bulk_create(branches)

    _populations(rng, province, districts, communes, branches)
    return province


def _populations(rng, province, districts, communes, branches) -> None:
    """Women 18+ per branch, grown about 1% a year; higher levels are the sums of their branches."""
    totals: dict[int, dict[int, int]] = {}
    rows = []
    # The province and the units below it; a national root above has the sums of all its provinces.
    own = {province.pk} | {unit.pk for unit in (*districts, *communes)}
    for branch in branches:
        base = rng.randint(140, 330)
        growth = rng.uniform(0.0, 0.02)
        for offset, year in enumerate(YEARS):
            value = round(base * (1 + growth) ** offset)
            rows.append(UnitPopulation(unit=branch, year=year, women_18_plus=value))
            for ancestor_id in (pk for pk in branch.ancestor_ids if pk in own):
                totals.setdefault(ancestor_id, {}).setdefault(year, 0)
                totals[ancestor_id][year] += value
    for unit_id, by_year in totals.items():
        rows.extend(UnitPopulation(unit_id=unit_id, year=year, women_18_plus=n) for year, n in by_year.items())
    UnitPopulation.objects.bulk_create(rows, batch_size=2000)


@transaction.atomic
def create_demo_users(province: Unit) -> None:
    User = get_user_model()
    district = Unit.objects.filter(parent=province, level=Level.DISTRICT).order_by("code").first()
    commune = Unit.objects.filter(parent=district, level=Level.COMMUNE).order_by("code").first()
    branch = Unit.objects.filter(parent=commune, level=Level.BRANCH).order_by("name").first()
    units = {Level.PROVINCE: province, Level.DISTRICT: district, Level.COMMUNE: commune, Level.BRANCH: branch}
    for login in DEMO_LOGINS:
        first, _sep, last = login.full_name.rpartition(" ")
        user, _created = User.objects.get_or_create(
            username=login.username, defaults={"first_name": first, "last_name": last}
        )
        # Demo passwords are known on purpose; they are set without the strength rules.
        user.set_password(DEMO_PASSWORD)
        user.is_superuser = user.is_staff = login.level == "system"
        user.save()
        if login.level in units:
            Role.objects.update_or_create(
                user=user,
                unit=units[login.level],
                defaults={
                    "title": login.title,
                    "can_enter": True,
                    "can_approve": login.level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE),
                    "can_administer": login.level in (Level.PROVINCE, Level.DISTRICT),
                },
            )


def demo_login_lines() -> list[str]:
    User = get_user_model()
    lines = []
    for login in DEMO_LOGINS:
        user = User.objects.filter(username=login.username).prefetch_related("roles__unit").first()
        if user is None:
            continue
        where = ", ".join(role.unit.name for role in user.roles.all())
        lines.append(f"  {login.username:<8} / {DEMO_PASSWORD}   {login.title}" + (f" — {where}" if where else ""))
    return lines
