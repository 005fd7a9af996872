"""Model fields shared by the apps."""

from django.db import models


class ByteOrderCharField(models.CharField):
    """Text compared byte by byte: collation "C" on PostgreSQL (SQLite's default is already binary).

    For folded names, sort keys, ID and phone numbers, whose order and prefixes are
    plain ASCII: one ordinary index then serves ORDER BY, = and LIKE 'x%', where a
    language collation needs a second ``varchar_pattern_ops`` index for the
    prefixes, which bulk imports pay for on every row.
    """

    def db_parameters(self, connection):
        parameters = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            parameters["collation"] = "C"
        return parameters
