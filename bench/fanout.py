"""Benchmark: 500 sessions in 200 servers with a reminder due at the same instant, posted by the
real publisher against a model of Discord's rate limits.

SimCord has no rate limits, so the poster here models them itself, in wall time: each channel
takes at most 5 messages per 5 s and one reaction per 0.25 s, the bot at most 50 requests per
second in all, and every request takes 80 ms to answer. The real services, outbox and publisher
run on a real SQLite file (WAL, synchronous=FULL). First the 500 announcements are posted (each
followed by three reactions), then the clock moves to the instant the 500 one-hour reminders
fall due, where 10 sessions are cancelled at that same instant (10 cancel notices). Lateness is
the wall time from the start of the burst to the end of each post's request. "One at a time" is
the same publisher with one delivery in flight (what it did before). Asserts nothing.

Run: .venv/bin/python bench/fanout.py
"""

from __future__ import annotations

import asyncio
import collections
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.composition import build_core
from bot.outbox import publisher as publisher_module
from bot.outbox.poster import EventSeen, Posted, Target
from bot.outbox.publisher import Publisher
from bot.outbox.render import Post
from bot.services.access import Actor
from bot.services.sessions import SessionForm
from bot.settings import Settings

SERVERS = 200
SESSIONS = 500
CANCELLED = 10
LATENCY_S = 0.08
START = datetime(2026, 1, 3, 18, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.instant = datetime(2026, 1, 1, tzinfo=UTC)

    def now(self) -> datetime:
        return self.instant


class Window:
    """At most ``limit`` requests in any ``window_s`` (Discord answers 429 beyond; discord.py
    then waits, which is what this does at once)."""

    def __init__(self, limit: int, window_s: float) -> None:
        self.limit, self.window_s = limit, window_s
        self.times: collections.deque[float] = collections.deque()
        self.lock = asyncio.Lock()

    async def take(self) -> None:
        async with self.lock:
            while True:
                now = time.perf_counter()
                while self.times and now - self.times[0] >= self.window_s:
                    self.times.popleft()
                if len(self.times) < self.limit:
                    self.times.append(now)
                    return
                await asyncio.sleep(self.times[0] + self.window_s - now)


class ModelPoster:
    """Discord as the rate limits make it behave; records when each post completed."""

    def __init__(self) -> None:
        self.all = Window(50, 1.0)
        self.messages: dict[int, Window] = collections.defaultdict(lambda: Window(5, 5.0))
        self.reaction_windows: dict[int, Window] = collections.defaultdict(lambda: Window(1, 0.25))
        self.began = time.perf_counter()
        self.posted: list[tuple[float, str]] = []
        self.requests = 0
        self._next_id = 10**15

    async def _request(self, bucket: Window) -> None:
        await bucket.take()
        await self.all.take()
        self.requests += 1
        await asyncio.sleep(LATENCY_S)

    async def wait_ready(self) -> None:
        return None

    async def send(self, target: Target, post: Post, nonce: str) -> Posted:
        channel = target.channel_id or 0
        await self._request(self.messages[channel])
        self.posted.append((time.perf_counter() - self.began, post.content or "embed"))
        self._next_id += 1
        return Posted(channel, self._next_id)

    async def edit(self, posted: Posted, post: Post) -> None:
        await self._request(self.messages[posted.channel_id])

    async def find(
        self, target: Target, fingerprint: str, since: datetime, skip: Iterable[int]
    ) -> Posted | None:
        return None

    async def delete(self, posted: Posted) -> None:
        await self._request(self.messages[posted.channel_id])

    async def react(self, posted: Posted, emojis: Iterable[str]) -> None:
        for _ in emojis:
            await self._request(self.reaction_windows[posted.channel_id])

    async def reactions(self, posted: Posted, emojis: Iterable[str]) -> dict[str, dict[int, str]]:
        return {}

    async def can_manage_events(self, guild_id: int) -> bool:
        return False

    async def everyone_can_view(self, channel_id: int) -> bool:
        return True

    async def events(self, guild_id: int) -> list[EventSeen]:
        return []

    async def create_event(self, guild_id: int, draft: object) -> int:
        raise NotImplementedError

    async def update_event(self, *args: object) -> None:
        raise NotImplementedError

    async def delete_event(self, guild_id: int, event_id: int) -> None:
        return None

    async def thread_exists(self, thread_id: int) -> bool:
        return False

    async def open_thread(self, channel_id: int, message_id: int, name: str) -> int:
        raise NotImplementedError

    async def add_to_thread(self, thread_id: int, user_ids: list[int]) -> None:
        return None

    async def archive_thread(self, thread_id: int) -> None:
        return None


def describe(label: str, posted: list[tuple[float, str]], requests: int, took: float) -> None:
    reminders = [at for at, text in posted if text.startswith("Reminder") or "to go" in text]
    notices = [at for at, text in posted if "cancel" in text.lower()]
    others = [at for at, text in posted]
    line = f"  {label}: {len(others)} posts, {requests} requests in {took:.1f} s"
    if reminders:
        line += (
            f"; reminders late p50 {statistics.median(reminders):.1f} s,"
            f" last {max(reminders):.1f} s"
        )
    elif others:
        line += f"; last post {max(others):.1f} s late"
    if notices:
        line += f"; cancel notices last {max(notices):.1f} s"
    print(line)


async def run(concurrency: int) -> None:
    publisher_module.SEND_CONCURRENCY = concurrency
    with tempfile.TemporaryDirectory() as scratch:
        clock = Clock()
        settings = Settings(database_path=Path(scratch) / "bench.db", default_timezone="UTC")
        core = await build_core(settings, clock=clock)
        services = core.services
        admin = Actor(user_id=1, manage_guild=True, manage_events=True)
        sessions: list[tuple[int, int]] = []
        for guild in range(1, SERVERS + 1):
            await services.setup.set_channel(admin, guild, 10_000 + guild)
            await services.setup.set_reminders(admin, guild, "1h")
            await services.setup.set_discord_events(admin, guild, False)
        await services.outbox.replans_done()
        for n in range(SESSIONS):
            guild = n % SERVERS + 1
            outcome = await services.sessions.create(
                admin,
                guild,
                SessionForm(
                    title=f"Session {n}", date="2026-01-03", time="18:00", location="Track"
                ),
            )
            sessions.append((guild, outcome.sessions[0].id))
        print(f"one delivery in flight at a time: {concurrency == 1} (at most {concurrency})")

        poster = ModelPoster()
        publisher = Publisher(services.outbox, poster, clock=clock, coalesce=True)
        began = time.perf_counter()
        await publisher.process_due()
        describe("announcements", poster.posted, poster.requests, time.perf_counter() - began)

        clock.instant = START - timedelta(hours=1)
        for guild, session_id in sessions[:CANCELLED]:
            await services.sessions.cancel(admin, guild, str(session_id), "this", "storm")
        poster = ModelPoster()
        publisher = Publisher(services.outbox, poster, clock=clock, coalesce=True)
        began = time.perf_counter()
        await publisher.process_due()
        describe("reminders", poster.posted, poster.requests, time.perf_counter() - began)
        publisher.stop_soon()
        await core.close()


async def main() -> None:
    for concurrency in [int(arg) for arg in sys.argv[1:]] or (8, 1):
        await run(concurrency)


if __name__ == "__main__":
    asyncio.run(main())
