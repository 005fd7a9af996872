"""Backup, wipe, restore: every table comes back with the same rows (count and checksum), attachments included."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from common import backup
from members.models import Member
from supervision import services as work_services
from supervision.models import Attachment
from tests.factories import MemberFactory
from tests.supervision import factories as work
from tests.supervision.test_services import PDF


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_backup_wipe_restore_round_trip(world, transactional_db, media, tmp_path):
    for _ in range(5):
        MemberFactory(branch=world.branch_a1)
    supervision = work.supervision(world.commune_a1, world.alice)
    attachment = work_services.attachment_add(
        actor=world.alice, owner=supervision, upload=SimpleUploadedFile("bien-ban.pdf", PDF)
    )
    before = backup.table_digest()
    call_command("backup", str(tmp_path / "backups"))
    folder = next((tmp_path / "backups").iterdir())
    assert (folder / "media.tar.gz").exists() and (folder / "manifest.json").exists()

    # Wipe: members gone, a file deleted, another one left behind that the backup never had.
    Member.objects.all().delete()
    attachment.file.delete(save=False)
    Attachment.objects.all().delete()
    (media / "stray.txt").write_text("not in the backup")
    assert backup.table_digest() != before

    call_command("restore", str(folder), "--yes")
    assert backup.table_digest() == before
    restored = Attachment.objects.get(pk=attachment.pk)
    assert restored.file.read() == PDF
    assert not (media / "stray.txt").exists()


def test_restore_refuses_a_folder_that_is_not_a_backup(tmp_path, db):
    with pytest.raises(Exception, match="not a backup folder"):
        call_command("restore", str(tmp_path), "--yes")
