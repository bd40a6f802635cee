"""One database connection for everything a request asks, instead of one per statement.

Piccolo runs a statement on the connection of the transaction in `engine.current_transaction`
and otherwise opens a connection for it: on SQLite a new aiosqlite connection with its own
thread, on PostgreSQL a pool checkout and its reset. `shared_connection()` puts a stand-in there
that holds one connection in autocommit, so each statement still commits on its own as before
(no snapshot spans the request: a GET that writes cannot meet SQLite's stale-snapshot refusal),
and `begin()` opens the real transactions of `server.db` on that same connection.

While serving, a SQLite engine keeps a few of those connections open between requests
(`SQLitePool`), as PostgreSQL's pool does: opening one starts a thread and opens the file.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any
from weakref import WeakKeyDictionary

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine, PostgresTransaction
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType

logger = logging.getLogger(__name__)


class SharedConnection:
    """Where Piccolo looks for the current transaction: its `connection` runs the statements."""

    __slots__ = ("connection", "open")

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.open = True

    def __bool__(self) -> bool:
        # Piccolo asks `if current_transaction:`. A task that copied the request's context and
        # outlives it then opens connections of its own rather than use one given back.
        return self.open


class SQLitePool:
    """Open SQLite connections waiting for the next request, at most `size` of them."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.idle: list[Any] = []
        self.closed = False

    def take(self) -> Any:
        return self.idle.pop()

    async def give_back(self, connection: Any) -> None:
        if not self.closed and len(self.idle) < self.size:
            try:
                if connection.in_transaction:  # never hand a half-done transaction on
                    await connection.rollback()
            except Exception:
                logger.warning("a SQLite connection could not be reset", exc_info=True)
            else:
                self.idle.append(connection)
                return
        await connection.close()

    async def close(self) -> None:
        self.closed = True
        while self.idle:
            await self.idle.pop().close()


_SQLITE_POOLS: WeakKeyDictionary[Engine[Any], SQLitePool] = WeakKeyDictionary()


def start_sqlite_pool(engine: SQLiteEngine, size: int) -> None:
    _SQLITE_POOLS[engine] = SQLitePool(size)


async def close_sqlite_pool(engine: SQLiteEngine) -> None:
    pool = _SQLITE_POOLS.pop(engine, None)
    if pool is not None:
        await pool.close()


async def _connect(engine: Engine[Any]) -> tuple[Any, Callable[[], Awaitable[None]]]:
    if isinstance(engine, SQLiteEngine):
        sqlite_pool = _SQLITE_POOLS.get(engine)
        if sqlite_pool is None:
            connection = await engine.get_connection()  # autocommit, foreign keys on
            return connection, connection.close
        connection = sqlite_pool.take() if sqlite_pool.idle else await engine.get_connection()
        return connection, lambda: sqlite_pool.give_back(connection)
    if isinstance(engine, PostgresEngine):
        if engine.pool is not None:
            pool = engine.pool
            connection = await pool.acquire()
            return connection, lambda: pool.release(connection)
        connection = await engine.get_new_connection()
        return connection, connection.close
    raise TypeError(f"no shared connection for {type(engine).__name__}")


@asynccontextmanager
async def shared_connection(engine: Engine[Any]) -> AsyncIterator[None]:
    """Every statement in this scope on one connection. Inside a transaction, that one is it;
    when no connection can be had, each statement tries its own and reports the outage."""
    if engine.current_transaction.get():
        yield
        return
    try:
        connection, release = await _connect(engine)
    except Exception:
        logger.warning("no database connection for this request", exc_info=True)
        connection = None
    if connection is None:
        yield
        return
    shared = SharedConnection(connection)
    token = engine.current_transaction.set(shared)
    try:
        yield
    finally:
        shared.open = False
        engine.current_transaction.reset(token)
        await release()


async def _end(transaction: Any, exception: BaseException | None) -> bool:
    """Piccolo's end of a transaction, without closing or giving back the connection."""
    if exception is not None:
        if not transaction._rolled_back:
            await transaction.rollback()
    elif not transaction._committed and not transaction._rolled_back:
        await transaction.commit()
    transaction.engine.current_transaction.reset(transaction.context)
    return exception is None


class _SQLiteTransactionOnShared(SQLiteTransaction):
    def __init__(
        self, engine: SQLiteEngine, shared: SharedConnection, kind: TransactionType
    ) -> None:
        super().__init__(engine, transaction_type=kind)
        self._parent = None  # the stand-in is no transaction to nest in
        self.shared = shared

    async def get_connection(self) -> Any:
        return self.shared.connection

    async def __aexit__(self, exception_type: Any, exception: Any, traceback: Any) -> bool:
        return await _end(self, exception)


class _PostgresTransactionOnShared(PostgresTransaction):
    def __init__(self, engine: PostgresEngine, shared: SharedConnection) -> None:
        super().__init__(engine)
        self._parent = None  # the stand-in is no transaction to nest in
        self.shared = shared

    async def get_connection(self) -> Any:
        return self.shared.connection

    async def __aexit__(self, exception_type: Any, exception: Any, traceback: Any) -> bool:
        return await _end(self, exception)


def begin(engine: Engine[Any], sqlite_kind: TransactionType) -> Any:
    """A transaction (nested ones join the outer one), on the shared connection if there is
    one. `sqlite_kind` is SQLite's BEGIN; PostgreSQL has one kind."""
    current = engine.current_transaction.get()
    if isinstance(current, SharedConnection) and current:
        if isinstance(engine, SQLiteEngine):
            return _SQLiteTransactionOnShared(engine, current, sqlite_kind)
        if isinstance(engine, PostgresEngine):
            return _PostgresTransactionOnShared(engine, current)
    if isinstance(engine, SQLiteEngine):
        return engine.transaction(transaction_type=sqlite_kind)
    return engine.transaction()
