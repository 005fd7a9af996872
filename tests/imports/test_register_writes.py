"""An import that moves and corrects members writes them as the register's services do, so the annual report
counts its moves the right way round and its corrected joining dates in the right year."""

import datetime

from django.utils import timezone, translation

from branches.constants import Level, UnitType
from branches.services import unit_create
from imports.pipeline import Importer, commit
from members import services as member_services
from members.constants import EventKind
from members.models import Member, MemberEvent, Membership
from reports.selectors import annual

HEADER = ["STT", "Họ và tên", "Ngày sinh", "Số CCCD", "Ngày vào Hội", "Chi hội"]


def _import(world, rows):
    from tests.imports.files import xlsx

    with translation.override("en"):
        analysis = Importer(commune=world.commune_a1, file_name="ds.xlsx", actor=world.alice).analyse(
            xlsx({"DS": [HEADER, *rows]})
        )
        return analysis, commit(analysis, actor=world.alice)


def _figures(unit, year):
    report = annual.build(unit, annual.Span.year(year))
    return {key: figure.value for key, figure in report.figures.items()}


def test_an_import_that_moves_and_corrects_members_is_counted_like_the_services(world):
    west = unit_create(name="Chi hội Thôn Tây", level=Level.BRANCH, unit_type=UnitType.BRANCH, parent=world.commune_a1)
    today = timezone.localdate()
    this_year = today.year
    mover = member_services.member_create(
        branch=world.branch_a1, full_name="Lê Thị Đi", birth_year=1970, joined_on=datetime.date(2000, 3, 8),
        id_number="024170000001",
    )  # fmt: skip
    corrected = member_services.member_create(
        branch=world.branch_a1, full_name="Lê Thị Sửa", birth_year=1980, joined_on=datetime.date(this_year, 1, 5),
        id_number="024180000002",
    )  # fmt: skip
    before = _figures(world.branch_a1, this_year)
    assert before["members.new"] == 1

    analysis, outcome = _import(
        world,
        [
            [1, "Lê Thị Đi", "1970", "024170000001", "08/03/2000", "Thôn Tây"],
            [2, "Lê Thị Sửa", "1980", "024180000002", f"05/01/{this_year - 1}", "Thôn Đông"],
            [3, "Lê Thị Mới", "1985", "024185000003", f"01/02/{this_year}", "Thôn Tây"],
        ],
    )
    assert (outcome["new"], outcome["updated"]) == (1, 2)

    # The move is the services' move: from the old branch (branch) to the new (other_branch), periods in step.
    event = MemberEvent.objects.get(member=mover, kind=EventKind.TRANSFERRED)
    assert (event.branch_id, event.other_branch_id, event.occurred_on) == (world.branch_a1.pk, west.pk, today)
    periods = list(Membership.objects.filter(member=mover).order_by("started_on").values_list("branch_id", "ended_on"))
    assert periods == [(world.branch_a1.pk, today), (west.pk, None)]
    # The corrected joining date moves her first period and her "joined" event, as member_update does.
    corrected.refresh_from_db()
    assert corrected.joined_on == datetime.date(this_year - 1, 1, 5)
    assert corrected.memberships.get().started_on == corrected.joined_on
    assert corrected.events.get(kind=EventKind.JOINED).occurred_on == corrected.joined_on

    east, western = _figures(world.branch_a1, this_year), _figures(west, this_year)
    assert (east["members.moved_out"], east["members.moved_in"]) == (1, 0)
    assert (western["members.moved_in"], western["members.moved_out"]) == (1, 0)
    assert east["members.new"] == 0 and western["members.new"] == 1
    assert _figures(world.branch_a1, this_year - 1)["members.new"] == 1
    for unit in (world.commune_a1, world.district_a):
        figures = _figures(unit, this_year)
        assert (figures["members.moved_in"], figures["members.moved_out"]) == (0, 0)
        assert figures["members.new"] == 1
        assert figures["members.total"] == Member.objects.in_subtree(unit).count() == 3
