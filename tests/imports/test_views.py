import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports import services
from imports.models import ImportJob
from members.models import Member
from tests.imports.files import HEADER, member_rows, xlsx


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _upload(client, world, data, name="ds.xlsx", branch=True):
    return client.post(
        reverse("imports:import_list"),
        {
            "file": SimpleUploadedFile(name, data),
            "commune": world.commune_a1.pk,
            "branch": world.branch_a1.pk if branch else "",
        },
    )


def _job(world, user, rows=3):
    return services.job_create(
        upload=SimpleUploadedFile("ds.xlsx", xlsx({"S": [HEADER, *member_rows(rows)]})),
        commune=world.commune_a1,
        branch=world.branch_a1,
        create_branches=False,
        actor=user,
    )


def test_upload_preview_and_commit_in_the_browser(world, login):
    client = login(world.alice)
    rows = member_rows(4)
    rows[2][2] = "31/02/1980"
    response = _upload(client, world, xlsx({"Danh sách": [["DANH SÁCH"], HEADER, *rows]}))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:import_detail", args=[job.pk])

    page = client.get(response["Location"]).content.decode()
    assert 'id="count-new">3<' in page and 'id="count-rejected">1<' in page
    assert "Danh sách" in page and "Ngày sinh" in page and "không có ngày này" in page.lower()
    assert Member.objects.count() == 0

    response = client.post(reverse("imports:import_commit", args=[job.pk]))
    assert response.status_code == 302
    assert Member.objects.filter(branch=world.branch_a1).count() == 3
    page = client.get(reverse("imports:import_detail", args=[job.pk])).content.decode()
    assert "Đã nhập" in page


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00garbage\x00" * 100, b"PK\x03\x04broken", b"<html><table></table></html>"],
    ids=["empty", "binary", "corrupt", "html"],
)
def test_bad_files_get_a_message_and_never_a_500(world, login, data):
    client = login(world.alice)
    response = _upload(client, world, data)
    if response.status_code == 200:  # the form refused it (Django rejects an empty upload)
        assert "is-invalid" in response.content.decode() or "alert" in response.content.decode()
        return
    page = client.get(response["Location"])
    assert page.status_code == 200
    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.FAILED and job.error
    assert job.error in page.content.decode()


def test_each_view_is_scoped_to_the_users_units(world, login):
    job = _job(world, world.alice)
    client = login(world.charlie)
    for name in ("import_detail", "import_progress", "import_rejected"):
        assert client.get(reverse(f"imports:{name}", args=[job.pk])).status_code == 404
    for name in ("import_commit", "import_mapping", "import_cancel"):
        assert client.post(reverse(f"imports:{name}", args=[job.pk])).status_code == 404
    assert job.file_name not in client.get(reverse("imports:import_list")).content.decode()
    assert Member.objects.count() == 0

    bob = login(world.bob)  # district A sees commune A1's imports
    assert bob.get(reverse("imports:import_detail", args=[job.pk])).status_code == 200
    assert job.file_name in bob.get(reverse("imports:import_list")).content.decode()


def test_upload_form_offers_only_ones_communes(world, login):
    client = login(world.alice)
    response = client.post(
        reverse("imports:import_list"),
        {"file": SimpleUploadedFile("ds.xlsx", xlsx({"S": [HEADER]})), "commune": world.commune_b1.pk},
    )
    assert response.status_code == 200 and ImportJob.objects.count() == 0


def test_progress_json_and_rejected_download(world, login):
    job = _job(world, world.alice)
    client = login(world.alice)
    data = client.get(reverse("imports:import_progress", args=[job.pk])).json()
    assert data["state"] == "ready" and data["running"] is False
    response = client.get(reverse("imports:import_rejected", args=[job.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")


def test_mapping_correction_in_the_browser(world, login):
    job = _job(world, world.alice)
    client = login(world.alice)
    columns = {f"col_{c['index']}": c["field"] for c in job.preview["sheets"][0]["columns"]}
    columns["col_5"] = ""  # do not import the phone column
    response = client.post(reverse("imports:import_mapping", args=[job.pk]), {"sheet": "S", **columns})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.overrides == {"S": {k[4:]: v for k, v in columns.items()}}
    assert "phone" not in job.preview["sample"][0]


def test_cancel_asks_nothing_more_and_writes_nothing(world, login):
    job = _job(world, world.alice)
    client = login(world.alice)
    client.post(reverse("imports:import_cancel", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == ImportJob.State.CANCELLED
    client.post(reverse("imports:import_commit", args=[job.pk]))
    assert Member.objects.count() == 0


def test_list_query_count_does_not_grow_with_jobs(world, login, django_assert_max_num_queries):
    for _ in range(5):
        _job(world, world.alice, rows=1)
    client = login(world.alice)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("imports:import_list"))
    assert len(response.context["table"].paginated_rows) == 5
    # each job once as a phone card and once as a table row
    assert response.content.decode().count("ds.xlsx") == 2 * 5
