"""What the benchmark scripts share. ``benchmarks/`` is not a package, and its scripts' names are also an app's
("members") or a keyword ("import"), so a script that needs another one loads it by its file (``sibling``)."""

import importlib.util
from pathlib import Path
from types import ModuleType
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent


def sibling(name: str) -> ModuleType:
    """The benchmark script ``benchmarks/<name>.py`` as a module (its ``main`` is not run)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def recreate_database(url: str) -> None:
    """Drop and create the PostgreSQL database ``url`` names: every benchmark starts from nothing."""
    import psycopg2

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = psycopg2.connect(
        host=parsed.hostname, port=parsed.port or 5432, user=parsed.username or "postgres", dbname="postgres"
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
