"""The command line's one way out: standard output and error that no file name can take over.

Every message names what it prints with `shown.shown_path` / `shown.shown_text`; this is the
last line of defence behind them, for whatever a message forgot (an error text built deep in
storage, argparse echoing an argument): while a command runs, `sys.stdout` and `sys.stderr`
pass text through `shown.terminal_text`, which keeps the message's own newlines and tabs and
escapes control characters, C1 codes, bidi overrides and isolates, and lone surrogates (the bytes
of a file name that is not UTF-8, which would otherwise stop the command with an encoding error).

The app draws its screen on the terminal's own stream (`sys.__stderr__`), which this leaves alone.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import TextIO

from ..shown import terminal_text


class TerminalSafeStream:
    """A text stream that writes what it is given through `terminal_text`; everything else is the stream's."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(terminal_text(text))
        return len(text)

    def writelines(self, lines: list[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


@contextlib.contextmanager
def terminal_safe_output() -> Iterator[None]:
    """Standard output and error through `TerminalSafeStream` for the duration."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalSafeStream(saved[0]), TerminalSafeStream(saved[1])  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
