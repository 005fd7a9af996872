"""Commit, re-import, the audit trail, all-or-nothing and the jobs behind the browser."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import translation

from imports import services
from imports.models import ImportJob
from imports.pipeline import Importer, commit
from members.constants import EventKind
from members.models import Member, MemberEvent, Membership
from tests.factories import MemberFactory
from tests.imports.files import HEADER, member_rows, xlsx


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def run(world, data, actor=None, **options):
    options.setdefault("branch", world.branch_a1)
    with translation.override("en"):
        analysis = Importer(commune=world.commune_a1, file_name="ds.xlsx", actor=actor, **options).analyse(data)
        outcome = commit(analysis, actor=actor, note="test import")
    return analysis, outcome


def test_commit_writes_members_periods_events_and_audit_rows(world):
    analysis, outcome = run(world, xlsx({"S": [HEADER, *member_rows(5)]}), actor=world.alice)
    assert outcome["new"] == 5
    members = Member.objects.filter(branch=world.branch_a1)
    assert members.count() == 5
    assert Membership.objects.filter(member__in=members, ended_on__isnull=True).count() == 5
    joined = MemberEvent.objects.filter(member__in=members, kind=EventKind.JOINED)
    assert joined.count() == 5 and set(joined.values_list("actor", flat=True)) == {world.alice.pk}
    history = Member.history.filter(id__in=members.values("id"))
    assert history.count() == 5
    assert set(history.values_list("history_type", "history_change_reason", "history_user")) == {
        ("+", "test import", world.alice.pk)
    }
    member = members.get(id_number="024100000003")
    assert member.name_folded == "pham thi thu" and member.sort_key.startswith("thu ")
    # What the file leaves empty is stored empty (text) or unknown (dates, yes/no), never made up.
    assert (member.address, member.religion, member.card_number, member.is_core, member.left_on) == (
        "",
        "",
        "",
        None,
        None,
    )
    period, event = member.memberships.get(), joined.get(member=member)
    assert (period.branch_id, period.started_on, period.ended_on) == (world.branch_a1.pk, member.joined_on, None)
    assert (event.branch_id, event.occurred_on, event.note) == (world.branch_a1.pk, member.joined_on, "test import")
    assert member.history.get().full_name == member.full_name == "Phạm Thị Thu"


def test_edited_file_updates_matched_members_and_the_audit_shows_it(world):
    run(world, xlsx({"S": [HEADER, *member_rows(3)]}))
    rows = member_rows(3)
    rows[1][5] = "0987654321"  # a new phone for the second woman
    analysis, outcome = run(world, xlsx({"S": [HEADER, *rows]}), actor=world.alice)
    assert (outcome["new"], outcome["updated"], outcome["unchanged"]) == (0, 1, 2)
    member = Member.objects.get(id_number="024100000002")
    assert member.phone == "0987654321"
    last = member.history.first()
    assert (last.history_type, last.history_user, last.phone) == ("~", world.alice, "0987654321")
    assert analysis.updated[0].changes == {"phone": ("0900000002", "0987654321")}


def test_rows_without_an_id_match_by_name_and_year_on_reimport(world):
    rows = [[1, "Đỗ Thị Na", "1970", "Kinh", "", "", "08/03/1995"]]
    run(world, xlsx({"S": [HEADER, *rows]}))
    _, outcome = run(world, xlsx({"S": [HEADER, *rows]}))
    assert (outcome["new"], outcome["unchanged"]) == (0, 1)


def test_a_failure_while_writing_leaves_nothing_behind(world):
    data = xlsx({"S": [HEADER, *member_rows(4)]})
    with (
        mock.patch("members.services.members_bulk_update", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        run(world, data)
    assert Member.objects.count() == 0
    assert Membership.objects.count() == 0 and MemberEvent.objects.count() == 0


def test_an_id_held_in_another_commune_is_refused_without_naming_her_to_outsiders(world):
    MemberFactory(branch=world.branch_b1, id_number="024100000001", full_name="Bí Mật Thị Xa")
    analysis, _ = run(world, xlsx({"S": [HEADER, *member_rows(2)]}), actor=world.alice)
    [problem] = analysis.problems
    assert problem.field == "id_number" and "Bí Mật" not in problem.reason
    assert Member.objects.filter(branch=world.branch_a1).count() == 1


def test_branch_column_unknown_branches_are_refused_unless_created(world):
    header = [*HEADER, "Thôn"]
    rows = [[*row, place] for row, place in zip(member_rows(3), ["Thôn Đông", "Thôn Mới", "thôn mới"], strict=True)]
    data = xlsx({"S": [header, *rows]})
    analysis, outcome = run(world, data, branch=None)
    assert outcome["new"] == 1 and analysis.unknown_branches == {"Chi hội Thôn Mới": 2}
    assert {p.field for p in analysis.problems} == {"branch"}

    analysis, outcome = run(world, data, branch=None, create_branches=True)
    assert outcome["new"] == 2 and outcome["branches_created"] == ["Chi hội Thôn Mới"]
    assert Member.objects.filter(branch__name="Chi hội Thôn Mới", branch__parent=world.commune_a1).count() == 2


def upload(data: bytes, name="ds.xlsx"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_job_preview_then_commit(world):
    job = services.job_create(
        upload=upload(xlsx({"S": [HEADER, *member_rows(3)]})),
        commune=world.commune_a1,
        branch=world.branch_a1,
        create_branches=False,
        actor=world.alice,
    )
    assert job.state == ImportJob.State.READY and job.preview["counts"]["new"] == 3
    assert Member.objects.count() == 0
    services.job_request_commit(job=job, actor=world.alice)
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE and job.outcome["new"] == 3
    assert Member.objects.filter(branch=world.branch_a1).count() == 3


def test_a_second_commit_into_the_same_commune_is_refused_clearly(world):
    jobs = [
        services.job_create(
            upload=upload(xlsx({"S": [HEADER, *member_rows(2, start=n * 10)]})),
            commune=world.commune_a1,
            branch=world.branch_a1,
            create_branches=False,
            actor=world.alice,
        )  # fmt: skip
        for n in (1, 2)
    ]
    ImportJob.objects.filter(pk=jobs[0].pk).update(state=ImportJob.State.COMMITTING)
    with translation.override("en"), pytest.raises(ValidationError, match="Another import into"):
        services.job_request_commit(job=jobs[1], actor=world.alice)
    jobs[1].refresh_from_db()
    assert jobs[1].state == ImportJob.State.READY


def test_job_outside_ones_units_is_refused(world):
    with pytest.raises(ValidationError):
        services.job_create(
            upload=upload(b"x;y"), commune=world.commune_b1, branch=None, create_branches=False, actor=world.alice
        )


def work_off_the_queue():
    """Run the real worker once over the queue (its connection housekeeping would close the test's connection)."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_big_files_go_to_the_worker_and_report_progress(world, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_INLINE_MAX_BYTES = 0
    with django_capture_on_commit_callbacks(execute=True):
        job = services.job_create(
            upload=upload(xlsx({"S": [HEADER, *member_rows(30)]})),
            commune=world.commune_a1, branch=world.branch_a1, create_branches=False, actor=world.alice,
        )  # fmt: skip
    job.refresh_from_db()
    assert job.state == ImportJob.State.QUEUED
    assert services.job_progress(job)["running"] is True
    work_off_the_queue()
    job.refresh_from_db()
    assert job.state == ImportJob.State.READY and job.preview["counts"]["new"] == 30

    with django_capture_on_commit_callbacks(execute=True):
        services.job_request_commit(job=job, actor=world.alice)
    work_off_the_queue()
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE and Member.objects.count() == 30
    assert job.finished_at.date() <= datetime.date.today() + datetime.timedelta(days=1)


def test_saved_mapping_is_reused_for_files_of_the_same_shape(world):
    header = ["STT", "Họ và tên", "Ngày sinh", "Cột lạ", "Ngày vào Hội"]
    rows = [[1, "Lê Thị Hà", "01/01/1970", "0912345678", "08/03/1995"]]
    data = xlsx({"S": [header, *rows]})
    job = services.job_create(
        upload=upload(data), commune=world.commune_a1, branch=world.branch_a1, create_branches=False, actor=world.alice
    )
    assert "phone" not in job.preview["sample"][0]
    services.job_set_mapping(
        job=job, sheet="S", columns={0: "seq", 1: "full_name", 2: "date_of_birth", 3: "phone", 4: "joined_on"},
        save=True, actor=world.alice,
    )  # fmt: skip
    job.refresh_from_db()
    assert job.preview["sample"][0]["phone"] == "0912345678"

    second = services.job_create(
        upload=upload(data), commune=world.commune_a1, branch=world.branch_a1, create_branches=False, actor=world.alice
    )
    assert second.preview["sample"][0]["phone"] == "0912345678"


def test_rejected_rows_file_has_the_original_rows_and_reasons(world):
    import io

    import openpyxl

    rows = member_rows(2)
    rows[0][2] = "31/02/1980"
    job = services.job_create(
        upload=upload(xlsx({"S": [HEADER, *rows]})),
        commune=world.commune_a1, branch=world.branch_a1, create_branches=False, actor=world.alice,
    )  # fmt: skip
    book = openpyxl.load_workbook(io.BytesIO(services.rejected_workbook(job.preview)))
    sheet = book.worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][: len(HEADER)] == tuple(HEADER)
    assert values[1][2] == "31/02/1980" and values[1][-2] == 2 and "Ngày sinh" in values[1][-1]
