"""SQL expressions the statistics snapshot counts by, written for PostgreSQL and SQLite."""

from django.db import models
from django.db.models import Func
from django.db.models.functions import TruncMonth

from analytics.periods import local_zone

ACK_BUCKET_MINUTES = 10


class AckMinutes(Func):
    """Whole seconds from report to acknowledgement, rounded UP to the next 10 minutes (0 stays 0)."""

    output_field = models.IntegerField()
    arity = 2

    def as_sql(self, compiler, connection, **extra_context):  # pragma: no cover - vendors below
        raise NotImplementedError(connection.vendor)

    def as_postgresql(self, compiler, connection, **extra_context):
        template = (
            "(GREATEST(0, CEIL((EXTRACT(EPOCH FROM DATE_TRUNC('second', {a}))::bigint"
            " - EXTRACT(EPOCH FROM DATE_TRUNC('second', {b}))::bigint) / {step}.0))::integer * {minutes})"
        )
        a, b = (compiler.compile(expression) for expression in self.get_source_expressions())
        sql = template.format(a=a[0], b=b[0], step=ACK_BUCKET_MINUTES * 60, minutes=ACK_BUCKET_MINUTES)
        return sql, (*a[1], *b[1])

    def as_sqlite(self, compiler, connection, **extra_context):
        a, b = (compiler.compile(expression) for expression in self.get_source_expressions())
        step = ACK_BUCKET_MINUTES * 60
        sql = (
            f"(MAX(0, (CAST(STRFTIME('%%s', {a[0]}) AS INTEGER) - CAST(STRFTIME('%%s', {b[0]}) AS INTEGER)"
            f" + {step - 1}) / {step}) * {ACK_BUCKET_MINUTES})"
        )
        return sql, (*a[1], *b[1])


class LocalMonth(Func):
    """The first day of the Asia/Almaty month of a timestamp, as a date (stored as such by both databases)."""

    output_field = models.DateField()

    def __init__(self, expression, **extra):
        super().__init__(TruncMonth(expression, tzinfo=local_zone()), **extra)

    def as_sql(self, compiler, connection, **extra_context):  # pragma: no cover - vendors below
        raise NotImplementedError(connection.vendor)

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return f"({sql})::date", params

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return f"date({sql})", params


class DaysBetween(Func):
    """Whole days from the second date to the first, 0 when negative."""

    output_field = models.IntegerField()
    arity = 2

    def as_sql(self, compiler, connection, **extra_context):  # pragma: no cover - vendors below
        raise NotImplementedError(connection.vendor)

    def as_postgresql(self, compiler, connection, **extra_context):
        a, b = (compiler.compile(expression) for expression in self.get_source_expressions())
        return f"GREATEST(0, {a[0]} - {b[0]})", (*a[1], *b[1])

    def as_sqlite(self, compiler, connection, **extra_context):
        a, b = (compiler.compile(expression) for expression in self.get_source_expressions())
        return f"MAX(0, CAST(julianday({a[0]}) - julianday({b[0]}) AS INTEGER))", (*a[1], *b[1])
