"""Demo cadres, trainings and classifications for the demo province (terms 2021–2026 and 2026–2031)."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from branches.constants import Level
from branches.models import Unit
from branches.records import with_provinces

from .models import Cadre, Classification, Degree, Grade, Position, Term, Theory, Training

FAMILY = "Nguyễn Trần Lê Phạm Hoàng Vũ Đặng Bùi Đỗ Ngô".split()
GIVEN = "Hoa Lan Hương Mai Thủy Hằng Nhung Trang Yến Loan Tuyết Phương Hà".split()


@transaction.atomic
def build_demo_cadres(province: Unit, seed: int = 2025) -> dict[str, int]:
    rng = random.Random(seed)
    today = timezone.localdate()
    units = list(
        Unit.objects.in_subtree(province)
        .active()
        .filter(level__in=[Level.PROVINCE, Level.DISTRICT, Level.COMMUNE, Level.BRANCH])
    )
    terms = list(Term.objects.filter(start_year__in=[2021, 2026]))

    def name():
        return f"{rng.choice(FAMILY)} Thị {rng.choice(GIVEN)}"

    cadres = []
    for term in terms:
        for unit in units:
            if unit.level == Level.BRANCH:
                posts = [Position.BRANCH_HEAD] + ([Position.BRANCH_DEPUTY] if rng.random() < 0.6 else [])
            else:
                posts = [Position.CHAIR, Position.VICE_CHAIR] + [Position.STANDING] * (
                    2 if unit.level != Level.COMMUNE else 1
                )
            for post in posts:
                leader = post in (Position.CHAIR, Position.VICE_CHAIR)
                cadres.append(
                    Cadre(
                        unit=unit,
                        term=term,
                        full_name=name(),
                        position=post,
                        full_time=leader and unit.level != Level.BRANCH,
                        meets_standard=rng.random() < (0.99 if post == Position.CHAIR else 0.74 if leader else 0.6),
                        degree=rng.choices([Degree.UNIVERSITY, Degree.COLLEGE, Degree.NONE], weights=(80, 12, 8))[0]
                        if leader
                        else rng.choice([Degree.NONE, Degree.COLLEGE, Degree.UNIVERSITY]),
                        political_theory=rng.choice([Theory.ELEMENTARY, Theory.INTERMEDIATE, Theory.NONE]),
                        started_on=datetime.date(term.start_year, 7, 1),
                    )
                )
    Cadre.objects.bulk_create(with_provinces(cadres), batch_size=2000)
    trainings = []
    organisers = [u for u in units if u.level in (Level.PROVINCE, Level.DISTRICT)]
    for year in range(2021, today.year + 1):
        for unit in organisers:
            for _ in range(2):
                start = datetime.date(year, rng.randint(2, 11), rng.randint(1, 28))
                trainings.append(
                    Training(
                        unit=unit,
                        topic=rng.choice(
                            [
                                "Bồi dưỡng nghiệp vụ công tác Hội",
                                "Tập huấn kỹ năng giám sát, phản biện",
                                "Tập huấn chuyển đổi số cho cán bộ Hội",
                            ]
                        ),
                        started_on=min(start, today),
                        ended_on=min(start + datetime.timedelta(days=2), today),
                        participants=rng.randint(40, 150),
                    )
                )
    Training.objects.bulk_create(with_provinces(trainings))
    # Each course trains some commune leaders and branch heads of the organiser's subtree in post that year.
    by_path = sorted(
        (c for c in cadres if c.position in (Position.CHAIR, Position.VICE_CHAIR, Position.BRANCH_HEAD)
         and c.unit.level in (Level.COMMUNE, Level.BRANCH)),
        key=lambda c: c.unit.path,
    )  # fmt: skip
    links = []
    for training in trainings:
        year = training.started_on.year
        pool = [
            c for c in by_path
            if c.unit.path.startswith(training.unit.path) and c.term.start_year <= year <= c.term.end_year
        ]  # fmt: skip
        for cadre in rng.sample(pool, min(len(pool), rng.randint(10, 30))):
            links.append(Training.cadres.through(training_id=training.pk, cadre_id=cadre.pk))
    Training.cadres.through.objects.bulk_create(links, batch_size=5000)
    grades = []
    for year in range(2019, today.year):
        for unit in units:
            if unit.level in (Level.COMMUNE, Level.BRANCH):
                grade = rng.choices(list(Grade), weights=(12, 55, 30, 3))[0]
                grades.append(Classification(unit=unit, year=year, grade=grade))
    Classification.objects.bulk_create(with_provinces(grades), batch_size=5000)
    return {"cadres": len(cadres), "trainings": len(trainings), "classifications": len(grades)}
