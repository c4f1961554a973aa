"""The command line: clear messages and non-zero exit codes, and the commands the README shows."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from botvideo.cli import main


@dataclass(frozen=True)
class Ran:
    exit_code: int
    stdout: str
    stderr: str


def botvideo(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str) -> Ran:
    """The `botvideo` entry point, in this process: its exit code, its output and its error line."""
    monkeypatch.setattr(sys, "argv", ["botvideo", *args])
    capsys.readouterr()
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return Ran(code, captured.out, captured.err)


@pytest.fixture
def data_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database_url: str) -> Path:
    for name in ("HF_KEY", "HF_API_KEY", "HF_API_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BOTVIDEO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("BOTVIDEO_DATABASE_URL", database_url)
    return tmp_path / "data"


Cli = Callable[..., Ran]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    return lambda *args: botvideo(capsys, monkeypatch, *args)


@pytest.mark.usefixtures("data_env")
def test_demo_prints_an_account_a_bot_and_a_token(cli: Cli) -> None:
    result = cli("demo")
    assert result.exit_code == 0, result.stderr
    demo = json.loads(result.stdout)
    assert demo["email"] == "demo@botvideo.local"
    assert demo["access_token"].count(".") == 2


@pytest.mark.usefixtures("data_env")
def test_demo_twice_reuses_the_same_bot(cli: Cli) -> None:
    first = json.loads(cli("demo").stdout)
    second = json.loads(cli("demo").stdout)
    assert first["community_id"] == second["community_id"]


@pytest.mark.usefixtures("data_env")
def test_demo_prints_nova_even_when_the_demo_user_made_a_newer_bot(cli: Cli) -> None:
    from botvideo.auth import repository as users
    from botvideo.communities import service as communities
    from botvideo.core.config import Settings
    from botvideo.resources import build_resources

    first = json.loads(cli("demo").stdout)
    resources = build_resources(Settings())
    with resources.database.transaction() as session:
        user = users.get_by_email(session, first["email"])
        assert user is not None
        communities.create_community(session, user, name="Orbit")
    resources.close()
    again = json.loads(cli("demo").stdout)
    assert (again["community_name"], again["community_id"]) == ("Nova", first["community_id"])


@pytest.mark.usefixtures("data_env")
def test_token_for_an_unknown_email_fails_in_one_line(cli: Cli) -> None:
    cli("db", "upgrade")
    result = cli("token", "--email", "nobody@example.com")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: no user with email")
    assert result.stderr.count("\n") == 1


def test_token_before_any_schema_says_to_upgrade(cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BOTVIDEO_DATA_DIR", str(tmp_path / "empty"))
    monkeypatch.delenv("BOTVIDEO_DATABASE_URL", raising=False)
    result = cli("token", "--email", "nobody@example.com")
    assert result.exit_code == 2
    assert "botvideo db upgrade" in result.stderr


def test_generate_with_a_malformed_community_id_fails_clearly(cli: Cli) -> None:
    result = cli("generate", "--community", "not-a-uuid")
    assert result.exit_code == 2
    assert result.stderr == "Error: --community must be a UUID, got 'not-a-uuid'\n"


def test_generate_with_an_unknown_type_names_the_types_that_exist(cli: Cli) -> None:
    result = cli("generate", "--community", "x", "--type", "outro")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert all(kind in result.stderr for kind in ("intro", "promo", "token_reveal", "custom"))
    assert "pydantic" not in result.stderr


def test_a_missing_option_is_one_line(cli: Cli) -> None:
    result = cli("generate")
    assert (result.exit_code, result.stderr) == (2, "Error: Missing option '--community'.\n")


def test_help_lists_every_command(cli: Cli) -> None:
    result = cli("--help")
    assert result.exit_code == 0
    for command in ("serve", "worker", "db", "demo", "token", "generate", "videos", "render", "higgsfield-standin"):
        assert command in result.stdout


def test_help_imports_no_heavy_module() -> None:
    # What makes `botvideo --help` answer at once: nothing past Typer is imported before a command runs.
    probe = "import sys; from botvideo import cli; print(sorted(m for m in ('fastapi', 'sqlalchemy', 'dbos', "
    probe += "'av', 'numpy', 'botvideo.app') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


@pytest.mark.slow
@pytest.mark.usefixtures("data_env")
def test_generate_waits_and_prints_the_stored_file() -> None:
    # A real process: the job engine and the render workers run inside the command.
    env = {**os.environ}
    demo = json.loads(_botvideo(env, "demo").stdout)
    result = _botvideo(
        env, "generate", "--community", demo["community_id"], "--type", "promo", "--duration", "2", "--wait"
    )
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip().splitlines()[-1])
    assert path.suffix == ".mp4"
    assert path.is_file()
    assert "completed" in _botvideo(env, "videos", "list").stdout


def _botvideo(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "botvideo.cli", *args], env=env, capture_output=True, text=True, timeout=180, check=False
    )


def test_render_without_a_name_fails_clearly(cli: Cli, tmp_path: Path) -> None:
    result = cli("render", "--type", "intro", "--out", str(tmp_path / "x.mp4"))
    assert result.exit_code == 2
    assert "--name" in result.stderr
