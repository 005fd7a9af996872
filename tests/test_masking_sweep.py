"""Masking sweep: a view-only user never gets a member's ID or phone number in full, whatever she asks for.

Like the scope sweep: every URL pattern of the project, with the ids of district
A's records, as HTML, JSON, csv, xlsx and PDF, is read by a district inspector
who may view district A but not keep its register. Marker numbers of members
(and of rows of an import) must not appear whole in any answer or file.
"""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from accounts.models import Role
from branches.models import Unit
from imports import services as import_services
from members.tables import OPTIONAL as COLUMNS
from tests.factories import MemberFactory, UserFactory
from tests.sweep import OWNED, arity, fill, patterns, records_in_district_a

CCCD, PHONE, CMND = "001187654321", "0987654329", "123456789"
# Numbers that only an import's preview and rejects file hold: a new member and a rejected row.
NEW_CCCD, NEW_PHONE, BAD_CCCD, BAD_PHONE = "001180112233", "0977112233", "001181445566", "0966445566"
MARKERS = [CCCD, PHONE, CMND, NEW_CCCD, NEW_PHONE, BAD_CCCD, BAD_PHONE]
QUERIES = [{}, {"format": "csv"}, {"format": "xlsx"}, {"format": "json"}, {"format": "pdf"}]


def _text(response) -> str:
    """What a person could read in the answer: the page, or the text inside the file."""
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    if body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    if body.startswith(b"%PDF"):
        try:
            return "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
        except PdfReadError:  # an uploaded attachment that only looks like a PDF
            return body.decode("latin-1")
    return body.decode("utf-8", "replace")


@pytest.fixture
def exposed(world):
    records = records_in_district_a(world)
    branch = Unit.objects.get(parent=records["commune"])
    member = MemberFactory(branch=branch, full_name="Phạm Thị Lộ", id_number=CCCD, phone=PHONE, old_id_number=CMND)
    # The same CCCD typed into a record of another commune: a suspected duplicate.
    twin = MemberFactory(branch=world.branch_a2, full_name="Phạm Thị Lộ", id_number="001187654000")
    twin.id_number = CCCD
    twin.save(update_fields=["id_number"])
    csv = (
        "Họ và tên,Năm sinh,Số CCCD,Điện thoại,Ngày vào Hội\n"
        f"Lê Thị Mới,1980,{NEW_CCCD},{NEW_PHONE},08/03/2010\n"
        f"Lê Thị Lỗi,1780,{BAD_CCCD},{BAD_PHONE},08/03/2010\n"
    )
    job = import_services.job_create(
        upload=SimpleUploadedFile("danh-sach.csv", csv.encode()), commune=records["commune"], branch=branch,
        create_branches=False, actor=world.bob,
    )  # fmt: skip
    job.refresh_from_db()
    assert NEW_CCCD in str(job.preview) and BAD_CCCD in str(job.preview)  # the markers are there to be hidden
    return {**records, "member": member, "job": job}


@pytest.fixture
def inspector(world):
    user = UserFactory(username="thanhtra")
    Role.objects.create(user=user, unit=world.district_a, can_enter=False)
    return user


def test_no_answer_shows_a_number_the_user_may_not_see(world, exposed, inspector, login, settings):
    settings.DEBUG = False
    client = login(inspector)
    leaks, read = [], 0
    for name, route in patterns():
        owned = iter([exposed[key].pk for key in OWNED.get(name, [])])
        path = fill(route, [next(owned, exposed["member"].pk) if kind == "int" else "approve" for kind in arity(route)])
        queries = QUERIES + ([{"unit": exposed["commune"].pk, "cols": list(COLUMNS)}] if "list" in name else [])
        for query in queries:
            response = client.get(path, query)
            if response.status_code != 200:
                continue
            read += 1
            text = _text(response)
            leaks += [(name, query.get("format", "html"), marker) for marker in MARKERS if marker in text]
    assert read > 60  # the sweep did read the pages
    assert not leaks, f"numbers shown in full to a user who may only view them: {leaks}"


def test_those_who_keep_the_register_see_the_numbers(world, exposed, login):
    """The same pages show the numbers to bob, who keeps district A's register: the sweep looks where they are."""
    client = login(world.bob)
    member_page = _text(client.get(f"/members/{exposed['member'].pk}/"))
    preview = _text(client.get(f"/imports/{exposed['job'].pk}/"))
    rejects = _text(client.get(f"/imports/{exposed['job'].pk}/rejected.xlsx"))
    duplicates = _text(client.get("/members/duplicates/"))
    assert CCCD in member_page and PHONE in member_page and CMND in member_page
    assert NEW_CCCD in preview and BAD_PHONE in rejects and CCCD in duplicates


def test_the_rejected_rows_file_is_in_the_access_log(world, exposed, inspector, login):
    from accounts.models import DataAccessLog

    login(inspector).get(f"/imports/{exposed['job'].pk}/rejected.xlsx")
    entry = DataAccessLog.objects.get(kind="import_rejects")
    assert (entry.user, entry.unit, entry.detail) == (inspector, exposed["commune"], {"import": exposed["job"].pk})
