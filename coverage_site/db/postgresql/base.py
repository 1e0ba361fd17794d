"""PostgreSQL as Django ships it, with every call bounded in web processes (see deadlines.py)."""

from django.conf import settings
from django.db.backends.postgresql import base

from coverage_site.db import deadlines


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.execute_wrappers.append(self.bounded_execute)

    def bounded_execute(self, execute, sql, params, many, context):
        try:
            with deadlines.deadline(settings.DATABASE_TIMEOUT):
                return execute(sql, params, many, context)
        except deadlines.DatabaseTimeout:
            self.abandon()
            raise

    def get_connection_params(self):
        params = super().get_connection_params()
        if deadlines.enabled and settings.DATABASE_TIMEOUT > 0:
            # The server gives up on a statement too, so nothing keeps running after we left.
            timeout = f"-c statement_timeout={int(settings.DATABASE_TIMEOUT * 1000)}"
            params["options"] = f"{params.get('options', '')} {timeout}".strip()
        return params

    def get_new_connection(self, conn_params):
        with deadlines.deadline(settings.DATABASE_TIMEOUT):
            return super().get_new_connection(conn_params)

    def is_usable(self):
        try:
            with deadlines.deadline(settings.DATABASE_TIMEOUT):
                return super().is_usable()
        except deadlines.DatabaseTimeout:
            self.abandon()
            return False

    def abandon(self):
        """Drop a connection that stopped answering; the next request opens a new one."""
        try:
            self.close()
        except Exception:
            self.connection = None
