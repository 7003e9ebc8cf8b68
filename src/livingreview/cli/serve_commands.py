"""`serve` (the team's web app) and `users add` (its accounts)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from livingreview.cli._common import emit, json_option
from livingreview.errors import BadInput
from livingreview.project import Review
from livingreview.store.users import ACCOUNT_ROLES, add_user

project_dir = click.argument("directory", type=click.Path(file_okay=False, path_type=Path))


@click.command()
@project_dir
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the default serves this machine only (put a TLS proxy in "
                   "front to serve a network).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="TCP port to listen on.")
def serve(directory: Path, host: str, port: int) -> None:
    """Serve the review in DIRECTORY to its team in the browser (accounts: `livingreview users add`)."""
    import uvicorn

    from livingreview.web import create_app

    app = create_app(directory)
    click.echo(f"serving {directory} on http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    # A decision in flight is committed or not before shutdown; requests still waiting after
    # 10 s are dropped rather than holding Ctrl-C.
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False,
                timeout_graceful_shutdown=10)


@click.group()
def users() -> None:
    """Accounts of `livingreview serve`."""


@users.command("add")
@project_dir
@click.argument("name")
@click.option("--role", type=click.Choice(ACCOUNT_ROLES), required=True,
              help="A lead resolves conflicts and exports; a reviewer screens blind to the others.")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@json_option
def users_add(directory: Path, name: str, role: str, password_stdin: bool, as_json: bool) -> None:
    """Create the account NAME (or give it a new password and role); the password is prompted."""
    from livingreview.web.auth import PasswordError, hash_password

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("password", hide_input=True, confirmation_prompt=True)
    try:
        hashed = hash_password(password)
    except PasswordError as error:
        raise BadInput(str(error)) from None
    with Review(directory) as review:
        reviewer = add_user(review.store, name, role, hashed)  # type: ignore[arg-type]
    emit({"name": reviewer.name, "role": reviewer.role}, as_json,
         lambda d: click.echo(f"account {d['name']} ({d['role']}) saved"))


COMMANDS = (serve, users)
