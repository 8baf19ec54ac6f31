"""What an operator reads agrees with what Pacer does: .env.example, README and the systemd unit."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import Settings, _EnvSettings

ROOT = Path(__file__).resolve().parents[1]


def _env_example() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def _default(name: str) -> str:
    value = Settings.model_fields[name.lower()].default
    return "" if value is None else str(value)


def test_env_example_lists_every_setting_with_its_default() -> None:
    example = _env_example()
    assert set(example) == {name.upper() for name in _EnvSettings.model_fields}
    for name, value in example.items():
        assert value == _default(name), name


def test_readme_settings_table_agrees_with_the_defaults() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([A-Z_]+)` \| ([^|]+) \|", readme, flags=re.MULTILINE))
    assert set(rows) >= {name.upper() for name in _EnvSettings.model_fields}
    for name in _EnvSettings.model_fields:
        shown = rows[name.upper()].strip().strip("`")
        assert shown == (_default(name) or "none"), name


@pytest.mark.parametrize(
    ("source", "installed"),
    [("pacer.service", "pacer.service"), ("pacer@.service", "pacer@0-3.service")],
)
def test_the_systemd_unit_verifies(tmp_path: Path, source: str, installed: str) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed here (.ci/run installs it)")
    unit = (ROOT / "deploy" / source).read_text(encoding="utf-8")
    # The unit names /opt/pacer; verify it against this checkout, whose venv runs the tests.
    venv = Path(sys.prefix)
    local = unit.replace("/opt/pacer/.venv", str(venv)).replace("/opt/pacer", str(ROOT))
    target = tmp_path / installed
    target.write_text(local, encoding="utf-8")
    result = subprocess.run(
        [analyze, "verify", str(target)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert target.name not in result.stderr, result.stderr


def test_the_unit_runs_the_bot_from_its_folder_and_stops_it_gracefully() -> None:
    unit = (ROOT / "deploy" / "pacer.service").read_text(encoding="utf-8")
    assert "ExecStart=/opt/pacer/.venv/bin/python -m bot run" in unit
    assert "WorkingDirectory=/opt/pacer" in unit
    assert "KillSignal=SIGINT" in unit  # main() turns Ctrl-C into a clean close
    assert "RestartPreventExitStatus=2" in unit  # exit 2: configuration, not a crash


def test_the_sharded_unit_runs_its_instance_shards() -> None:
    unit = (ROOT / "deploy" / "pacer@.service").read_text(encoding="utf-8")
    assert "Environment=SHARD_IDS=%i" in unit
    assert "ExecStart=/opt/pacer/.venv/bin/python -m bot run" in unit
    assert "KillSignal=SIGINT" in unit  # leases given back on stop
