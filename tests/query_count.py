"""Counts what the app asks of its database: statements, and connections opened or checked out
of the pool. It wraps Piccolo's engines where every query passes (`run_querystring`, `run_ddl`)
and the places connections come from, so the product code is measured as it is. Used by the
query-budget tests and by benchmarks/cpu.py."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

import aiosqlite
import asyncpg
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

from server.connections import SQLitePool


@dataclass
class Tally:
    queries: int = 0
    connections: int = 0

    def since(self, before: Tally) -> Tally:
        return Tally(self.queries - before.queries, self.connections - before.connections)


TALLY = Tally()


def snapshot() -> Tally:
    return replace(TALLY)


def _counting_coroutine(function: Callable[..., Any], field: str) -> Callable[..., Any]:
    @functools.wraps(function)
    async def counted(*args: Any, **kwargs: Any) -> Any:
        setattr(TALLY, field, getattr(TALLY, field) + 1)
        return await function(*args, **kwargs)

    counted.__counted__ = True  # type: ignore[attr-defined]
    return counted


def _counting_call(function: Callable[..., Any], field: str) -> Callable[..., Any]:
    @functools.wraps(function)
    def counted(*args: Any, **kwargs: Any) -> Any:
        setattr(TALLY, field, getattr(TALLY, field) + 1)
        return function(*args, **kwargs)

    counted.__counted__ = True  # type: ignore[attr-defined]
    return counted


def _wrap(owner: Any, name: str, wrapper: Callable[..., Any], field: str) -> None:
    original = getattr(owner, name)
    if not getattr(original, "__counted__", False):
        setattr(owner, name, wrapper(original, field))


def install() -> None:
    """Idempotent: from the first call on, every engine in this process is counted."""
    for engine in (SQLiteEngine, PostgresEngine):
        _wrap(engine, "run_querystring", _counting_coroutine, "queries")
        _wrap(engine, "run_ddl", _counting_coroutine, "queries")
    # Piccolo's SQLite engine opens every connection through aiosqlite.connect; a serving
    # process also takes open ones back out of its pool.
    _wrap(aiosqlite, "connect", _counting_call, "connections")
    _wrap(SQLitePool, "take", _counting_call, "connections")
    # PostgreSQL: a new connection without a pool, a checkout with one.
    _wrap(PostgresEngine, "get_new_connection", _counting_coroutine, "connections")
    _wrap(asyncpg.pool.Pool, "acquire", _counting_call, "connections")


@contextmanager
def counting() -> Iterator[Tally]:
    """What the code inside asked of the database: `with counting() as used: ...`, then
    `used.queries`, `used.connections`. Counts the whole process: nothing else may run."""
    install()
    before = snapshot()
    used = Tally()
    try:
        yield used
    finally:
        spent = snapshot().since(before)
        used.queries, used.connections = spent.queries, spent.connections
