"""Personal data: masked for those who do not keep the register, exports logged, her data given to her and erased."""

import datetime
import json

import pytest
from django.urls import reverse

from accounts.models import DataAccessLog, Role
from members.models import Member
from reports.selectors import annual
from tests.factories import MemberFactory, UserFactory


@pytest.fixture
def member(world):
    return MemberFactory(
        branch=world.branch_a1, full_name="Hoàng Thị Riêng", id_number="024123456742", phone="0912345678",
        address="Thôn Đông", date_of_birth=datetime.date(1980, 5, 6),
    )  # fmt: skip


@pytest.fixture
def reader(world):
    """A district inspector who may read district A but not keep its register."""
    user = UserFactory(username="doc")
    Role.objects.create(user=user, unit=world.district_a, can_enter=False)
    return user


def test_ids_and_phones_are_masked_for_readers_only(world, member, reader, login):
    detail = reverse("members:member_detail", args=[member.pk])
    page = login(reader).get(detail).content.decode()
    assert "0241******42" in page and "0912****78" in page and "024123456742" not in page
    listing = login(reader).get(reverse("members:member_list"), {"cols": ["id_number", "phone"]}).content.decode()
    assert "0241******42" in listing and "0912345678" not in listing
    export = login(reader).get(reverse("members:member_export"), {"format": "csv"})
    body = b"".join(export.streaming_content).decode()
    assert "0241******42" in body and "024123456742" not in body
    # Those who keep her register see her numbers.
    assert "024123456742" in login(world.bob).get(detail).content.decode()
    assert "0912345678" in login(world.alice).get(detail).content.decode()


def test_exports_of_personal_data_are_logged(world, member, login):
    login(world.bob).get(reverse("members:member_export"), {"format": "json", "unit": world.commune_a1.pk})
    entry = DataAccessLog.objects.get()
    assert (entry.user, entry.kind, entry.unit, entry.detail["format"]) == (
        world.bob, "list_export", world.commune_a1, "json",
    )  # fmt: skip


def test_her_data_as_a_file_for_her(world, member, login):
    url = reverse("members:member_data", args=[member.pk])
    response = login(world.alice).get(url)
    data = json.loads(response.content)
    assert response["Content-Disposition"].startswith("attachment")
    assert data["member"]["id_number"] == "024123456742" and data["memberships"][0]["branch"] == "Chi hội Thôn Đông"
    assert DataAccessLog.objects.get().kind == "subject_export"
    assert login(world.charlie).get(url).status_code == 404


def test_erasing_her_data_keeps_the_counts(world, member, login):
    MemberFactory(branch=world.branch_a1)
    before = annual.build(world.province, annual.Span.year(2024))
    url = reverse("members:member_anonymise", args=[member.pk])
    assert login(world.charlie).post(url, {"reason": "x"}).status_code == 404
    refused = login(world.alice).post(url, {"reason": ""})
    assert refused.status_code == 200 and Member.objects.get(pk=member.pk).id_number == "024123456742"
    assert login(world.alice).post(url, {"reason": "Đơn đề nghị ngày 12/03/2026"}).status_code == 302

    erased = Member.objects.get(pk=member.pk)
    assert erased.full_name.endswith("(đã xóa thông tin)") and not erased.id_number and not erased.phone
    assert erased.date_of_birth is None and erased.birth_year == 1980 and erased.branch == world.branch_a1
    for version in erased.history.all():
        assert "Riêng" not in version.full_name and not version.id_number and not version.phone
    after = annual.build(world.province, annual.Span.year(2024))
    for key in ("members.total", "members.new", "members.age:31-45", "members.minority"):
        assert after.figure(key).value == before.figure(key).value
    entry = DataAccessLog.objects.get(kind="anonymised")
    assert (entry.user, entry.member_id, entry.detail["reason"]) == (
        world.alice,
        member.pk,
        "Đơn đề nghị ngày 12/03/2026",
    )
