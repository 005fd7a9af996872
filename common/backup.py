"""Backup and restore of the whole system: the database and the uploaded files, with a manifest to verify them.

A backup is a folder holding ``database.dump`` (pg_dump's custom format) or
``database.sqlite3`` (SQLite's online backup), ``media.tar.gz`` (attachments,
imports, printed reports) and ``manifest.json``: the row count and a checksum of
every table. A restore puts both back and checks the manifest again, so a
backup that cannot be restored is found the day it is tested, not the day it is needed.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


def table_digest() -> dict[str, dict]:
    """Row count and checksum of every table, rows in primary-key order."""
    digest = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted} ORDER BY 1")
            hasher, count = hashlib.sha256(), 0
            while rows := cursor.fetchmany(5000):
                for row in rows:
                    hasher.update(repr(tuple(_stable(v) for v in row)).encode())
                count += len(rows)
            digest[table] = {"rows": count, "sha256": hasher.hexdigest()}
    return digest


def _stable(value):
    # The same value reads back the same way from both databases: dates as ISO text, memoryviews as bytes.
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def _pg_env() -> tuple[dict, list[str]]:
    db = connection.settings_dict
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = ["-h", db.get("HOST") or "localhost", "-p", str(db.get("PORT") or 5432), "-U", db.get("USER") or "postgres"]
    return env, args


def backup(target: Path) -> Path:
    """Write a backup folder under ``target``; returns it."""
    folder = target / f"hoilhpn-{datetime.datetime.now():%Y%m%d-%H%M%S}"
    folder.mkdir(parents=True, exist_ok=False)
    if connection.vendor == "postgresql":
        env, args = _pg_env()
        dump = folder / "database.dump"
        _run(["pg_dump", "-Fc", "--no-owner", "-f", str(dump), *args, connection.settings_dict["NAME"]], env)
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(folder / "database.sqlite3") as copy:
            connection.connection.backup(copy)
    else:
        raise BackupError(f"Backups of {connection.vendor} are not supported.")
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(folder / "media.tar.gz", "w:gz") as archive:
        if media.exists():
            archive.add(media, arcname="media")
    manifest = {
        "created": datetime.datetime.now().isoformat(timespec="seconds"),
        "vendor": connection.vendor,
        "tables": table_digest(),
        "media_files": sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())
        if media.exists()
        else [],
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    return folder


def restore(folder: Path) -> dict:
    """Replace the database and the uploaded files with the backup's, then verify them against its manifest."""
    manifest = json.loads((folder / MANIFEST).read_text())
    if manifest["vendor"] != connection.vendor:
        raise BackupError(f"This backup is of {manifest['vendor']}, the database is {connection.vendor}.")
    if connection.vendor == "postgresql":
        env, args = _pg_env()
        connection.close()
        _run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", "-d",
             connection.settings_dict["NAME"], *args, str(folder / "database.dump")],
            env,
        )  # fmt: skip
    else:
        connection.ensure_connection()
        with sqlite3.connect(f"file:{quote(str(folder / 'database.sqlite3'))}?mode=ro", uri=True) as copy:
            copy.backup(connection.connection)
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=media.parent if media.parent.exists() else None) as unpacked:
        with tarfile.open(folder / "media.tar.gz") as archive:
            archive.extractall(unpacked, filter="data")
        if media.exists():
            shutil.rmtree(media)
        media.parent.mkdir(parents=True, exist_ok=True)
        source = Path(unpacked) / "media"
        shutil.move(source, media) if source.exists() else media.mkdir()
    found = table_digest()
    wrong = sorted(t for t, d in manifest["tables"].items() if found.get(t) != d)
    files = sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()) if media.exists() else []
    if wrong or files != manifest["media_files"]:
        raise BackupError(
            f"Restored data differs from the backup: tables {wrong}; files: {files == manifest['media_files']}"
        )
    return {"tables": len(found), "rows": sum(d["rows"] for d in found.values()), "files": len(files)}


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:2000]}")
