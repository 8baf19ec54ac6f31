"""Storage faults injected into the real store, the same way on SQLite and PostgreSQL.

These are the seams the fault tests use where SimCord can't produce the fault itself:

- :func:`refuse_writes` / :func:`allow_writes`: the running bot's storage refuses every write,
  as a failing disk or a read-only server would. SQLite: ``PRAGMA query_only`` on the bot's one
  connection. PostgreSQL: a statement trigger on every table that raises
  ``read_only_sql_transaction`` (SQLSTATE 25006, what a read-only server raises) for connections
  of that bot's pool (their ``application_name``), so a bot started afterwards (a restart)
  writes normally, as a new SQLite connection does.
- :func:`fail_writes`: a row trigger that aborts that bot's writes to one table while a
  condition holds (SQLite: a TEMP trigger in the bot's connection; PostgreSQL: a plpgsql trigger
  function that checks the connection's ``application_name``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.db.database import Connection, Database, PostgresDatabase

_PG_SWITCH = """
CREATE TABLE IF NOT EXISTS test_refused (application_name TEXT PRIMARY KEY);
CREATE OR REPLACE FUNCTION test_refuse_writes() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM test_refused
             WHERE application_name = current_setting('application_name')) THEN
    RAISE EXCEPTION 'cannot execute % in a read-only transaction (injected)', TG_OP
      USING ERRCODE = '25006';
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;
"""


async def refuse_writes(db: Database) -> None:
    """From now on every write of this bot's store fails (until :func:`allow_writes`)."""
    if not isinstance(db, PostgresDatabase):
        await (await db.conn.execute("PRAGMA query_only = ON")).close()
        return
    async with _side(db) as conn:
        await conn.execute(_PG_SWITCH)
        tables = await (
            await conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                " AND tablename <> 'test_refused'"
            )
        ).fetchall()
        for (table,) in tables:
            await conn.execute(f"DROP TRIGGER IF EXISTS test_refuse ON {table}")
            await conn.execute(
                f"CREATE TRIGGER test_refuse BEFORE INSERT OR UPDATE OR DELETE ON {table}"
                " FOR EACH STATEMENT EXECUTE FUNCTION test_refuse_writes()"
            )
        await conn.execute(
            "INSERT INTO test_refused (application_name) VALUES (?) ON CONFLICT DO NOTHING",
            (db.application_name,),
        )


async def allow_writes(db: Database) -> None:
    """This bot's store writes again."""
    if not isinstance(db, PostgresDatabase):
        await (await db.conn.execute("PRAGMA query_only = OFF")).close()
        return
    async with _side(db) as conn:
        await conn.execute(
            "DELETE FROM test_refused WHERE application_name = ?", (db.application_name,)
        )


@asynccontextmanager
async def _side(db: PostgresDatabase) -> AsyncIterator[Connection]:
    """A transaction on a connection of its own (not the bot's pool, whose transaction may be
    in progress, and whose connections may be the refused ones)."""
    side = PostgresDatabase(db.url, pool_size=1)
    await side.open()
    try:
        async with side.transaction() as conn:
            yield conn
    finally:
        await side.close()


async def fail_writes(db: Database, name: str, event: str, table: str, when: str = "TRUE") -> None:
    """Writes ``event`` (``INSERT``, ``UPDATE OF column``) to ``table`` abort with a storage
    error while ``when`` holds (portable SQL over ``OLD``/``NEW`` and other tables). Remove it
    with :func:`stop_failing`."""
    if not isinstance(db, PostgresDatabase):
        condition = "" if when == "TRUE" else f" WHEN {when}"
        async with db.transaction() as conn:
            await conn.execute(
                f"CREATE TEMP TRIGGER {name} BEFORE {event} ON {table}{condition}"
                " BEGIN SELECT RAISE(ABORT, 'injected storage fault'); END"
            )
        return
    # Only for this bot's connections, as a SQLite TEMP trigger lives in the bot's connection:
    # a bot started afterwards (a restart after the "crash") writes normally.
    mine = f"current_setting('application_name') = '{db.application_name}'"
    async with _side(db) as conn:
        await conn.execute(
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$ BEGIN"
            f" IF {mine} AND {when} THEN RAISE EXCEPTION 'injected storage fault'; END IF;"
            " RETURN NEW; END $$ LANGUAGE plpgsql"
        )
        await conn.execute(
            f"CREATE TRIGGER {name} BEFORE {event} ON {table}"
            f" FOR EACH ROW EXECUTE FUNCTION {name}()"
        )


async def stop_failing(db: Database, name: str, table: str) -> None:
    if isinstance(db, PostgresDatabase):
        async with _side(db) as conn:
            await conn.execute(f"DROP TRIGGER {name} ON {table}")
        return
    async with db.transaction() as conn:
        await conn.execute(f"DROP TRIGGER {name}")
