"""Where each key of a TOML document is, so errors can name a line.

tomllib gives values but no positions; this scanner walks text that tomllib
has already accepted and records the line of every table header, key and
array element, keyed by the same paths pydantic uses (`("metrics", 2, "weight")`).
"""

from __future__ import annotations

import contextlib
import re
import tomllib

Path = tuple[str | int, ...]
# A basic string's content: anything but its closing quote, with escapes taken two characters at a time.
_BASIC = re.compile(r'(?:[^"\\\n]|\\.)*')
_BASIC_MULTILINE = re.compile(r'(?:[^"\\]|\\.|"(?!""))*', re.DOTALL)
_BARE = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


class _Scanner:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self.line = 1
        self.lines: dict[Path, int] = {}
        self.aot_index: dict[Path, int] = {}

    def peek(self, count: int = 1) -> str:
        return self.text[self.pos : self.pos + count]

    def advance(self, count: int = 1) -> None:
        self.line += self.text.count("\n", self.pos, self.pos + count)
        self.pos += count

    def at_end(self) -> bool:
        return self.pos >= len(self.text)

    def skip_blank(self, newlines: bool) -> None:
        while not self.at_end():
            char = self.text[self.pos]
            if char in " \t" or (newlines and char in "\r\n"):
                self.advance()
            elif char == "#":
                end = self.text.find("\n", self.pos)
                self.advance((len(self.text) if end < 0 else end) - self.pos)
            else:
                return

    def record(self, path: Path) -> None:
        self.lines.setdefault(path, self.line)

    def string(self) -> str:
        """Skip a string of any of the four kinds and return its rough content.

        Found with one regular expression or search each, not a character at a time:
        a record may hold texts of 20,000 characters, and a bad one is scanned to
        name its line.
        """
        for delim, body in (('"""', _BASIC_MULTILINE), ("'''", None)):
            if self.peek(3) == delim:
                self.advance(3)
                start = self.pos
                if body is not None:
                    end = body.match(self.text, start).end()
                else:
                    found = self.text.find(delim, start)
                    end = len(self.text) if found < 0 else found
                self.advance(end - start)
                content = self.text[start:end]
                self.advance(3)
                while self.peek() == delim[0]:  # up to two quotes may close the content
                    self.advance()
                return content
        quote = self.peek()
        self.advance()
        start = self.pos
        if quote == '"':
            end = _BASIC.match(self.text, start).end()
        else:
            ends = [
                found for found in (self.text.find(quote, start), self.text.find("\n", start)) if found >= 0
            ]
            end = min(ends, default=len(self.text))
        self.advance(end - start)
        content = self.text[start:end]
        self.advance()
        return content

    def key(self) -> tuple[str, ...]:
        parts: list[str] = []
        while not self.at_end():
            self.skip_blank(newlines=False)
            if self.peek() == '"':
                parts.append(_unescaped(self.string()))
            elif self.peek() == "'":
                parts.append(self.string())
            else:
                start = self.pos
                while not self.at_end() and self.peek() in _BARE:
                    self.advance()
                if self.pos == start:
                    break
                parts.append(self.text[start : self.pos])
            self.skip_blank(newlines=False)
            if self.peek() != ".":
                break
            self.advance()
        return tuple(parts)

    def value(self, path: Path) -> None:
        char = self.peek()
        if char in ('"', "'"):
            self.string()
        elif char == "[":
            self.advance()
            index = 0
            while not self.at_end():
                self.skip_blank(newlines=True)
                if self.peek() == "]":
                    self.advance()
                    return
                self.record((*path, index))
                self.value((*path, index))
                self.skip_blank(newlines=True)
                if self.peek() == ",":
                    self.advance()
                    index += 1
        elif char == "{":
            self.advance()
            while not self.at_end():
                self.skip_blank(newlines=False)
                if self.peek() == "}":
                    self.advance()
                    return
                key = self.key()
                self.record((*path, *key))
                self.skip_blank(newlines=False)
                if self.peek() == "=":
                    self.advance()
                self.skip_blank(newlines=False)
                self.value((*path, *key))
                self.skip_blank(newlines=False)
                if self.peek() == ",":
                    self.advance()
                elif self.peek() != "}":
                    self.advance()  # never loop on text tomllib would have refused
        else:
            start = self.pos
            while not self.at_end() and self.peek() not in ",]}\r\n#":
                self.advance()
            if self.pos == start:
                self.advance()

    def resolve(self, parts: tuple[str, ...]) -> Path:
        path: Path = ()
        for part in parts:
            path = (*path, part)
            if path in self.aot_index:
                path = (*path, self.aot_index[path])
        return path

    def header(self) -> Path:
        is_array = self.peek(2) == "[["
        self.advance(2 if is_array else 1)
        parts = self.key()
        self.skip_blank(newlines=False)
        self.advance(2 if is_array else 1)
        # Implicit parent tables ([a] in [a.b]) are found at their first child's header.
        for end in range(1, len(parts)):
            self.record(self.resolve(parts[:end]))
        if not is_array:
            path = self.resolve(parts)
            self.record(path)
            return path
        table = (*self.resolve(parts[:-1]), parts[-1]) if parts else ()
        self.record(table)
        self.aot_index[table] = self.aot_index.get(table, -1) + 1
        path = (*table, self.aot_index[table])
        self.record(path)
        return path

    def document(self) -> None:
        table: Path = ()
        while True:
            self.skip_blank(newlines=True)
            if self.at_end():
                return
            if self.peek() == "[":
                table = self.header()
                continue
            key = self.key()
            if not key:
                self.advance()
                continue
            full = (*table, *key)
            self.record(full)
            self.skip_blank(newlines=False)
            if self.peek() == "=":
                self.advance()
            self.skip_blank(newlines=False)
            self.value(full)


def _unescaped(content: str) -> str:
    """A quoted key's name as tomllib reads it (`"\\u001b"` is the escape character), so paths match."""
    if "\\" not in content:
        return content
    try:
        return next(iter(tomllib.loads(f'"{content}" = 0')))
    except (tomllib.TOMLDecodeError, StopIteration):
        return content


def key_lines(text: str) -> dict[Path, int]:
    """Map each key path found in valid TOML text to its 1-based line number."""
    scanner = _Scanner(text)
    with contextlib.suppress(IndexError, ValueError):  # lines are a help, not a promise
        scanner.document()
    return scanner.lines


def line_for(lines: dict[Path, int], path: Path) -> int | None:
    """The line of `path`, or of its nearest enclosing key or table that exists."""
    for end in range(len(path), 0, -1):
        line = lines.get(path[:end])
        if line is not None:
            return line
    return None
