"""`reviewtui serve` and `reviewtui join` refuse what is unsafe before anything starts; join links parse."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reviewtui.cli import main
from reviewtui.room.addresses import is_loopback
from reviewtui.room.links import LinkError, parse_link

TOKEN = "Qm9iIGlzIG5vdCBhIHRva2VuIGJ1dCBsb25nIGVub3VnaA"


@given(
    scheme=st.sampled_from(["http", "https"]),
    host=st.sampled_from(["127.0.0.1", "localhost", "review.example.com", "::1"]),
    port=st.integers(1, 65535),
    token=st.text(
        alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-", min_size=20, max_size=64
    ),
)
def test_a_link_reads_back_as_itself(scheme: str, host: str, port: int, token: str) -> None:
    link = parse_link(
        parse_link(f"{scheme}://{'[' + host + ']' if ':' in host else host}:{port}/j/{token}/").page
    )
    assert (link.scheme, link.host, link.port, link.token) == (scheme, host, port, token)
    assert link.sync_url.endswith(f"/j/{token}/crdt")
    assert link.sync_url.startswith("wss://" if scheme == "https" else "ws://")


@pytest.mark.parametrize(
    "text",
    [
        f"ftp://127.0.0.1:1/j/{TOKEN}/",
        f"http://127.0.0.1:99999/j/{TOKEN}/",
        f"http:///j/{TOKEN}/",
        f"http://127.0.0.1:8000/x/{TOKEN}/",
        f"http://127.0.0.1:8000/j/{TOKEN}/?width=3",
        f"http://someone:secret@127.0.0.1:8000/j/{TOKEN}/",
        "http://127.0.0.1:8000/j/short/",
        f"http://127.0.0.1:8000/j/{TOKEN}/crdt/../../",
        "x" * 5000,
    ],
)
def test_what_is_not_a_join_link_is_refused_without_repeating_it(text: str) -> None:
    with pytest.raises(LinkError) as refused:
        parse_link(text)
    assert TOKEN not in str(refused.value) and "secret" not in str(refused.value)


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("10.0.0.5", False),
        ("::", False),
    ],
)
def test_only_loopback_addresses_are_this_machine_only(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_serve_on_another_address_needs_tls_or_insecure(tmp_path: Path, capsys) -> None:
    assert main(["--sessions", str(tmp_path), "serve", "--host", "0.0.0.0"]) == 2
    said = capsys.readouterr().err
    assert "in clear" in said and "--certfile" in said and "--insecure" in said
    assert main(["--sessions", str(tmp_path), "serve", "--certfile", str(tmp_path / "c.pem")]) == 2
    assert "both --certfile and --keyfile" in capsys.readouterr().err


def test_a_certificate_that_cannot_be_used_is_named(tmp_path: Path, capsys) -> None:
    (tmp_path / "cert.pem").write_text("not a certificate\n")
    (tmp_path / "key.pem").write_text("not a key\n")
    args = ["--sessions", str(tmp_path), "serve", "--certfile", str(tmp_path / "cert.pem")]
    assert main([*args, "--keyfile", str(tmp_path / "key.pem")]) == 2
    said = capsys.readouterr().err
    assert "cert.pem" in said and "key.pem" in said and "Traceback" not in said
    assert "not a certificate" not in said  # the files' content is never echoed


def test_a_real_certificate_is_taken(tmp_path: Path) -> None:
    from reviewtui.cli.room import tls_context

    made = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
        capture_output=True,
    )  # fmt: skip
    if made.returncode != 0:
        pytest.skip("openssl cannot make a test certificate here")
    assert tls_context(tmp_path / "cert.pem", tmp_path / "key.pem") is not None


def test_join_without_a_link_says_what_to_give(capsys, monkeypatch) -> None:
    monkeypatch.delenv("REVIEWTUI_JOIN_LINK", raising=False)
    assert main(["join"]) == 2
    assert "join link" in capsys.readouterr().err


def test_join_with_a_broken_link_says_so_without_echoing_it(capsys) -> None:
    assert main(["join", f"http://127.0.0.1:1/k/{TOKEN}/"]) == 2
    said = capsys.readouterr().err
    assert "not a reviewtui join link" in said and TOKEN not in said
