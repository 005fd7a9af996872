from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = "Dùng chung"

    def ready(self):
        from .collation import register_sqlite_collation

        # Vietnamese order on SQLite under the name PostgreSQL's ICU collation has.
        connection_created.connect(register_sqlite_collation, dispatch_uid="hoilhpn_vi_collation")
