"""One process posts from a database at a time: a lease with a heartbeat, kept in the database.

A live holder is refused a second time (one line, exit code 2); a dead one never blocks a start
for long. The holder is told apart as follows, first match wins:

1. the lease ran out (no heartbeat for :data:`TTL`): dead;
2. same machine, same process id: an earlier bot of this very process, which is gone (a process
   runs one bot; this is also how the tests simulate a crash, with the old connection still
   open);
3. same machine, that process id no longer runs: dead (the OS knows at once);
4. otherwise (alive here, or on another machine with a fresh heartbeat): live.

With several processes on PostgreSQL each owns a set of Discord shards, and the lease is one per
shard (``publisher:shard:N/COUNT``): two processes post side by side only for disjoint shards.
A live lease of another layout (no sharding, or another SHARD_COUNT: its shard N is not this
process's shard N) holds every shard: a process waits for it as for its own shards. On
PostgreSQL a start that finds its shards held by a live process waits for them
(:meth:`InstanceGuard.acquire_when_free`) instead of refusing: a rolling restart starts the new
process first and stops the old one, and the new one takes over the moment the old one lets go
(a clean stop) or stops renewing (a kill: after :data:`SHARED_TTL`). Posts claimed by the old
one meanwhile stay its own until their lease runs out (rows are claimed ``FOR UPDATE SKIP
LOCKED``), so the overlap never posts anything twice. Every process must use the same
SHARD_COUNT.

The heartbeat also checks the database file is still the one opened: deleted or replaced under
the running bot, posting stops and the bot shuts down with a log line saying why.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.db.database import Database, DatabaseError
from bot.db.lease_repo import LeaseRepo, LeaseRow
from bot.domain.shards import Shards

if TYPE_CHECKING:
    from bot.clock import Clock

log = logging.getLogger(__name__)

LEASE_NAME = "publisher"
#: Coarse on purpose (it rides on the 6-hourly sweep): the lease's expiry only decides between
#: machines (on one machine a dead holder is known at once by its process id), every post checks
#: the lease, and every write checks the file.
HEARTBEAT = timedelta(hours=6)
TTL = timedelta(hours=13)
#: Sharded (SHARD_COUNT > 1), processes run on several machines, where a dead holder is known only
#: by its silence, and its shards wait for it: beat every minute, presumed dead after three.
SHARED_HEARTBEAT = timedelta(minutes=1)
SHARED_TTL = timedelta(minutes=3)


class DatabaseInUse(DatabaseError):
    """Another live Pacer holds this database."""


def lease_names(shards: Shards) -> tuple[str, ...]:
    """The leases a process owning ``shards`` holds: ``publisher`` without sharding, else one
    per shard."""
    if shards.count == 1:
        return (LEASE_NAME,)
    return tuple(f"{LEASE_NAME}:shard:{shard}/{shards.count}" for shard in shards.ids)


def _shard_count_of(name: str) -> str:
    """The SHARD_COUNT a lease name was taken under (``1`` for the unsharded ``publisher``)."""
    if not name.startswith(f"{LEASE_NAME}:shard:"):
        return "1"
    return name.rpartition("/")[2] if "/" in name else "?"


def _pid_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it runs, as another user
    except OSError:
        return False
    return True


class InstanceGuard:
    """Takes, renews and checks the lease for one bot instance."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        *,
        host: str | None = None,
        pid: int | None = None,
        names: tuple[str, ...] = (LEASE_NAME,),
        ttl: timedelta = TTL,
    ) -> None:
        self._db = db
        self.names = names
        self.ttl = ttl
        self._repo = LeaseRepo(db)
        self._clock = clock
        self.host = host or socket.gethostname()
        self.pid = os.getpid() if pid is None else pid
        self.holder = f"{self.host}:{self.pid}:{uuid.uuid4().hex[:12]}"
        self._lost: str | None = None

    def is_live(self, lease: LeaseRow) -> bool:
        """Whether ``lease``'s holder is a running Pacer other than this one (rules above)."""
        if lease.holder == self.holder or lease.expires_at <= self._clock.now():
            return False
        if lease.host == self.host:
            return lease.pid != self.pid and _pid_running(lease.pid)
        return True

    def describe(self, lease: LeaseRow) -> str:
        if self.names != (LEASE_NAME,) and self._db.dialect != "sqlite":
            return (
                f"another Pacer (process {lease.pid} on {lease.host}) runs shards this process "
                f"was given on the database at {self._db.where}; give each process its own "
                "SHARD_IDS, or stop that one first"
            )
        return (
            f"another Pacer (process {lease.pid} on {lease.host}) is running on the database at "
            f"{self._db.where}; stop it first, or point DATABASE_PATH elsewhere"
        )

    async def stopped_cleanly(self) -> bool:
        """Whether the last Pacer on this database gave its lease back (a clean stop), or none
        ever ran; False after a crash, a kill or a power cut (its lease is still there)."""
        for name in self.names:
            if await self._repo.get(name) is not None:
                return False
        return True

    async def _check_layout(self) -> None:
        """Raise :class:`DatabaseInUse` if a live Pacer holds a lease of another shard layout:
        its servers overlap this process's whatever shard ids either was given."""
        mine = _shard_count_of(self.names[0])
        for name, lease in await self._repo.all():
            if not name.startswith(LEASE_NAME) or _shard_count_of(name) == mine:
                continue
            if self.is_live(lease):
                raise DatabaseInUse(
                    f"another Pacer (process {lease.pid} on {lease.host}) runs the database at "
                    f"{self._db.where} with SHARD_COUNT={_shard_count_of(name)}, this process "
                    f"with SHARD_COUNT={mine}: their servers overlap; give every process the "
                    "same SHARD_COUNT, or stop that one first"
                )

    async def check_free(self) -> None:
        """Raise :class:`DatabaseInUse` if a live holder has the database (takes nothing)."""
        await self._check_layout()
        for name in self.names:
            lease = await self._repo.get(name)
            if lease is not None and self.is_live(lease):
                raise DatabaseInUse(self.describe(lease))

    async def acquire(self) -> None:
        """Become the holder.

        Raises:
            DatabaseInUse: a live holder has the database (or one of this process's shards);
                nothing is then held.
        """
        await self._check_layout()
        taken: list[str] = []
        try:
            for name in self.names:
                await self._acquire(name)
                taken.append(name)
        except BaseException:
            for name in taken:
                await self._repo.release(name, self.holder)
            raise

    async def acquire_when_free(self, poll_s: float = 5.0) -> None:
        """Become the holder, waiting while a live holder has any of the leases (a rolling
        restart's old process, or one configured for the same shards by mistake: said once in
        the log at WARNING, then every 10 minutes)."""
        waited = 0.0
        while True:
            try:
                await self.acquire()
            except DatabaseInUse as exc:
                if waited % 600 < poll_s:
                    log.warning(
                        "Waiting to post: %s. Posting starts once it stops (or, if it was "
                        "killed, %d minutes after its last heartbeat)",
                        exc,
                        self.ttl.total_seconds() // 60,
                    )
                await asyncio.sleep(poll_s)
                waited += poll_s
            else:
                if waited:
                    log.warning("Took over after waiting %.0f s", waited)
                return

    async def _acquire(self, name: str) -> None:
        now = self._clock.now()
        lease = await self._repo.get(name)
        if lease is not None and self.is_live(lease):
            raise DatabaseInUse(self.describe(lease))
        if lease is not None and lease.holder != self.holder:
            log.warning(
                "Taking over the database from a Pacer that stopped (process %d on %s)",
                lease.pid,
                lease.host,
            )
        taken = await self._repo.take(
            name,
            self.holder,
            self.host,
            self.pid,
            now,
            now + self.ttl,
            replacing=None if lease is None else lease.holder,
        )
        if not taken:
            raise DatabaseInUse(
                f"another Pacer started on the database at {self._db.where} at the same moment"
            )

    async def release(self) -> None:
        if self._lost is None:
            for name in self.names:
                await self._repo.release(name, self.holder)

    def mark_lost(self, reason: str) -> None:
        if self._lost is None:
            self._lost = reason

    @property
    def lost(self) -> str | None:
        """Why this instance may no longer post, or None."""
        return self._lost

    def _check_file(self) -> str | None:
        return self._db.file_problem()

    async def still_ours(self) -> bool:
        """Checked before posting: the file is the one opened and the lease is still ours."""
        if self._lost is not None:
            return False
        problem = self._check_file()
        for name in self.names if problem is None else ():
            lease = await self._repo.get(name)
            if lease is None or lease.holder != self.holder:
                problem = "another Pacer took over the database"
                break
        if problem is not None:
            self._lost = problem
        return problem is None

    async def heartbeat(self) -> bool:
        """Renew the lease; False (and :attr:`lost` says why) if this instance must stop."""
        if self._lost is not None:
            return False
        self._lost = self._check_file()
        if self._lost is not None:
            return False
        now = self._clock.now()
        for name in self.names:
            if not await self._repo.renew(name, self.holder, now, now + self.ttl):
                self._lost = "another Pacer took over the database"
                return False
        return True


Stop = Callable[[str], Awaitable[None]]
