"""`column = ANY(:values)`: one array parameter instead of an IN list of as many parameters as values.

An IN list is new SQL for every number of values, and asyncpg prepares each SQL text it has not seen on that
connection (a round trip, and PostgreSQL parses and plans it again); with batches of every size from 1 to 100,
a few such queries overflowed the per-connection statement cache, so they were prepared again and again (a
tenth of the callbacks' processing in bench.scheduler). `= ANY` is one SQL text for any number of values, and
PostgreSQL turns an IN list into the same `= ANY(array)` anyway: same plans, same indexes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.sql.elements import ColumnElement


def any_of(column: ColumnElement[Any], values: Iterable[Any]) -> ColumnElement[bool]:
    return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
