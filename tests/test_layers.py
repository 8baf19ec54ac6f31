"""The layer rules hold, and the check really catches a violation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from scripts.check_layers import ROOT, violations


def test_the_code_keeps_its_layers() -> None:
    assert violations() == []


def test_a_violation_is_caught(tmp_path: Path) -> None:
    for folder in ("bot/domain", "bot/services", "bot/ui", "bot/outbox"):
        (tmp_path / folder).mkdir(parents=True)
    for name in ("kinds.py", "views.py", "service.py", "publisher.py"):
        (tmp_path / "bot/outbox" / name).write_text("")
    (tmp_path / "bot/domain/bad.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import discord\n"
        "def f():\n    from bot import clock\n"
    )
    (tmp_path / "bot/services/bad.py").write_text("from discord.ext import tasks\n")
    (tmp_path / "bot/ui/bad.py").write_text("from bot.db.sessions_repo import SessionRow\n")
    found = violations(tmp_path)
    assert [line.split(":")[0] for line in found] == [
        "bot/domain/bad.py",
        "bot/domain/bad.py",
        "bot/services/bad.py",
        "bot/ui/bad.py",
    ]


def test_importing_the_domain_loads_neither_discord_nor_the_app() -> None:
    code = (
        "import sys, bot.domain.pace, bot.domain.workouts, bot.outbox.kinds; "
        "print(len(sys.modules), 'discord' in sys.modules, 'bot.app' in sys.modules, "
        "'aiosqlite' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out[1:] == ["False", "False", "False"]
    assert int(out[0]) < 150


def test_the_package_still_offers_create_bot() -> None:
    from bot import PacerBot, create_bot

    assert create_bot.__module__ == PacerBot.__module__ == "bot.app"
