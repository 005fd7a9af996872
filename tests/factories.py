import datetime

import factory
from django.contrib.auth import get_user_model

from accounts.models import Role
from branches.constants import Level, UnitType
from branches.services import unit_create

_TYPE = {
    Level.PROVINCE: UnitType.PROVINCE,
    Level.DISTRICT: UnitType.RURAL_DISTRICT,
    Level.COMMUNE: UnitType.COMMUNE,
    Level.BRANCH: UnitType.BRANCH,
    Level.GROUP: UnitType.GROUP,
}


class UnitFactory(factory.django.DjangoModelFactory):
    """Units are created through the service, so paths, periods and events are what production has."""

    class Meta:
        model = "branches.Unit"

    name = factory.Sequence(lambda n: f"Đơn vị {n}")
    level = Level.PROVINCE
    parent = None
    code = ""
    valid_from = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        kwargs.setdefault("unit_type", _TYPE[kwargs["level"]])
        return unit_create(**kwargs)


def _free_code(level: str, digits: int):
    """The sequence's next code of ``digits`` digits that no live unit of ``level`` holds: a test's own units
    (the world's province is "91") take codes the sequence comes round to."""
    low, span = 10 ** (digits - 1), 9 * 10 ** (digits - 1)

    def code(n: int) -> str:
        from branches.models import Unit

        taken = set(Unit.objects.filter(level=level, valid_to__isnull=True).values_list("code", flat=True))
        return next(c for i in range(span) if (c := str(low + (n + i) % span)) not in taken)

    return factory.Sequence(code)


class ProvinceFactory(UnitFactory):
    name = factory.Sequence(lambda n: f"Tỉnh Thử {n}")
    code = _free_code(Level.PROVINCE, 2)


class DistrictFactory(UnitFactory):
    name = factory.Sequence(lambda n: f"Huyện Thử {n}")
    level = Level.DISTRICT
    parent = factory.SubFactory(ProvinceFactory)
    code = _free_code(Level.DISTRICT, 3)


class CommuneFactory(UnitFactory):
    name = factory.Sequence(lambda n: f"Xã Thử {n}")
    level = Level.COMMUNE
    parent = factory.SubFactory(DistrictFactory)
    code = _free_code(Level.COMMUNE, 5)


class BranchFactory(UnitFactory):
    name = factory.Sequence(lambda n: f"Chi hội Thôn {n}")
    level = Level.BRANCH
    parent = factory.SubFactory(CommuneFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"canbo{n}")
    first_name = "Nguyễn Thị"
    last_name = factory.Sequence(lambda n: f"Hà{n}")
    password = factory.django.Password("mat-khau-thu-nghiem-1")


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(CommuneFactory)
    can_enter = True


class MemberFactory(factory.django.DjangoModelFactory):
    """Members are registered through ``member_create``, so the joining event and membership period exist."""

    class Meta:
        model = "members.Member"

    full_name = factory.Sequence(lambda n: f"Nguyễn Thị Hội Viên {n}")
    date_of_birth = factory.Sequence(lambda n: datetime.date(1950 + n % 30, 1 + n % 12, 1 + n % 28))
    joined_on = datetime.date(2015, 3, 8)
    branch = factory.SubFactory(BranchFactory)
    id_number = factory.Sequence(lambda n: f"0241{n:08d}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from members.services import member_create

        return member_create(**kwargs)
