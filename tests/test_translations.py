"""The interface speaks Vietnamese: every message of the catalogue is translated, and every message in the code
is one xgettext can find (an alias it does not know, such as ``gettext_lazy as _l``, leaves strings English)."""

import pathlib
import re
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"
SKIP = {".venv", "node_modules", "tests", "benchmarks"}


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
def test_every_message_of_the_catalogue_is_translated():
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(CATALOGUE)],
        capture_output=True,
        text=True,
        check=True,
        env={"LC_ALL": "C"},
    )
    assert "fuzzy" not in result.stderr and "untranslated" not in result.stderr, result.stderr


def test_translation_functions_keep_names_xgettext_knows():
    aliased = re.compile(r"import .*\b(n?p?gettext(?:_lazy|_noop)?) as (\w+)")
    found = []
    for path in ROOT.rglob("*.py"):
        if SKIP & set(path.relative_to(ROOT).parts):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = aliased.search(line)
            if match and match.group(2) != "_":
                found.append(f"{path.relative_to(ROOT)}:{number}: {match.group(1)} as {match.group(2)}")
    assert not found, found
