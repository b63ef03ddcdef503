"""Configuration from the environment. Passed into factories, never imported as a global."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    environment: Literal["development", "production", "test"] = "development"
    # Unset means "start the embedded PostgreSQL / Redis under data_dir" (the zero-configuration default).
    database_url: str | None = None
    redis_url: str | None = None
    data_dir: Path = Path(".data")
    host: str = "127.0.0.1"
    port: int = 8000
    public_base_url: str | None = None

    # Fernet key for provider secrets at rest (base64, 32 bytes). The embedded default keeps one in data_dir.
    encryption_key: str | None = Field(default=None, alias="GMC_ENCRYPTION_KEY")
    session_cookie_secure: bool = False
    session_days: int = 14
    login_max_failures: int = 5
    login_block_seconds: int = 300

    # The deployment's own Meta app (properties may also bring theirs, stored on their connection).
    meta_app_secret: str | None = None
    meta_verify_token: str | None = None
    # Airbnb partner credentials (the sandbox's in the embedded default) and the webhook signing secret
    airbnb_client_id: str | None = None
    airbnb_client_secret: str | None = None
    airbnb_api_base_url: str = "https://api.airbnb.com"
    airbnb_authorize_url: str = "https://www.airbnb.com"
    airbnb_webhook_secret: str | None = None

    # E-mail: inbound replies are posted by the MTA with this secret (unset: refused); replies are
    # addressed reply+<token>@<reply domain> when a connection names no reply-to of its own
    email_inbound_secret: str | None = None
    email_reply_domain: str | None = None
    email_inbound_max_bytes: int = 10_000_000

    # Webhook bodies above this are refused with 413 before they are parsed.
    max_webhook_bytes: int = 1_000_000

    # Sandbox providers and demo data: on for the embedded default, never in production.
    sandbox: bool = True
    demo_seed: bool = True
    frontend_dist: Path = Path("frontend/dist")
    log_level: str = "INFO"
    outbox_poll_seconds: float = 0.2
    # a job still running after this is abandoned by arq and re-run (our jobs then refuse to resend)
    job_timeout_seconds: int = 120
    # a message still "sending" after this long lost its worker; the sweep settles it (never resends)
    stuck_sending_seconds: int = 600
    # provider calls in flight per property across all workers: one property's hanging provider can hold
    # no more than this many calls, and a burst of its sends goes out this many at a time. Twilio refuses
    # an account's requests beyond its concurrency limit (20429, safe to retry; 100 is the usual figure), and
    # with a provider's usual 100-300 ms per call 64 calls in flight are ~200-600 sends/s, where 16 capped a
    # 10,000-guest morning at 50-160/s
    delivery_slots_per_property: int = Field(default=64, ge=1, le=100)
    # of those, how many single sends (retries, re-queued sends: each holds one of a worker's jobs for its
    # call) may take: a hanging provider holds at most this many of the workers' jobs (max_jobs is 20 each)
    delivery_single_slots_per_property: int = Field(default=16, ge=1, le=100)
    # provider calls in flight within one delivery job of a batch (a burst of one property's sends), taken
    # from the property's slots above (which stay the limit across all jobs)
    delivery_concurrency: int = Field(default=64, ge=1, le=100)

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.environment == "production":
            missing = [
                name
                for name, value in (
                    ("DATABASE_URL", self.database_url),
                    ("REDIS_URL", self.redis_url),
                    ("GMC_ENCRYPTION_KEY", self.encryption_key),
                )
                if not value
            ]
            if missing:
                raise ValueError(f"production needs {', '.join(missing)} to be set")
            if self.sandbox:
                raise ValueError("production must not serve the sandbox providers (set SANDBOX=false)")
        return self

    @property
    def base_url(self) -> str:
        return (self.public_base_url or f"http://{self.host}:{self.port}").rstrip("/")
