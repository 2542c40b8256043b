"""How long a span between two stored times lasted, worked out by the database, so totals
and averages are summed there instead of loading every row (SQLite and PostgreSQL)."""

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class seconds_between(FunctionElement):  # noqa: N801 - used as an SQL function
    """Seconds from the first time to the second, as a float."""

    type = sa.Float()
    inherit_cache = True


class whole_minutes_between(FunctionElement):  # noqa: N801 - used as an SQL function
    """Whole minutes from the first time to the second, never negative (as
    surgery.domain.floor.minutes_between counts them)."""

    type = sa.Integer()
    inherit_cache = True


@compiles(seconds_between, "sqlite")
def _seconds_sqlite(element, compiler, **kw):
    # julianday is a float of days: rounded to the millisecond, 600 seconds stay 600, not
    # 600.00001, which an average rounded up would show as a minute more
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"round((julianday({end}) - julianday({start})) * 86400.0, 3)"


@compiles(seconds_between, "postgresql")
def _seconds_postgresql(element, compiler, **kw):
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"EXTRACT(EPOCH FROM ({end} - {start}))"


@compiles(whole_minutes_between, "sqlite")
def _minutes_sqlite(element, compiler, **kw):
    # as above: 12 minutes stay 12, not 11
    seconds = _seconds_sqlite(element, compiler, **kw)
    return f"max(CAST({seconds} / 60 AS INTEGER), 0)"


@compiles(whole_minutes_between, "postgresql")
def _minutes_postgresql(element, compiler, **kw):
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"GREATEST(CAST(FLOOR(EXTRACT(EPOCH FROM ({end} - {start})) / 60) AS INTEGER), 0)"
