"""Fail when a module imports across Pacer's layers (run by CI and by tests/test_layers.py).

Rules (STYLE.md): bot/domain imports neither discord, aiosqlite, the clock nor anything with
I/O; bot/services and the outbox's service and rules never import discord; bot/ui never imports
the database layer. Every import statement counts, including those inside functions and under
``TYPE_CHECKING`` (a type-only import still ties the layers together), relative imports
(resolved against the file's package) and ``importlib.import_module``/``__import__`` of a literal
name.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: (folder or file, banned module prefixes, why)
RULES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    (
        "bot/domain",
        (
            "discord",
            "aiosqlite",
            "sqlite3",
            "bot.clock",
            "bot.db",
            "bot.services",
            "bot.outbox",
            "apscheduler",
        ),
        "the domain is pure: no Discord, no database, no clock",
    ),
    (
        "bot/outbox/kinds.py",
        ("discord", "aiosqlite", "sqlite3", "bot.clock", "bot.db"),
        "delivery rules are pure",
    ),
    (
        "bot/outbox/views.py",
        ("discord", "aiosqlite", "sqlite3", "bot.clock", "bot.db"),
        "view models are pure",
    ),
    ("bot/services", ("discord",), "services don't know Discord"),
    ("bot/outbox/service.py", ("discord",), "the outbox's database half doesn't know Discord"),
    ("bot/outbox/publisher.py", ("discord",), "the publisher posts only through the Poster"),
    ("bot/ui", ("bot.db", "aiosqlite", "sqlite3"), "the UI doesn't touch the database"),
)


def _package_of(path: Path, root: Path) -> list[str]:
    """``bot/domain/pace.py`` -> ``["bot", "domain"]`` (``__init__.py`` is its own package)."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    return parts if parts[-1] != "__init__" else parts[:-1]


def imported_modules(path: Path, root: Path = ROOT) -> list[tuple[int, str]]:
    """Every module ``path`` imports, absolute: relative imports are resolved against its
    package, and ``importlib.import_module("x")`` / ``__import__("x")`` with a literal count."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _package_of(path, root)
    if path.name != "__init__.py":
        package = package[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                base = node.module or ""
            else:
                up = package[: len(package) - (node.level - 1)] if node.level > 1 else package
                base = ".".join([*up, *([node.module] if node.module else [])])
            if base:
                found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}".lstrip(".")) for alias in node.names]
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            first = node.args[0]
            if (
                name in ("import_module", "__import__")
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
            ):
                found.append((node.lineno, first.value))
    return found


def _banned(module: str, prefixes: tuple[str, ...]) -> str | None:
    for prefix in prefixes:
        if module == prefix or module.startswith(prefix + "."):
            return prefix
    return None


def violations(root: Path = ROOT) -> list[str]:
    problems: list[str] = []
    for where, prefixes, why in RULES:
        base = root / where
        files = [base] if base.suffix == ".py" else sorted(base.rglob("*.py"))
        for path in files:
            seen: set[tuple[int, str]] = set()
            for line, module in imported_modules(path, root):
                prefix = _banned(module, prefixes)
                if prefix is None or (line, prefix) in seen:
                    continue
                seen.add((line, prefix))
                problems.append(f"{path.relative_to(root)}:{line}: imports {module} ({why})")
    return problems


def main() -> int:
    problems = violations()
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} layer violation(s)", file=sys.stderr)
        return 1
    print("Layers ok: domain, services, outbox rules and ui import only downward.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
