"""One record of each programme type, written through the services as a cadre would."""

import datetime

from programmes import services

DAY = datetime.date(2024, 3, 1)


def one_of_each(unit, actor, word: str = "", day: datetime.date = DAY) -> dict:
    """A record of every programme type of ``unit``; ``word`` goes into each record's title or name."""
    return {
        "group": services.group_save(
            actor=actor, unit=unit, kind="club", name=f"CLB {word}", founded_on=day, members=20
        ),
        "credit": services.credit_save(
            actor=actor,
            unit=unit,
            source="vbsp",
            as_of=day,
            outstanding=1_500_000_000,
            borrowers=40,
            households=38,
            groups=2,
            savings=50_000_000,
            disbursed=300_000_000,
            new_borrowers=10,
            note=word,
        ),  # fmt: skip
        "award": services.award_save(
            actor=actor,
            unit=unit,
            awarded_on=day,
            kind="merit",
            level="province",
            direction="received",
            recipient_kind="collective",
            recipient=f"Hội LHPN {word}",
            count=1,
        ),  # fmt: skip
        "task": services.task_save(
            actor=actor, unit=unit, kind="key_task", title=f"Nhiệm vụ {word}", registered_on=day, completed_on=day
        ),
        "contest": services.contest_save(
            actor=actor, unit=unit, title=f"Hội thi {word}", held_on=day, participants=30, entries=5
        ),
        "charity": services.charity_save(
            actor=actor,
            unit=unit,
            campaign=f"Tết {word}",
            given_on=day,
            value=10_000_000,
            gifts=20,
            beneficiaries=20,
        ),  # fmt: skip
        "house": services.house_save(
            actor=actor, unit=unit, kind="built", beneficiary=f"Bà {word}", handed_over_on=day, value=60_000_000
        ),
        "child": services.child_save(actor=actor, unit=unit, child=f"Cháu {word}", started_on=day, monthly=500_000),
    }
