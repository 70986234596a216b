"""``python -m hpgsim.cli``: the same command as the ``hpgsim`` console script."""

from hpgsim.cli.commands import main

main()
