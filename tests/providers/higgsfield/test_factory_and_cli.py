from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import typer
from typer.testing import CliRunner

from botvideo.core.config import Settings
from botvideo.engine.media import probe_video
from botvideo.providers.higgsfield import build_higgsfield_provider
from botvideo.providers.higgsfield.standin.cli import higgsfield_standin
from botvideo.providers.higgsfield.standin.render import render_video


def test_factory_builds_a_provider_from_hf_key_and_base_url() -> None:
    settings = Settings.model_validate({"HF_KEY": "id:secret", "HF_BASE_URL": "http://127.0.0.1:8900/"})
    provider = build_higgsfield_provider(settings, httpx.AsyncClient())
    assert provider.client.base_url == "http://127.0.0.1:8900"


def test_factory_accepts_the_split_key_pair() -> None:
    settings = Settings.model_validate({"HF_API_KEY": "id", "HF_API_SECRET": "secret"})
    assert build_higgsfield_provider(settings, httpx.AsyncClient()).client.base_url == "https://api.higgsfield.ai"


def test_factory_without_credentials_explains_what_to_set() -> None:
    with pytest.raises(ValueError, match="HF_KEY"):
        build_higgsfield_provider(Settings(), httpx.AsyncClient())


def test_standin_command_documents_its_options() -> None:
    app = typer.Typer()
    app.command("higgsfield-standin")(higgsfield_standin)
    app.command("other")(lambda: None)  # a second command keeps Typer from collapsing to a single one
    result = CliRunner().invoke(app, ["higgsfield-standin", "--help"])
    assert result.exit_code == 0
    for option in (
        "--port",
        "--key",
        "--webhook-secret",
        "--state-file",
        "--max-in-flight",
        "--queued-seconds",
    ):
        assert option in result.output


def test_placeholder_clip_is_a_playable_h264_mp4(tmp_path: Path) -> None:
    out = tmp_path / "clip.mp4"
    render_video(out, prompt="x", width=320, height=180, duration_seconds=1, use_engine=False)
    probe = probe_video(out)
    assert (probe.codec, probe.width, probe.height) == ("h264", 320, 180)


@pytest.mark.slow
def test_standin_renders_with_the_local_engine_when_available(tmp_path: Path) -> None:
    out = tmp_path / "clip.mp4"
    render_video(out, prompt="a robot", width=640, height=360, duration_seconds=2, use_engine=True)
    assert probe_video(out).duration_seconds == pytest.approx(2, abs=0.1)
