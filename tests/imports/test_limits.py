"""Tiny files that declare huge sparse sheets are refused before any grid is built: through the web page, the
command and the reader alone under a memory limit, with a message that says where the far cell is."""

import io
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from imports.models import ImportJob
from members.models import Member

ROOT = Path(__file__).resolve().parents[2]
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>{sheets}</Types>'
)


def sparse_bomb(sheets: int = 1, row: int = 300_000, column: str = "GR", space: str = " ") -> bytes:
    """A hand-written xlsx of a few KB: per sheet, "x" at A1 and at ``column``+``row``, under a lying dimension
    (``space``: what separates the far cell's tag from its reference, any XML white space)."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, sheets + 1)
        )
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES.format(sheets=overrides))
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        entries = "".join(f'<sheet name="DS{i}" sheetId="{i}" r:id="rId{i}"/>' for i in range(1, sheets + 1))
        archive.writestr(
            "xl/workbook.xml", f'<?xml version="1.0"?><workbook {ns} {rel}><sheets>{entries}</sheets></workbook>'
        )
        links = "".join(
            f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            f'worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, sheets + 1)
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f"{links}</Relationships>",
        )
        for i in range(1, sheets + 1):
            archive.writestr(
                f"xl/worksheets/sheet{i}.xml",
                f'<?xml version="1.0"?><worksheet {ns}><dimension ref="A1:B2"/><sheetData>'
                '<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
                f'<row r="{row}"><c{space}r="{column}{row}" t="inlineStr"><is><t>x</t></is></c></row>'
                "</sheetData></worksheet>",
            )
    return out.getvalue()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_bomb_is_a_few_kilobytes():
    assert len(sparse_bomb()) < 2000 and len(sparse_bomb(sheets=5)) < 4000


def test_an_upload_of_sparse_sheets_is_refused_with_the_far_cell_named(world, login):
    client = login(world.alice)
    started = time.monotonic()
    response = client.post(
        reverse("imports:import_list"),
        {"file": SimpleUploadedFile("ds.xlsx", sparse_bomb(sheets=5)), "commune": world.commune_a1.pk,
         "branch": world.branch_a1.pk},
        follow=True,
    )  # fmt: skip
    assert time.monotonic() - started < 5
    assert response.status_code == 200
    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.FAILED
    assert "GR300000" in job.error and "DS1" in job.error
    assert not Member.objects.exists()


@pytest.mark.parametrize("space", [" ", "\t", "\n  "])
@pytest.mark.parametrize(("row", "column"), [(50, "ZZ"), (200_000, "XFD")])
def test_a_sheet_too_wide_is_refused_before_it_is_read(row, column, space):
    # Few rows and one far column: only the width tells (the reader would build rows × 16,384 cells).
    from imports.reader import sniff
    from imports.sheets import ImportFileError

    with translation.override("en"), pytest.raises(ImportFileError, match="columns"):
        sniff(sparse_bomb(row=row, column=column, space=space), "ds.xlsx")


def test_the_command_refuses_it_too(world, tmp_path):
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(sparse_bomb())
    with translation.override("en"), pytest.raises(CommandError, match="GR300000"):
        call_command("import_members", str(path), "--unit", world.commune_a1.code, stdout=io.StringIO())


def test_the_reader_stays_small_under_a_memory_limit(tmp_path):
    """In a child process limited to 700 MB of address space, five bomb sheets are refused, not allocated."""
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(sparse_bomb(sheets=5))
    script = (
        "import resource, sys, django; resource.setrlimit(resource.RLIMIT_AS, (700 << 20, 700 << 20)); "
        "django.setup(); from imports.reader import read_workbook, ImportFileError\n"
        "try:\n    read_workbook(open(sys.argv[1], 'rb').read(), 'bomb.xlsx')\n"
        "except ImportFileError as error:\n    print('REFUSED', error)\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hoilhpn.settings", "DEBUG": "true"}
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("REFUSED")


@pytest.mark.parametrize("data", [b"\xff\xfe\x00", b"\xfe\xff" + "Họ tên".encode("utf-16-be") + b"\x00", b"\xff\xfe"])
def test_a_cut_off_utf16_text_file_is_refused_with_a_message(data):
    from imports.reader import read_workbook
    from imports.sheets import ImportFileError

    try:
        book = read_workbook(data, "danh-sach.csv")
    except ImportFileError as error:
        assert str(error)
    else:  # what could be read is read: nothing is invented
        assert all("\ufffd" not in str(cell) for sheet in book.sheets for row in sheet.rows for cell in row)
