from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from common.backup import BackupError, restore


class Command(BaseCommand):
    help = "Replace the database and the uploaded files with a backup folder's, and verify them."

    def add_arguments(self, parser):
        parser.add_argument("folder")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, folder, yes, **options):
        folder = Path(folder)
        if not (folder / "manifest.json").exists():
            raise CommandError(f"{folder} is not a backup folder (no manifest.json).")
        if not yes and input(f"Replace ALL current data with {folder}? Type 'yes': ").strip() != "yes":
            raise CommandError("Cancelled; nothing was changed.")
        try:
            summary = restore(folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored and verified: {summary['tables']} tables, {summary['rows']:,} rows, {summary['files']} files"
        )
