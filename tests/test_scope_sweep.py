"""A sweep over every URL of the project: cadres of other units try to read and write records outside their units.

Records of a commune in district A carry a marker word. Charlie (district B)
and alice (a sibling commune in district A) request
every URL pattern with every id of those records, by GET and by POST, and also
with ``?unit=`` naming A's units: no response may show the marker, none may be a
500, and afterwards A's records are exactly as they were. Every URL that takes
an id must be listed in OWNED below with the record its id names, and for those
the answer must be a 404 (or 405 for a GET on a POST-only action): a new view
with an id that is not listed fails this test, so it cannot slip in unscoped.
"""

import itertools

import pytest

from common.text import fold
from members.models import Member
from tests.sweep import MARKER, OWNED, WORDS, arity, fill, patterns, records_in_district_a


@pytest.fixture
def district_a(world):
    return records_in_district_a(world)


def _snapshot(records) -> dict:
    """What a write would change: each record's fields."""
    from django.forms.models import model_to_dict

    state = {}
    for key, obj in records.items():
        fresh = type(obj).objects.filter(pk=obj.pk).first()
        state[key] = model_to_dict(fresh) if fresh else None
    state["members"] = sorted(Member.objects.values_list("id", "status", "branch_id", "full_name"))
    return state


def _clean(response) -> str:
    if getattr(response, "streaming", False):
        return fold(b"".join(response.streaming_content).decode("utf-8", "replace"))
    return fold(response.content.decode("utf-8", "replace"))


# Who tries, and which of the records she may legitimately reach (her own account, requests she made).
INTRUDERS = {"charlie": set(), "alice": {"transfer", "merge", "user", "role"}}


@pytest.mark.parametrize("intruder", INTRUDERS)
def test_every_url_refuses_records_outside_ones_units(world, district_a, login, intruder):
    urls = list(patterns())
    unlisted = [name for name, route in urls if "int" in arity(route) and name not in OWNED]
    assert not unlisted, f"URLs taking an id without an entry in OWNED: {unlisted}"

    marker = fold(MARKER)
    intruder_client = login(getattr(world, intruder))
    before = _snapshot(district_a)  # after logging in, which touches her last_login
    exempt = INTRUDERS[intruder]
    # The marker commune; for charlie also its district and a sibling commune.
    units = [district_a["commune"].pk] + ([world.district_a.pk, world.commune_a1.pk] if intruder == "charlie" else [])
    ids = sorted({obj.pk for obj in district_a.values()})
    leaks, errors = [], []
    for name, route in urls:
        kinds = arity(route)
        if name in OWNED and not exempt & set(OWNED[name]) and name != "reports:indicator_edit":
            owned = [district_a[key].pk for key in OWNED[name]]
            words = [w for w in WORDS if "str" in kinds] or [None]
            for word in words:
                values = iter(owned)
                path = fill(route, [next(values) if kind == "int" else word for kind in kinds])
                for method in ("get", "post"):
                    response = getattr(intruder_client, method)(path)
                    if response.status_code not in (404, 405):
                        errors.append((method, path, response.status_code))
            continue
        if name in OWNED:
            continue  # her own records: reachable by design
        if "int" in kinds:
            combos = itertools.islice(itertools.product(ids, repeat=kinds.count("int")), 60)
            paths = [fill(route, [next(iter_ids) for _ in kinds]) for combo in combos if (iter_ids := iter(combo))]
        else:
            paths = [fill(route, [])]
        for path in paths:
            for query in ({}, *({"unit": unit} for unit in units)):
                response = intruder_client.get(path, query)
                if response.status_code >= 500:
                    errors.append(("get", path, query, response.status_code))
                elif response.status_code == 200 and marker in _clean(response):
                    leaks.append(("get", path, query))
            response = intruder_client.post(path, {"unit": units[0]})
            if response.status_code >= 500:
                errors.append(("post", path, response.status_code))
    assert not leaks, f"records outside {intruder}'s units shown to her: {leaks}"
    assert not errors, f"not refused with a 404: {errors}"
    assert _snapshot(district_a) == before
