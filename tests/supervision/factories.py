"""Records made through the services, as a cadre would make them."""

import datetime

from supervision import services
from supervision.services import OpinionData

DAY = datetime.date(2024, 3, 1)


def supervision(unit, actor=None, **fields):
    data = {
        "unit": unit,
        "topic": "Thực hiện Luật Bình đẳng giới",
        "legal_basis": "Luật Bình đẳng giới năm 2006",
        "supervised_body": "UBND xã",
        "started_on": DAY,
        "ended_on": DAY,
    }
    data.update(fields)
    return services.supervision_save(actor=actor, **data)


def recommendation(unit=None, actor=None, made_on=DAY, due_days=30, of=None, **fields):
    of = of or supervision(unit, actor, started_on=made_on, ended_on=made_on)
    data = {"addressee": "UBND xã", "content": "Bố trí kinh phí cho hoạt động bình đẳng giới."}
    data.update(fields)
    return services.recommendation_create(
        actor=actor, supervision=of, made_on=made_on, due_on=made_on + datetime.timedelta(days=due_days), **data
    )


def opinion(field="land", outcome="answered", **extra):
    return OpinionData(field=field, content=extra.pop("content", f"Ý kiến về {field}"), outcome=outcome, **extra)


def dialogue(unit, actor=None, opinions=(), held_on=DAY, **fields):
    data = {"unit": unit, "held_on": held_on, "topic": "Đối thoại với phụ nữ về việc làm", "participants": 120}
    data.update(fields)
    return services.dialogue_save(actor=actor, opinions=list(opinions), **data)
