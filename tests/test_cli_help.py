"""The command line explains itself (issue #21): every command's summary is one sentence that
the help listing does not break mid-phrase, and README's command block lists every command."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click
import typer
import typer.main

from hpgsim.cli import app

README = Path(__file__).resolve().parents[1] / "README.md"


def _commands(
    group: click.Group, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[str, click.Command]]:
    for name, cmd in sorted(group.commands.items()):
        yield " ".join((*prefix, name)), cmd
        if isinstance(cmd, click.Group) or hasattr(cmd, "commands"):
            yield from _commands(cmd, (*prefix, name))  # type: ignore[arg-type]


COMMANDS = dict(_commands(typer.main.get_command(app)))  # type: ignore[arg-type]


def test_every_summary_is_one_sentence_on_one_line() -> None:
    for path, cmd in COMMANDS.items():
        summary = (cmd.help or "").strip().split("\n\n")[0]
        assert summary, f"hpgsim {path}: no help"
        assert "\n" not in summary, f"hpgsim {path}: its summary spans lines: {summary!r}"
        assert summary.endswith("."), f"hpgsim {path}: {summary!r}"
        assert len(summary) <= 160, f"hpgsim {path}: {len(summary)} characters"


def test_readme_command_block_lists_every_command() -> None:
    text = README.read_text(encoding="utf-8")
    block = text.split("## Command line", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    listed = set(re.findall(r"^hpgsim ([a-z]+(?: [a-z]+)?)", block, flags=re.MULTILINE))
    leaves = [p for p, cmd in COMMANDS.items() if not hasattr(cmd, "commands")]
    missing = [p for p in leaves if p not in listed]
    assert not missing, f"README's command block does not list: {missing}"


def test_a_closed_pipe_stops_quietly() -> None:
    """`hpgsim model show | head -1`: when the reader goes away, a command stops with status
    141 (as a shell reports SIGPIPE), without an internal error or a traceback."""
    from typer.testing import CliRunner

    from hpgsim.cli.common import HpgsimGroup

    demo = typer.Typer(cls=HpgsimGroup)

    @demo.command()
    def write() -> None:
        raise BrokenPipeError(32, "Broken pipe")

    @demo.command()
    def other() -> None:  # two commands: typer keeps the group
        pass

    result = CliRunner().invoke(demo, ["write"])
    assert result.exit_code == 141, result.output
    assert "internal error" not in result.output and "Traceback" not in result.output
