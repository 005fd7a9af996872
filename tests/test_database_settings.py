"""How the application talks to its database."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_postgresql_sessions_run_queries_without_compiling_them():
    """A report's grouped queries over a country's records pass the cost at which PostgreSQL compiles a query
    (JIT), which then takes longer than running it."""
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
