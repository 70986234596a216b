"""The ``hpgsim`` command line (typer): a thin layer that parses, calls the library and writes.

``hpgsim.cli.app`` is the typer app and ``hpgsim.cli.main`` the console-script entry point
(both defined in :mod:`hpgsim.cli.commands`);
``python -m hpgsim.cli`` runs the same command.
"""

from hpgsim.cli.commands import app, main

__all__ = ["app", "main"]
