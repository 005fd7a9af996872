"""Demo programme records for the demo province, at the scale of the public reports: a few thousand groups,
quarterly credit statements of every commune (about 3.000 tỷ đồng outstanding in the province), the key tasks
and practical actions of every level, contests, charity campaigns, some 80 houses and the sponsored children of
each year, and the awards the province received and gave. Written in bulk: these are not user actions."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from branches.constants import Level
from branches.models import Unit
from branches.records import with_provinces

from .constants import AwardKind, AwardLevel, CreditSource, Direction, GroupKind, HouseKind, Recipient, TaskKind
from .models import Award, Charity, Contest, CreditStatement, Group, House, KeyTask, SponsoredChild

START = datetime.date(2019, 1, 1)
CLUBS = [
    "Sức khỏe sinh sản/KHHGĐ", "Phụ nữ với pháp luật", "Gia đình hạnh phúc", "Phòng, chống bạo lực gia đình",
    "Dân vũ", "Nuôi con khỏe, dạy con ngoan",
]  # fmt: skip
MODELS = ["Làng quê an toàn", "Phụ nữ sinh kế", "Tuyến đường hoa", "Phân loại rác tại nguồn", "Tiết kiệm vì chị em"]
COOPS = ["HTX dịch vụ nông nghiệp", "HTX dệt may", "HTX rau an toàn", "Tổ hợp tác chăn nuôi", "Tổ hợp tác làm nón"]
KEY_TASKS = [
    "Phát triển hội viên mới", "Xây dựng gia đình 5 không 3 sạch", "Hỗ trợ phụ nữ khởi nghiệp",
    "Nâng cao chất lượng sinh hoạt chi hội", "Giám sát thực hiện chính sách đối với phụ nữ",
]  # fmt: skip
ACTIONS = [
    "Gắn biển tuyến đường “Sáng - Xanh - Sạch - Đẹp - An toàn”", "Trao vốn hỗ trợ hội viên nghèo",
    "Xây dựng tủ sách pháp luật", "Trồng cây xanh nơi công cộng", "Tặng quà học sinh nghèo vượt khó",
]  # fmt: skip
CONTESTS = ["Hội thi “Chi hội trưởng giỏi”", "Cuộc thi “Phụ nữ khởi nghiệp”", "Hội thi “Tuyên truyền viên giỏi”"]
CAMPAIGNS = [
    "Xuân đoàn kết - Tết biên cương", "Tết vì người nghèo", "Ủng hộ đồng bào miền Trung bị thiên tai",
    "Áo ấm cho em",
]  # fmt: skip
FAMILY = ["Nguyễn Thị", "Trần Thị", "Lê Thị", "Phạm Thị", "Hoàng Thị", "Vũ Thị", "Đặng Thị", "Bùi Thị"]
GIVEN = ["Lan", "Hoa", "Mai", "Hương", "Hạnh", "Thảo", "Nga", "Yến", "Thu", "Hằng", "Nhung", "Tâm"]


def _day(rng, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randrange(max(1, (end - start).days + 1)))


def _person(rng) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}"


@transaction.atomic
def build_demo_programmes(province: Unit, seed: int = 2025) -> dict[str, int]:
    rng = random.Random(seed)
    today = timezone.localdate()
    units = list(Unit.objects.in_subtree(province).active().filter(level__in=[Level.DISTRICT, Level.COMMUNE]))
    districts = [u for u in units if u.level == Level.DISTRICT]
    communes = [u for u in units if u.level == Level.COMMUNE]
    if not communes:
        return {}
    years = range(START.year, today.year + 1)

    def year_end(year):
        return min(datetime.date(year, 12, 31), today)

    groups, statements, awards, tasks, contests, charity, houses, children = ([] for _ in range(8))
    # Groups: clubs, models and savings groups in every commune, cooperatives here and there.
    for commune in communes:
        for _ in range(rng.randint(2, 5)):
            kind = rng.choices(list(GroupKind), weights=(5, 2, 4, 1, 1, 1))[0]
            founded = _day(rng, datetime.date(2012, 1, 1), today)
            name = {
                GroupKind.CLUB: f"CLB {rng.choice(CLUBS)}", GroupKind.MODEL: f"Mô hình “{rng.choice(MODELS)}”",
                GroupKind.SAVINGS_GROUP: f"Tổ tiết kiệm và vay vốn số {rng.randint(1, 12)}",
            }.get(kind, rng.choice(COOPS))  # fmt: skip
            dissolved = _day(rng, founded, today) if rng.random() < 0.1 else None
            groups.append(
                Group(unit=commune, kind=kind, name=name, founded_on=founded, dissolved_on=dissolved,
                      members=rng.randint(12, 60), field=rng.choice(CLUBS) if kind == GroupKind.CLUB else "")
            )  # fmt: skip
    # Credit: a statement of each source every quarter; balances drift, new loans each quarter.
    for commune in communes:
        sources = [CreditSource.SOCIAL_POLICY_BANK] + rng.sample(
            [CreditSource.OTHER_BANK, CreditSource.MICROFINANCE, CreditSource.EMPLOYMENT_FUND, CreditSource.UNION_FUND],
            rng.randint(0, 2),
        )
        for source in sources:
            balance = rng.randint(2_000, 14_000) * 1_000_000 if source == CreditSource.SOCIAL_POLICY_BANK else (
                rng.randint(100, 1_500) * 1_000_000
            )  # fmt: skip
            for year in years:
                for month in (3, 6, 9, 12):
                    as_of = datetime.date(year, month, 30 if month in (6, 9) else 31)
                    if as_of > today:
                        break
                    balance = max(0, balance + rng.randint(-5, 8) * balance // 100)
                    households = max(1, balance // 45_000_000)
                    statements.append(
                        CreditStatement(
                            unit=commune, source=source, as_of=as_of, outstanding=balance,
                            borrowers=households + rng.randint(0, 5), households=households,
                            groups=max(1, households // 30), savings=balance // 40,
                            disbursed=balance * rng.randint(4, 12) // 100, new_borrowers=rng.randint(2, 25),
                        )
                    )  # fmt: skip
    for year in years:
        end = year_end(year)
        start = datetime.date(year, 1, 10)
        if start > today:
            break
        # Key tasks the province registers with the Central Union, and practical actions at every level.
        for title in KEY_TASKS:
            done = _day(rng, datetime.date(year, 10, 1), end) if end >= datetime.date(year, 10, 1) else None
            tasks.append(KeyTask(unit=province, kind=TaskKind.KEY_TASK, title=f"{title} năm {year}",
                                 registered_on=start, registered_with="Trung ương Hội LHPN Việt Nam",
                                 completed_on=done if rng.random() < 0.95 else None))  # fmt: skip
        for unit, n in (
            [(province, 2)] + [(d, rng.randint(3, 5)) for d in districts] + [(c, rng.randint(2, 3)) for c in communes]
        ):
            for _ in range(n):
                registered = _day(rng, start, min(datetime.date(year, 4, 30), end))
                done = _day(rng, registered, end) if rng.random() < 0.9 else None
                kind = TaskKind.ACTION if rng.random() < 0.6 else TaskKind.WORK_ITEM
                tasks.append(KeyTask(unit=unit, kind=kind, title=rng.choice(ACTIONS), registered_on=registered,
                                     completed_on=done, value=rng.randint(5, 200) * 1_000_000))  # fmt: skip
        # Contests: the province and every district once a year, some communes.
        for unit in [province, *districts, *rng.sample(communes, len(communes) // 10)]:
            contests.append(Contest(unit=unit, title=rng.choice(CONTESTS), held_on=_day(rng, start, end),
                                    participants=rng.randint(20, 300), entries=rng.randint(0, 40)))  # fmt: skip
        # Charity: each commune gives to two or three campaigns a year.
        campaigns = CAMPAIGNS + (["Ủng hộ phòng, chống dịch Covid-19"] if year in (2020, 2021) else [])
        for commune in communes:
            for campaign in rng.sample(campaigns, rng.randint(2, 3)):
                charity.append(Charity(unit=commune, campaign=campaign, given_on=_day(rng, start, end),
                                       value=rng.randint(5, 80) * 1_000_000, gifts=rng.randint(5, 40),
                                       beneficiaries=rng.randint(5, 40)))  # fmt: skip
        # Houses: some eighty a year in the province, each by a commune with the district's help.
        for commune in rng.sample(communes, min(len(communes), 80)):
            houses.append(House(unit=commune, kind=HouseKind.BUILT if rng.random() < 0.7 else HouseKind.REPAIRED,
                                beneficiary=_person(rng), handed_over_on=_day(rng, start, end),
                                value=rng.randint(20, 70) * 1_000_000, beneficiaries=rng.randint(1, 6)))  # fmt: skip
        # Sponsored children: a few new each year, sponsored for three to six years.
        for commune in rng.sample(communes, max(1, len(communes) // 4)):
            began = _day(rng, start, end)
            ended = began + datetime.timedelta(days=365 * rng.randint(3, 6))
            children.append(SponsoredChild(unit=commune, child=f"Cháu {rng.choice(GIVEN)}", sponsor=_person(rng),
                                           birth_year=year - rng.randint(4, 14), started_on=began,
                                           ended_on=ended if ended <= today else None,
                                           monthly=rng.choice((300_000, 500_000, 1_000_000))))  # fmt: skip
        # Awards: the province receives from the centre, gives to its districts and people; districts give too.
        awarded = _day(rng, datetime.date(year, 11, 1), end) if end >= datetime.date(year, 11, 1) else end
        awards.append(Award(unit=province, awarded_on=awarded, kind=AwardKind.FLAG, level=AwardLevel.CENTRAL,
                            direction=Direction.RECEIVED, recipient_kind=Recipient.COLLECTIVE,
                            recipient=province.name, reason="Đơn vị xuất sắc trong phong trào thi đua"))  # fmt: skip
        awards.append(Award(unit=province, awarded_on=awarded, kind=AwardKind.MERIT, level=AwardLevel.PROVINCE,
                            direction=Direction.GIVEN, recipient_kind=Recipient.COLLECTIVE,
                            recipient="Các tập thể có thành tích xuất sắc", count=rng.randint(5, 12)))  # fmt: skip
        awards.append(Award(unit=province, awarded_on=awarded, kind=AwardKind.MERIT, level=AwardLevel.PROVINCE,
                            direction=Direction.GIVEN, recipient_kind=Recipient.INDIVIDUAL,
                            recipient="Các cá nhân có thành tích xuất sắc", count=rng.randint(5, 15)))  # fmt: skip
        for district in districts:
            awards.append(Award(unit=district, awarded_on=awarded, kind=AwardKind.CERTIFICATE,
                                level=AwardLevel.DISTRICT, direction=Direction.GIVEN,
                                recipient_kind=Recipient.INDIVIDUAL, recipient="Hội viên tiêu biểu",
                                count=rng.randint(3, 10)))  # fmt: skip
    written = [
        (Group, groups), (CreditStatement, statements), (Award, awards), (KeyTask, tasks), (Contest, contests),
        (Charity, charity), (House, houses), (SponsoredChild, children),
    ]  # fmt: skip
    for model, rows in written:
        model.objects.bulk_create(with_provinces(rows), batch_size=2000)
    return {
        "groups": len(groups), "credit statements": len(statements), "awards": len(awards), "tasks": len(tasks),
        "contests": len(contests), "charity records": len(charity), "houses": len(houses),
        "sponsored children": len(children),
    }  # fmt: skip
