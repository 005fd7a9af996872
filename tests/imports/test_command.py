"""The ``import_members`` command as a province office runs it over a folder of files."""

import io
import json
from unittest import mock

from openpyxl import Workbook

from imports.management.commands.import_members import Command as ImportCommand


def test_the_command_does_not_run_the_system_checks(world, tmp_path):
    # Each file is one command: the checks load every view, a third of a second per file.
    book = Workbook()
    book.active.append(["STT", "Họ và tên", "Năm sinh", "Ngày vào Hội", "Chi hội"])
    book.active.append([1, "Nguyễn Thị Hoa", 1980, "01/03/2005", "Thôn A"])
    path = tmp_path / "ds.xlsx"
    book.save(path)
    out = io.StringIO()
    command = ImportCommand(stdout=out)
    # As manage.py parses it (call_command would skip the checks whatever the command says).
    options = command.create_parser("manage.py", "import_members").parse_args(
        [str(path), "--unit", world.commune_a1.code, "--dry-run", "--json", "--create-branches"]
    )
    with mock.patch("django.core.management.base.checks.run_checks", side_effect=AssertionError("checks ran")):
        command.execute(**vars(options))
    assert json.loads(out.getvalue())["new"] == 1
