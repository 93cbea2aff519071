"""`reviewtui serve` (the host of a live shared session) and `reviewtui join LINK` (a participant)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..errors import ReviewtuiError
from ..room.addresses import is_loopback
from ..shown import shown_path
from .options import EXIT_INVALID, EXIT_USAGE
from .starting import catalog_reader, confidential_environment

JOIN_LINK_VARIABLE = "REVIEWTUI_JOIN_LINK"


class RefusedError(ReviewtuiError):
    """The command line asks for something unsafe or impossible; nothing was started."""


def tls_context(certfile: Path | None, keyfile: Path | None):  # -> ssl.SSLContext | None
    """The server's TLS context from --certfile/--keyfile, or None without them."""
    if certfile is None and keyfile is None:
        return None
    if certfile is None or keyfile is None:
        raise RefusedError("TLS needs both --certfile and --keyfile")
    import ssl

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        context.load_cert_chain(certfile, keyfile)
    except (OSError, ssl.SSLError) as error:
        reason = (
            getattr(error, "strerror", None)
            or getattr(error, "reason", None)
            or "not a PEM certificate and key"
        )
        raise RefusedError(
            f"cannot use the certificate {shown_path(certfile)} with the key {shown_path(keyfile)}: {reason}"
        ) from None
    return context


def room_options(args: argparse.Namespace):  # -> RoomOptions
    """Where the rooms listen, refused when another address would carry the review in clear."""
    from ..room.options import RoomOptions

    context = tls_context(args.certfile, args.keyfile)
    if not is_loopback(args.host) and context is None and not args.insecure:
        raise RefusedError(
            f"listening on {args.host} would send the review in clear over the network: give --certfile and "
            "--keyfile for TLS, or use an SSH tunnel to 127.0.0.1 (see the README), or --insecure if you must"
        )
    if not 0 <= args.port <= 65535:
        raise RefusedError(f"--port {args.port} is not a port (0 to 65535; 0 picks a free one)")
    command = [sys.executable, "-m", "reviewtui", "join"]
    return RoomOptions(host=args.host, port=args.port, ssl_context=context, participant_command=command)


def insecure_warning(args: argparse.Namespace) -> str | None:
    if args.insecure and not is_loopback(args.host) and args.certfile is None:
        return (
            f"warning: listening on {args.host} WITHOUT TLS (--insecure): anyone on the network path can read "
            "and change the review, and take the join links."
        )
    return None


def cmd_serve(args: argparse.Namespace) -> int:
    """Start the app as the host of a live shared session."""
    if refusal := confidential_environment(args):
        print(f"reviewtui: {refusal}", file=sys.stderr)
        return EXIT_USAGE
    try:
        options = room_options(args)
    except RefusedError as error:
        print(f"reviewtui: {error}", file=sys.stderr)
        return EXIT_USAGE
    warning = insecure_warning(args)
    if warning:
        print(f"reviewtui: {warning}", file=sys.stderr)
    catalog = catalog_reader(args)
    from ..ui.app import ReviewApp, run_app

    app = ReviewApp(args.sessions, catalog)
    app.room_options = options
    app.links_file = args.links
    code = run_app(sessions_dir=args.sessions, catalog=catalog, app=app)
    if warning:
        print(f"reviewtui: {warning}", file=sys.stderr)
    return code


def cmd_join(args: argparse.Namespace) -> int:
    """Take part in a host's live shared session from this terminal (or from a browser's page)."""
    from ..room.links import LinkError, parse_link

    given = args.link or os.environ.get(JOIN_LINK_VARIABLE, "")
    os.environ.pop(JOIN_LINK_VARIABLE, None)  # not handed on to anything this process starts
    if not given:
        print(
            f"reviewtui: give the join link the host sent you (or set {JOIN_LINK_VARIABLE})", file=sys.stderr
        )
        return EXIT_USAGE
    # The browser's page runs this with a single-use link over the host's private socket.
    internal = args.link is None and given.startswith("http+unix://")
    try:
        link = given.strip() if internal else parse_link(given).page
    except LinkError as error:
        print(f"reviewtui: {error}", file=sys.stderr)
        return EXIT_USAGE
    import asyncio

    from ..ui.room.join import run_joined

    try:
        said = asyncio.run(run_joined(link, cafile=str(args.cafile) if args.cafile else None))
    except LinkError as error:
        print(f"reviewtui: {error}", file=sys.stderr)
        return EXIT_USAGE
    except ReviewtuiError as error:
        print(f"reviewtui: {error}", file=sys.stderr)
        return EXIT_INVALID
    if said:
        print(f"reviewtui: {said}", file=sys.stderr)
        return EXIT_INVALID
    return 0


COMMANDS = {"serve": cmd_serve, "join": cmd_join}
