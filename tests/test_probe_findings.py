"""Findings of a probe of the running application, each with the test that would have caught it."""

import datetime

import pytest
from django.urls import reverse

from branches import services as unit_services
from supervision.models import Dialogue
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_the_cadre_form_does_not_name_a_member_outside_ones_units(world, login):
    stranger = MemberFactory(branch=world.branch_b1, full_name="Đinh Thị Người Lạ")
    response = login(world.alice).post(
        reverse("cadres:cadre_create"), {"member": stranger.pk, "full_name": "", "unit": world.commune_a1.pk}
    )
    assert response.status_code == 200
    assert "Người Lạ" not in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [{"kind": "year", "year": "1"}, {"span": "year:0001-01-01:0001-12-31"}, {"span": "year:9999-01-01:9999-12-31"},
     {"kind": "custom", "start": "0001-01-01", "end": "9999-12-31"}],
)  # fmt: skip
def test_an_annual_report_for_an_impossible_year_is_not_an_error_page(world, login, query):
    response = login(world.province_admin).get(reverse("reports:annual"), query)
    assert response.status_code in (200, 404)


def test_a_record_dated_year_1_or_9999_is_refused(world, login):
    client = login(world.alice)
    for day in ("0001-01-01", "9999-12-31"):
        response = client.post(
            reverse("supervision:dialogue_create"),
            {"unit": world.commune_a1.pk, "held_on": day, "topic": "Đối thoại", "participants": "10",
             "op-TOTAL_FORMS": "0", "op-INITIAL_FORMS": "0"},
        )  # fmt: skip
        assert response.status_code == 200 and "Nhập ngày từ 20/10/1930" in response.content.decode()
    assert not Dialogue.objects.exists()


def test_a_reorganisation_cannot_be_back_dated_before_the_units_current_state(world):
    unit_services.unit_rename(
        unit=world.commune_a1, name="Xã Tân Ấn Mới", effective_on=datetime.date(2025, 7, 1), actor=None
    )
    for day in (datetime.date(2020, 1, 1), datetime.date(1, 1, 1)):
        with pytest.raises(unit_services.ValidationError):
            unit_services.unit_rename(unit=world.commune_a1, name="Xã Cổ", effective_on=day, actor=None)
    world.commune_a1.refresh_from_db()
    assert world.commune_a1.name == "Xã Tân Ấn Mới"
