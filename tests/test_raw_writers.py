"""No file is opened for writing anywhere in reviewtui except through `storage/safe_files.py`.

A new `open(path, "w")`, `write_text` or `shutil.copy` would write through a link that a
cloned repository put there; this scan of the source finds one before it ships. The behaviour
itself is tested in test_safe_writes.py.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).parent.parent / "src" / "reviewtui"

# No raw writer can slip in --------------------------------------------------------------

# Where a raw write is allowed, and why: the primitive itself; atomic_write's temp file, which
# mkstemp makes new (O_EXCL|O_NOFOLLOW) and which is fstat-checked before os.fdopen writes it;
# stdout pointed at /dev/null in cli/__init__.py after the reader of a pipe left.
ALLOWED = {
    ("storage/safe_files.py", "os.open"),
    ("storage/atomic.py", "tempfile.mkstemp"),
    ("storage/atomic.py", "os.fdopen"),
    ("cli/__init__.py", "os.open"),
    # Opens read-only (O_RDONLY|O_NONBLOCK), never a writer: the read primitive.
    ("storage/reading.py", "os.open"),
    # Opens O_RDONLY|O_NOFOLLOW only to fchmod the descriptor opened: writes no byte.
    ("storage/privacy.py", "os.open"),
}
# Calls that write whatever they are called on, and calls that write when their module is this one.
_ANY_OWNER = {"write_text", "write_bytes", "touch"}
_OWNED = {
    "os": {"open", "fdopen", "mknod", "mkfifo", "truncate"},
    "shutil": {"copy", "copy2", "copyfile", "copytree", "move"},
    "tempfile": {"mkstemp", "NamedTemporaryFile", "TemporaryFile", "SpooledTemporaryFile"},
}


def _writing_mode(call: ast.Call, position: int) -> bool:
    """An `open(...)` call's mode writes unless it is a constant without w, a, x or +."""
    mode = call.args[position] if len(call.args) > position else None
    mode = next((kw.value for kw in call.keywords if kw.arg == "mode"), mode)
    if mode is None:
        return False
    return not (
        isinstance(mode, ast.Constant) and isinstance(mode.value, str) and not set(mode.value) & set("wax+")
    )


def _writing_flags(call: ast.Call) -> bool:
    """`os.open(path, flags)`: the flags name a way to write (or are not spelt out)."""
    if len(call.args) < 2:
        return True
    names = {node.attr for node in ast.walk(call.args[1]) if isinstance(node, ast.Attribute)}
    return bool(names & {"O_WRONLY", "O_RDWR", "O_CREAT", "O_APPEND", "O_TRUNC"}) or not names


def raw_writers(source: str) -> list[tuple[int, str]]:
    """Calls in `source` that open or make a file for writing without the safe_files primitive."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else ""
        if owner == "os" and name == "open" and not _writing_flags(node):
            continue  # a folder opened to fsync it, read-only
        if name in _OWNED.get(owner, ()):
            found.append((node.lineno, f"{owner}.{name}"))
        elif (
            isinstance(func, ast.Name) and any(name in names for names in _OWNED.values()) and name != "open"
        ):
            found.append((node.lineno, name))  # imported bare: `from shutil import copyfile`
        elif name == "open" and _writing_mode(node, 1 if isinstance(func, ast.Name) else 0):
            found.append((node.lineno, "open"))
        elif name in _ANY_OWNER and isinstance(func, ast.Attribute):
            found.append((node.lineno, name))
    return found


def test_no_file_is_opened_for_writing_except_through_the_safe_primitive() -> None:
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        for line, call in raw_writers(path.read_text()):
            if (relative, call) not in ALLOWED:
                offenders.append(f"{relative}:{line}: {call}")
    assert offenders == []


def test_the_scan_sees_each_kind_of_raw_writer() -> None:
    source = (
        "open(p, 'w')\nopen(p, mode='ab')\np.open('x')\np.write_text('')\np.write_bytes(b'')\n"
        "shutil.copyfile(a, b)\nos.open(p, os.O_WRONLY)\ntempfile.mkstemp()\nopen(p, 'rb')\nopen(p)\n"
        "os.open(p, os.O_RDONLY)\nrows.copy()\nfrom shutil import copy2\ncopy2(a, b)\n"
    )
    assert [call for _, call in raw_writers(source)] == [
        "open", "open", "open", "write_text", "write_bytes", "shutil.copyfile", "os.open", "tempfile.mkstemp", "copy2",
    ]  # fmt: skip
