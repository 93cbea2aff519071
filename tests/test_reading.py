"""`read_capped`, the one way reviewtui reads a file, and a scan that keeps it the only one."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

from reviewtui.errors import LoadError
from reviewtui.storage.reading import read_capped

SOURCE = Path(__file__).parent.parent / "src" / "reviewtui"
# Calls that read a file's content (or copy it) whatever it is and however long.
READERS = {"os.read", "json.load", "tomllib.load", "io.open", "codecs.open"}
READER_METHODS = {"read_text", "read_bytes", "copyfile", "copy", "copy2", "copyfileobj"}
# os.open flags that make an opening a write, a creation or a folder's: not a read of content.
NOT_READING_FLAGS = {"O_WRONLY", "O_CREAT", "O_DIRECTORY"}
# Openings that read, allowed each for a reason.
ALLOWED = {
    ("storage/reading.py", "os.open"): "the read primitive itself",
    ("storage/reading.py", "os.read"): "the read primitive itself",
    ("storage/atomic.py", "os.open"): "opens a folder to fsync it",
    (
        "storage/repository.py",
        "os.read",
    ): "reads .gitignore, capped, through the checked descriptor it appends to",
    ("storage/safe_files.py", "os.open"): "the write primitive (O_RDWR only for .gitignore's append)",
    ("storage/privacy.py", "os.open"): "opens a file to fchmod it (O_NOFOLLOW), never reads it",
}


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return node.id if isinstance(node, ast.Name) else "?"


def _only_writes(call: ast.Call, mode_at: int) -> bool:
    """An open() whose mode is a literal that only writes: w, a or x, without +."""
    mode = call.args[mode_at] if len(call.args) > mode_at else None
    mode = next((k.value for k in call.keywords if k.arg == "mode"), mode)
    text = mode.value if isinstance(mode, ast.Constant) and isinstance(mode.value, str) else "r"
    return bool(set("wax") & set(text)) and "+" not in text


def _reads(call: ast.Call) -> bool:
    name = _dotted(call.func)
    if name in READERS:
        return True
    if name == "os.open":
        flags = (
            {node.attr for node in ast.walk(call.args[1]) if isinstance(node, ast.Attribute)}
            if len(call.args) > 1
            else set()
        )
        return not flags & NOT_READING_FLAGS
    if name in ("open", "os.fdopen"):
        return not _only_writes(call, 1)
    if isinstance(call.func, ast.Attribute) and call.func.attr == "open":  # Path.open(mode)
        return not _only_writes(call, 0)
    return isinstance(call.func, ast.Attribute) and call.func.attr in READER_METHODS


def raw_readers(source: Path = SOURCE) -> list[str]:
    """`file:line: call()` for every call under `source` that reads a file other than by read_capped."""
    found = []
    for path in sorted(source.rglob("*.py")):
        where = path.relative_to(source).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _reads(node) and (where, _dotted(node.func)) not in ALLOWED:
                found.append((where, node.lineno, f"{_dotted(node.func)}()"))
    return [f"{where}:{line}: {call}" for where, line, call in sorted(found)]


def test_no_file_is_read_except_through_read_capped() -> None:
    assert raw_readers() == [], "read files with storage/reading.read_capped: regular files only, with a cap"


def test_the_scan_finds_each_kind_of_raw_reader(tmp_path: Path) -> None:
    (tmp_path / "storage").mkdir()
    (tmp_path / "storage" / "sneaky.py").write_text(
        "import os, json, shutil\n"
        "def a(p): return p.read_bytes()\n"
        "def b(p): return open(p).read()\n"
        "def c(p): open(p, 'ab').write(b'')\n"
        "def d(p): return p.open('r+').read()\n"
        "def e(p): return os.read(os.open(p, os.O_RDONLY), 10)\n"
        "def f(p): return os.open(p, os.O_WRONLY | os.O_CREAT)\n"
        "def g(p): return json.load(p.open('rb'))\n"
        "def h(p, q): shutil.copyfile(p, q)\n"
    )
    assert raw_readers(tmp_path) == [
        "storage/sneaky.py:2: p.read_bytes()",
        "storage/sneaky.py:3: open()",
        "storage/sneaky.py:5: p.open()",
        "storage/sneaky.py:6: os.open()",
        "storage/sneaky.py:6: os.read()",
        "storage/sneaky.py:8: json.load()",
        "storage/sneaky.py:8: p.open()",
        "storage/sneaky.py:9: shutil.copyfile()",
    ]


def test_a_file_at_its_cap_is_read_and_one_byte_more_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "f.toml"
    path.write_bytes(b"x" * 100)
    assert read_capped(path, max_bytes=100, what="record") == b"x" * 100
    path.write_bytes(b"x" * 101)
    with pytest.raises(LoadError) as refused:
        read_capped(path, max_bytes=100, what="record", too_large="is too long; shorten it")
    assert str(refused.value) == f"{path}:1: is too long; shorten it"


def test_a_link_is_followed_only_when_asked(tmp_path: Path) -> None:
    target = tmp_path / "target.json"
    target.write_bytes(b"{}")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert read_capped(link, max_bytes=10, what="cache") == b"{}"
    with pytest.raises(LoadError) as refused:
        read_capped(link, max_bytes=10, what="cache", follow_symlinks=False)
    assert str(refused.value) == (
        f"{link}: cannot read this cache: it is a symbolic link; reviewtui reads the file itself, not a link"
    )


def test_a_folder_and_a_missing_file_keep_their_plain_reasons(tmp_path: Path) -> None:
    for path, reason in (
        (tmp_path, "this is a folder, not a file"),
        (tmp_path / "no", "no such file or folder"),
    ):
        with pytest.raises(LoadError) as refused:
            read_capped(path, max_bytes=10, what="record")
        assert str(refused.value) == f"{path}: cannot read this record: {reason}"


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    # A writer that is there: the content would come, but a FIFO is still not a file to read.
    reader_end = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    writer = os.open(fifo, os.O_WRONLY)
    os.write(writer, b"schema_version = 1\n")
    try:
        with pytest.raises(LoadError, match="named pipe"):
            read_capped(fifo, max_bytes=10, what="record")
    finally:
        os.close(writer)
        os.close(reader_end)
