"""The one settings object. Nothing else in botvideo reads the environment."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BOTVIDEO_", extra="ignore", env_file=None)

    data_dir: Path = Field(default=Path("./data"), description="Where the SQLite file and media live.")
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL. Default: SQLite at DATA_DIR/botvideo.db. "
        "PostgreSQL: postgresql+psycopg://user@host/db",
    )
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str | None = Field(
        default=None,
        description="Externally reachable base URL; when set, providers are given a webhook URL.",
    )
    jwt_secret: SecretStr = Field(
        default=SecretStr("botvideo-dev-secret-change-me-0123456789abcdef"),
        description="HS256 secret for user JWTs (Supabase Auth's JWT secret when used with Supabase).",
    )
    jwt_audience: str = "authenticated"
    jwt_issuer: str | None = None
    session_ttl_seconds: int = 7 * 24 * 3600
    media_url_ttl_seconds: int = Field(default=3600, description="Lifetime of signed media URLs.")
    provider: Literal["auto", "local", "higgsfield"] = Field(
        default="auto", description="auto = Higgsfield when HF credentials are set, else local."
    )
    poll_interval_seconds: float = Field(default=5.0, gt=0)
    poll_backoff_after_seconds: float = Field(default=60.0, ge=0)
    poll_max_interval_seconds: float = Field(default=30.0, gt=0)
    job_deadline_seconds: float = Field(default=30 * 60, gt=0)
    provider_concurrency: int = Field(default=4, ge=1, description="Jobs in flight per provider.")
    worker_concurrency: int = Field(default=200, ge=1, description="Jobs one worker process runs at once.")
    worker_threads: int = Field(default=32, ge=1, description="Threads for the jobs' database and file work.")
    queue_polling_interval_seconds: float = Field(default=0.5, gt=0)
    executor_id: str = Field(default="local", description="Stable id of this worker process (DBOS executor).")
    run_workers: bool = Field(default=True, description="Whether `serve` also runs the job workers.")
    render_workers: int = Field(default=2, ge=1, description="Warm processes for the local video engine.")
    render_preset: str = Field(
        default="ultrafast",
        description="libx264 preset for the local engine: ultrafast renders about 2x faster than real time here; "
        "veryfast makes files 3x smaller at about real time (docs/engine.md).",
    )

    # Higgsfield's own variable names, as its official SDK reads them.
    hf_key: SecretStr | None = Field(default=None, validation_alias=AliasChoices("HF_KEY"))
    hf_api_key: str | None = Field(default=None, validation_alias=AliasChoices("HF_API_KEY"))
    hf_api_secret: SecretStr | None = Field(default=None, validation_alias=AliasChoices("HF_API_SECRET"))
    hf_base_url: str = Field(default="https://api.higgsfield.ai", validation_alias=AliasChoices("HF_BASE_URL"))
    hf_webhook_secret: SecretStr | None = Field(default=None, validation_alias=AliasChoices("HF_WEBHOOK_SECRET"))

    @cached_property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'botvideo.db').resolve()}"

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"

    @property
    def work_dir(self) -> Path:
        """Scratch space for downloads and renders before they are stored."""
        return self.data_dir / "work"

    @property
    def higgsfield_credentials(self) -> str | None:
        """`id:secret`, from HF_KEY or HF_API_KEY + HF_API_SECRET, as the SDK resolves them."""
        if self.hf_key is not None and self.hf_key.get_secret_value():
            return self.hf_key.get_secret_value()
        if self.hf_api_key and self.hf_api_secret is not None:
            return f"{self.hf_api_key}:{self.hf_api_secret.get_secret_value()}"
        return None

    @property
    def provider_name(self) -> Literal["local", "higgsfield"]:
        if self.provider == "auto":
            return "higgsfield" if self.higgsfield_credentials else "local"
        return self.provider

    @property
    def https(self) -> bool:
        """Served over https (behind a proxy): cookies are then marked Secure."""
        return (self.public_url or "").startswith("https://")

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")
