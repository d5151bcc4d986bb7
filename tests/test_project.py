"""The project's own promises: README commands, documented codes, help examples, one-way imports."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from kinerja_xl.cli import app
from kinerja_xl.findings.codes import REGISTRY

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _readme_commands() -> list[str]:
    block = re.search(r"```bash\n(.*?)```", README, re.S).group(1)
    return [line for line in block.splitlines() if line and not line.startswith("#")]


def test_readme_opens_with_two_commands_and_ci_runs_the_test_one():
    commands = _readme_commands()
    assert len(commands) == 2
    assert "kinerja-xl" in commands[0] and "pytest" in commands[1]
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_code_is_documented_in_readme():
    documented = set(re.findall(r"^\| `([a-z0-9-]+)` \|", README, re.M))
    assert documented == set(REGISTRY)


def test_codes_are_kebab_case_with_indonesian_text():
    for code, kind in REGISTRY.items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code)
        assert kind.title and kind.template


def _commands(group, prefix: str = ""):
    """Every command users are shown (a hidden old name, ``templates``, is not)."""
    for name, cmd in group.commands.items():
        if getattr(cmd, "hidden", False):
            continue
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}", cmd


def test_every_command_help_ends_with_an_example():
    root = typer.main.get_command(app)
    found = list(_commands(root))
    assert {"validate", "template new", "template set"} <= {name for name, _ in found}
    for name, cmd in found:
        assert "Contoh: kinerja-xl" in (cmd.help or ""), name


def test_core_never_imports_the_shells():
    pattern = re.compile(r"^\s*(import|from)\s+(typer|rich|xlwings)\b", re.M)
    for path in (ROOT / "kinerja_xl").rglob("*.py"):
        rel = path.relative_to(ROOT / "kinerja_xl").parts
        if rel[0] in ("cli", "addin") or rel[-1] == "__main__.py":
            continue
        assert not pattern.search(path.read_text(encoding="utf-8")), path


def test_every_command_is_in_the_readme():
    root = typer.main.get_command(app)
    for name, _ in _commands(root):
        assert f"kinerja-xl {name}" in README, name


def test_version_is_the_installed_package_version():
    from importlib.metadata import version

    from typer.testing import CliRunner

    for flag in ("--version", "--versi"):
        result = CliRunner().invoke(app, [flag])
        assert result.exit_code == 0 and result.output.strip() == f"kinerja-xl {version('kinerja_xl')}"
    assert version("kinerja_xl") in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
