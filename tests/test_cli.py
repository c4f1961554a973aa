"""The command line: clear messages and non-zero exit codes, and the commands the README shows."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from botvideo.cli import app

runner = CliRunner()


@pytest.fixture
def data_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database_url: str) -> Path:
    for name in ("HF_KEY", "HF_API_KEY", "HF_API_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BOTVIDEO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("BOTVIDEO_DATABASE_URL", database_url)
    return tmp_path / "data"


@pytest.mark.usefixtures("data_env")
def test_demo_prints_an_account_a_bot_and_a_token() -> None:
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    demo = json.loads(result.stdout)
    assert demo["email"] == "demo@botvideo.local"
    assert demo["access_token"].count(".") == 2


@pytest.mark.usefixtures("data_env")
def test_demo_twice_reuses_the_same_bot() -> None:
    first = json.loads(runner.invoke(app, ["demo"]).stdout)
    second = json.loads(runner.invoke(app, ["demo"]).stdout)
    assert first["community_id"] == second["community_id"]


@pytest.mark.usefixtures("data_env")
def test_token_for_an_unknown_email_fails_clearly() -> None:
    runner.invoke(app, ["db", "upgrade"])
    result = runner.invoke(app, ["token", "--email", "nobody@example.com"])
    assert result.exit_code == 2
    assert "no user with email" in result.output


@pytest.mark.usefixtures("data_env")
def test_generate_with_a_malformed_community_id_fails_clearly() -> None:
    result = runner.invoke(app, ["generate", "--community", "not-a-uuid"])
    assert result.exit_code == 2
    assert "--community must be a UUID" in result.output


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


def test_render_without_a_name_fails_clearly(tmp_path: Path) -> None:
    result = runner.invoke(app, ["render", "--type", "intro", "--out", str(tmp_path / "x.mp4")])
    assert result.exit_code != 0
    assert "--name" in result.output
