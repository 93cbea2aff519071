"""`python -m reviewtui`: the same as the `reviewtui` command."""

from reviewtui.cli import main

if __name__ == "__main__":  # not when a spawned worker process imports this module
    raise SystemExit(main())
