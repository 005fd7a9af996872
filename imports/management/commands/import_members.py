"""Import a legacy member list from the command line, e.g. a folder of files from the communes:

for f in lists/*.xlsx; do python manage.py import_members "$f" --unit 07522 --dry-run; done
"""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from branches.constants import Level
from branches.models import Unit
from imports import pipeline
from imports.reader import ImportFileError
from imports.services import preview_of, rejected_workbook


class DryRun(Exception):
    pass


class Command(BaseCommand):
    help = "Import a member list (.xlsx, .xls, .ods, .csv) into a commune union."
    # A folder of files is imported one command at a time: the system checks (which load every view) would cost
    # each file a third of a second. Deployments run them with ``check`` and ``migrate``.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--unit", required=True, help="Official code of the commune union (or id:N).")
        parser.add_argument("--branch", help="Put every row into this branch (name, with or without 'Chi hội').")
        parser.add_argument("--create-branches", action="store_true", help="Create branches the commune lacks.")
        parser.add_argument("--dry-run", action="store_true", help="Show what would happen; write nothing.")
        parser.add_argument("--errors", metavar="OUT.xlsx", help="Write the rejected rows, with reasons, here.")
        parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        commune = self._commune(options["unit"])
        branch = self._branch(commune, options.get("branch"), options["create_branches"])
        importer = pipeline.Importer(
            commune=commune,
            file_name=path.name,
            branch=branch,
            create_branches=options["create_branches"],
        )
        note = _("Imported from %(file)s (command line)") % {"file": path.name}
        try:
            with transaction.atomic():
                if branch is None and options.get("branch"):
                    branch = pipeline.create_branch(commune, options["branch"])
                    importer.branch = branch
                if options["dry_run"]:
                    analysis = importer.analyse(path.read_bytes())
                    raise DryRun
                analysis, outcome = pipeline.analyse_and_commit(importer, path.read_bytes(), note=note)
        except DryRun:
            outcome = None
        except ImportFileError as error:
            raise CommandError(f"{path.name}: {error}") from error
        except ValidationError as error:
            raise CommandError(f"{path.name}: {'; '.join(error.messages)}") from error
        if options["errors"]:
            Path(options["errors"]).write_bytes(rejected_workbook(preview_of(analysis)))
        summary = analysis.summary()
        if outcome is not None:
            summary["branches_created"] = outcome["branches_created"]
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
            return
        verb = _("would be") if options["dry_run"] else _("were")
        self.stdout.write(
            f"{path.name} → {commune.name}: {summary['new']} new, {summary['updated']} updated, "
            f"{summary['unchanged']} unchanged, {len(analysis.rejected)} rejected rows ({verb} written)."
        )
        for problem in analysis.problems:
            self.stdout.write(f"  {problem}")
        for warning in analysis.warnings:
            self.stdout.write(f"  ! {warning}")

    def _commune(self, code: str) -> Unit:
        units = Unit.objects.active().filter(level=Level.COMMUNE)
        unit = units.filter(pk=code[3:]).first() if code.startswith("id:") else units.filter(code=code).first()
        if unit is None:
            raise CommandError(_("No live commune union with code %(code)s.") % {"code": code})
        return unit

    def _branch(self, commune: Unit, name: str | None, create: bool) -> Unit | None:
        if not name:
            return None
        unit = pipeline.commune_branches(commune).get(pipeline.branch_key(name))
        if unit is not None:
            return unit
        if not create:
            raise CommandError(
                _("%(commune)s has no branch '%(branch)s'. Add --create-branches to create it.")
                % {"commune": commune.name, "branch": name}
            )
        return None
