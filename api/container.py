"""Everything with a connection or a pool, created in the app's lifespan and closed with it."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from adapters.airbnb.http_gateway import HttpAirbnbGateway
from adapters.channels.gateway import ConnectionChannelGateway
from adapters.crypto.fernet_secret_box import FernetSecretBox
from adapters.db.engine import make_engine, make_session_factory
from adapters.db.routing_cache import RoutingCache
from adapters.db.unit_of_work import SqlaUnitOfWork
from adapters.db.webhook_store import EventWriter
from adapters.http_client import make_http_client
from adapters.pricing.json_rate_table import load_rate_table
from adapters.realtime.redis_events import RedisEventPublisher
from adapters.security.argon2_password_hasher import Argon2PasswordHasher
from adapters.security.redis_login_throttle import RedisLoginThrottle
from api.settings import Settings
from domain.clock import Clock, SystemClock
from domain.email.reply_token import derive_reply_key
from domain.templates.pricing import RateTable


@dataclass
class Container:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    redis: Redis
    http: httpx.AsyncClient
    secret_box: FernetSecretBox
    hasher: Argon2PasswordHasher
    throttle: RedisLoginThrottle
    publisher: RedisEventPublisher
    gateway: ConnectionChannelGateway
    clock: Clock
    rates: RateTable
    airbnb: HttpAirbnbGateway | None
    # provider callbacks arriving together are stored in one statement
    events: EventWriter
    # which property a provider's number belongs to, remembered briefly (hits only) for the webhooks
    routes: RoutingCache = field(default_factory=RoutingCache)

    def uow(self) -> SqlaUnitOfWork:
        return SqlaUnitOfWork(self.sessions, self.publisher)

    async def aclose(self) -> None:
        await self.http.aclose()
        await self.redis.aclose()
        await self.engine.dispose()


def build_container(
    settings: Settings, *, clock: Clock | None = None, http: httpx.AsyncClient | None = None
) -> Container:
    if not settings.database_url or not settings.redis_url or not settings.encryption_key:
        raise RuntimeError("database_url, redis_url and encryption_key must be resolved before building the container")
    engine = make_engine(settings.database_url, pre_ping=False)
    sessions = make_session_factory(engine)
    redis = Redis.from_url(settings.redis_url, socket_timeout=5, socket_connect_timeout=3, health_check_interval=30)
    client = http or make_http_client()
    box = FernetSecretBox(settings.encryption_key)
    publisher = RedisEventPublisher(redis)
    return Container(
        settings=settings,
        engine=engine,
        sessions=sessions,
        redis=redis,
        http=client,
        secret_box=box,
        hasher=Argon2PasswordHasher(),
        throttle=RedisLoginThrottle(
            redis, max_failures=settings.login_max_failures, block_seconds=settings.login_block_seconds
        ),
        publisher=publisher,
        gateway=ConnectionChannelGateway(
            sessions,
            box,
            client,
            settings.base_url,
            airbnb_gateway(settings, client),
            reply_key=derive_reply_key(settings.encryption_key),
            email_reply_domain=settings.email_reply_domain,
            allow_local_smtp=settings.sandbox,
        ),
        clock=clock or SystemClock(),
        rates=load_rate_table(),
        airbnb=airbnb_gateway(settings, client),
        events=EventWriter(sessions),
    )


def airbnb_gateway(settings: Settings, http: httpx.AsyncClient) -> HttpAirbnbGateway | None:
    if not settings.airbnb_client_id or not settings.airbnb_client_secret:
        return None  # Airbnb is offered only where the deployment has partner credentials
    return HttpAirbnbGateway(
        http,
        api_base_url=settings.airbnb_api_base_url,
        authorize_base_url=settings.airbnb_authorize_url,
        client_id=settings.airbnb_client_id,
        client_secret=settings.airbnb_client_secret,
    )
