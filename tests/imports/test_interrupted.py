"""A worker that dies mid-way (killed, server restarted) leaves nothing written, and the job can be run again."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from imports import services
from imports.models import ImportJob
from members.models import Member
from reports.models import Document
from tests.imports.files import HEADER, member_rows, xlsx


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def job(world):
    job = services.job_create(
        upload=SimpleUploadedFile("ds.xlsx", xlsx({"S": [HEADER, *member_rows(4)]})),
        commune=world.commune_a1, branch=world.branch_a1, create_branches=False, actor=world.alice,
    )  # fmt: skip
    job.refresh_from_db()
    assert job.state == ImportJob.State.READY
    return job


def _died(job, minutes_ago: int):
    """What a killed worker leaves: the job marked committing, its transaction rolled back."""
    then = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.COMMITTING, updated_at=then)
    job.refresh_from_db()


def test_an_interrupted_import_is_given_back_and_runs_again(world, job, login):
    _died(job, minutes_ago=5)
    client = login(world.alice)
    progress = client.get(reverse("imports:import_progress", args=[job.pk])).json()
    assert progress["running"] is False and progress["state"] == "ready"
    job.refresh_from_db()
    assert "interrupted" in job.error or "gián đoạn" in job.error
    assert not Member.objects.exists()
    # The commune is free again: the same import runs to the end.
    services.job_request_commit(job=job, actor=world.alice)
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE and Member.objects.count() == 4


def test_a_job_still_working_is_left_alone(world, job):
    _died(job, minutes_ago=0)
    assert services.reclaim_interrupted(job) is False
    assert ImportJob.objects.get(pk=job.pk).state == ImportJob.State.COMMITTING


def test_a_print_that_lost_its_worker_says_so(world, login):
    document = Document.objects.create(unit=world.commune_a1, span="year:2024-01-01:2024-12-31", format="pdf")
    Document.objects.filter(pk=document.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=30))
    page = login(world.alice).get(reverse("reports:document_detail", args=[document.pk]))
    assert page.status_code == 200 and "in lại" in page.content.decode()
    assert Document.objects.get(pk=document.pk).state == "failed"
