"""`botvideo higgsfield-standin`: run the local Higgsfield stand-in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from botvideo.core.config import Settings
from botvideo.providers.higgsfield.standin.config import DEFAULT_KEY, Outcome, Scenario, StandinConfig
from botvideo.providers.higgsfield.webhooks import split_secrets


def higgsfield_standin(
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8900,
    host: Annotated[str, typer.Option(help="Interface to bind (keep it local).")] = "127.0.0.1",
    key: Annotated[
        str | None,
        typer.Option(help="Accepted 'id:secret' pair. Default: HF_KEY (or HF_API_KEY + HF_API_SECRET)."),
    ] = None,
    webhook_secret: Annotated[
        list[str] | None,
        typer.Option(
            help="whsec_… secret to sign webhooks with; repeat to mimic a rotation. Default: HF_WEBHOOK_SECRET."
        ),
    ] = None,
    queued_seconds: Annotated[float, typer.Option(help="Seconds a request stays queued.")] = 1.0,
    in_progress_seconds: Annotated[float, typer.Option(help="Seconds a request stays in_progress.")] = 2.0,
    slow_seconds: Annotated[float, typer.Option(help="in_progress time for slow requests.")] = 20.0,
    outcome: Annotated[str, typer.Option(help="How requests end: completed, failed or nsfw.")] = "completed",
    slow: Annotated[bool, typer.Option(help="Make every request slow.")] = False,
    max_in_flight: Annotated[
        int | None,
        typer.Option(help="Answer the concurrency 400 above this many requests in flight."),
    ] = None,
    out_of_credits: Annotated[bool, typer.Option(help="Answer submits with 403 (no credits).")] = False,
    server_errors: Annotated[int, typer.Option(help="Answer the first N API calls with 500.")] = 0,
    state_file: Annotated[
        Path | None,
        typer.Option(help="Keep requests and counts in this JSON file."),
    ] = None,
    media_dir: Annotated[Path | None, typer.Option(help="Where videos and uploads go.")] = None,
    public_url: Annotated[
        str | None,
        typer.Option(help="Base URL to hand out (default: the one callers use)."),
    ] = None,
    engine: Annotated[bool, typer.Option(help="Render clips with the local engine when available.")] = True,
) -> None:
    """Serve a local stand-in for the Higgsfield API (same routes, shapes and errors; no credits spent)."""
    import uvicorn

    from botvideo.providers.higgsfield.standin.app import create_standin_app

    if outcome not in ("completed", "failed", "nsfw"):
        raise typer.BadParameter("outcome must be completed, failed or nsfw", param_hint="--outcome")
    settings = Settings()
    secrets = list(webhook_secret or [])
    if not secrets and settings.hf_webhook_secret is not None:
        secrets = split_secrets(settings.hf_webhook_secret.get_secret_value())
    chosen_outcome: Outcome = outcome  # type: ignore[assignment]
    config = StandinConfig(
        key=key or settings.higgsfield_credentials or DEFAULT_KEY,
        webhook_secrets=secrets,
        queued_seconds=queued_seconds,
        in_progress_seconds=in_progress_seconds,
        slow_seconds=slow_seconds,
        public_url=public_url,
        state_file=state_file,
        media_dir=media_dir,
        use_engine=engine,
        scenario=Scenario(
            outcome=chosen_outcome,
            slow=slow,
            max_in_flight=max_in_flight,
            out_of_credits=out_of_credits,
            server_errors=server_errors,
        ),
    )
    console = Console(stderr=True, markup=False, highlight=False)
    console.print(f"Higgsfield stand-in on http://{host}:{port}  (HF_BASE_URL=http://{host}:{port})")
    if config.key == DEFAULT_KEY:
        console.print(f"No HF_KEY set: accepting HF_KEY={DEFAULT_KEY}")
    console.print("Prompt markers: [standin:fail] [standin:nsfw] [standin:slow]; control API under /_standin/")
    uvicorn.run(create_standin_app(config), host=host, port=port, log_level="info")
