"""Slow interaction work is deferred before Discord's 3-second deadline; fast work is not.

The interaction is a stand-in for discord.py's (its response half only): this is about when
Pacer defers, not about Discord.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot import tree
from bot.tree import in_time


class Response:
    def __init__(self) -> None:
        self.deferred: list[dict[str, Any]] = []
        self.deferring = asyncio.Event()

    def is_done(self) -> bool:
        return bool(self.deferred)

    async def defer(self, **options: Any) -> None:
        self.deferred.append(options)
        self.deferring.set()


class Interaction:
    def __init__(self) -> None:
        self.response = Response()


async def test_fast_work_is_answered_without_deferring() -> None:
    interaction = Interaction()

    async def work() -> str:
        return "saved"

    assert await in_time(interaction, work()) == "saved"  # type: ignore[arg-type]
    assert interaction.response.deferred == []


async def test_slow_work_is_deferred_privately_then_returns_its_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tree, "DEFER_AFTER_S", 0.01)
    interaction = Interaction()
    release = asyncio.Event()

    async def work() -> str:
        await release.wait()
        return "saved"

    pending = asyncio.ensure_future(in_time(interaction, work()))  # type: ignore[arg-type]
    await interaction.response.deferring.wait()
    assert interaction.response.deferred == [{"ephemeral": True, "thinking": True}]
    assert not pending.done()  # nothing is answered before the work is done
    release.set()
    assert await pending == "saved"


async def test_an_error_in_slow_work_still_reaches_the_caller(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tree, "DEFER_AFTER_S", 0.01)
    interaction = Interaction()

    async def work() -> None:
        await asyncio.sleep(0.05)
        raise ValueError("days: announce from 0 to 28 days ahead")

    with pytest.raises(ValueError, match="days"):
        await in_time(interaction, work())  # type: ignore[arg-type]
    assert interaction.response.deferred
