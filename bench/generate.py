"""The inbox benchmark's data set: one property with 100,000 conversations and 2,000,000 messages.

Rows are made in Python with a seeded RNG (the same data set on every machine, up to the anchor
time) and streamed into PostgreSQL with COPY (asyncpg `copy_records_to_table`), all inside ONE
transaction that ends by inserting the marker property's memberships: a load that is interrupted
leaves nothing behind, and the property "bench (data set v<DATASET_VERSION>)" with its owner always
means a complete data set. An older version of the data set is removed before generating anew.

Inside that transaction the secondary indexes of the loaded tables are dropped and re-created
from their own definitions after the load (what a bulk load should do), and, when the role is a
superuser, foreign-key triggers are skipped (`session_replication_role = replica`): the rows are
consistent by construction, and the constraints themselves stay in place for the application.
VACUUM ANALYZE runs afterwards so the planner and the visibility map are as in a settled database.

    python -m bench.generate            # generate if missing, print what is there
"""

from __future__ import annotations

import asyncio
import json
import random
import string
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import asyncpg

from adapters.crypto.fernet_secret_box import FernetSecretBox
from adapters.security.argon2_password_hasher import Argon2PasswordHasher
from domain.model import preview_of

SEED = 20260615
# Bumped whenever the rows generated change; an older data set is removed and generated again.
DATASET_VERSION = 2
# share of conversations that only hold scheduled e-mails the guest never answered: they exist
# (started = false) but stay out of the inbox until the guest writes (domain/services/scheduling.py)
UNSTARTED_SHARE = 0.10
CONVERSATIONS = 100_000
MESSAGES = 2_000_000
OWNER_PASSWORD = "bench-owner-password"  # a local, generated data set: the password is not a secret
BATCH = 4_000  # conversations per COPY round
# a few very long threads (a regular guest, a group booking...) on top of the usual short ones
HOT_THREADS = (20_000, 5_000, 2_000)
LOADED_TABLES = ("guests", "bookings", "conversations", "conversation_reads", "messages")

FIRST = (
    "Camille",
    "Léa",
    "Manon",
    "Chloé",
    "Emma",
    "Inès",
    "Louise",
    "Jade",
    "Alice",
    "Lina",
    "Hugo",
    "Lucas",
    "Louis",
    "Gabriel",
    "Arthur",
    "Jules",
    "Adam",
    "Raphaël",
    "Paul",
    "Nathan",
    "Sofia",
    "Giulia",
    "Marco",
    "Luca",
    "Anna",
    "Hannah",
    "Lukas",
    "Felix",
    "Mia",
    "Noah",
    "Olivia",
    "Liam",
    "Emily",
    "Jack",
    "Sophie",
    "Daniel",
    "Maria",
    "José",
    "Carmen",
    "Pablo",
    "Yuki",
    "Haruto",
    "Wei",
    "Min",
    "Aisha",
    "Omar",
    "Fatima",
    "Ingrid",
    "Lars",
    "Eva",
)
LAST = (
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Rossi",
    "Russo",
    "Ferrari",
    "Esposito",
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Miller",
    "Davis",
    "Wilson",
    "Taylor",
    "García",
    "Fernández",
    "López",
    "Martínez",
    "Sánchez",
    "Tanaka",
    "Suzuki",
    "Wang",
    "Li",
    "Zhang",
    "Nielsen",
    "Hansen",
)
LANGS = ("fr", "en", "en", "de", "es", "it", "nl", None)
INBOUND = (
    "Hello! We are arriving around 10 pm, is late check-in possible?",
    "Hi, can we park the car at the hotel?",
    "Thank you so much, see you tomorrow.",
    "Is breakfast included in our booking?",
    "Could we have a room on a higher floor, away from the street?",
    "Our flight is delayed by two hours, please keep the room.",
    "Where can I leave the luggage after check-out?",
    "The wifi password does not seem to work in room 12.",
    "Do you have a baby cot available?",
    "Great, thanks!",
    "Is there a restaurant you would recommend nearby for tonight?",
    "We would like to extend our stay by one night if possible.",
    "Can you send me the invoice with our company name on it?",
    "👍",
    "What is the code for the front door?",
)
OUTBOUND = (
    "Hello, of course! The key box code will be sent on the day of arrival.",
    "Yes, breakfast is served from 7:30 to 10:30 in the garden room.",
    "We have reserved a parking space for you, it is 12 EUR per night.",
    "No problem, we will keep the room for you. Safe travels!",
    "Thank you for your message, a colleague will answer shortly.",
    "Your room is ready, see you soon!",
    "We have added the baby cot to your room.",
    "Here is the invoice; let us know if anything needs changing.",
    "The new wifi password is on the card at the desk, sorry for the trouble.",
    "We recommend Le Petit Zinc, two streets away; we can book a table for you.",
)
NOTES = (
    "Guest asked for a late check-out; OK'd by Marie.",
    "VIP — returning guest, offer the upgrade.",
    "Called the guest, no answer.",
    "Refund of the deposit done in the PMS.",
)
LONG = (
    "We are a family of five travelling with two dogs and quite a lot of luggage, and we wanted to "
    "check a few things before our arrival: whether the rooms are connecting, whether there is a lift, "
    "what time the reception closes, whether we can leave the car in the courtyard overnight, and if you "
    "could recommend a vet nearby just in case. Many thanks in advance for your help!"
)

CONV_COLS = [
    "id",
    "property_id",
    "guest_id",
    "booking_id",
    "status",
    "assignee_id",
    "last_message_at",
    "last_message_preview",
    "last_message_direction",
    "last_message_channel",
    "last_activity_at",
    "last_inbound_at",
    "inbound_count",
    "started",
    "created_at",
]
MSG_COLS = [
    "id",
    "property_id",
    "conversation_id",
    "channel",
    "direction",
    "kind",
    "body",
    "status",
    "author_type",
    "author_user_id",
    "template_name",
    "template_params",
    "provider_message_id",
    "error_code",
    "error_reason",
    "attempts",
    "cost_amount",
    "cost_currency",
    "pricing_category",
    "rule_name",
    "created_at",
    "status_changed_at",
]
GUEST_COLS = ["id", "property_id", "first_name", "last_name", "phone", "email", "language", "created_at", "updated_at"]
BOOKING_COLS = [
    "id",
    "property_id",
    "guest_id",
    "external_ref",
    "source",
    "status",
    "confirmation_code",
    "check_in",
    "check_out",
    "room",
    "party_size",
    "custom_fields",
    "created_at",
    "updated_at",
]
READ_COLS = ["conversation_id", "user_id", "property_id", "inbound_seen", "last_read_at"]


@dataclass(frozen=True)
class Spec:
    """Which data set: the full one is the property "bench"; smaller ones (smoke runs) have their own names."""

    conversations: int = CONVERSATIONS
    messages: int = MESSAGES

    @property
    def suffix(self) -> str:
        full = (self.conversations, self.messages) == (CONVERSATIONS, MESSAGES)
        return "" if full else f"-{self.conversations}x{self.messages}"

    @property
    def property_name(self) -> str:
        return f"bench{self.suffix} (data set v{DATASET_VERSION})"

    @property
    def owner_email(self) -> str:
        return f"owner{self.suffix}@bench.hotel"

    @property
    def agent_emails(self) -> list[str]:
        return [f"agent{n}{self.suffix}@bench.hotel" for n in range(1, 5)]


@dataclass
class Dataset:
    property_id: uuid.UUID
    owner_id: uuid.UUID
    owner_email: str
    owner_password: str
    generated: bool
    generation_seconds: float | None
    counts: dict[str, int]  # "conversations_in_inbox": the started ones, which the inbox lists
    hot_conversation_id: uuid.UUID | None  # the longest thread
    typical_conversation_id: uuid.UUID | None  # a thread of 50-100 messages: a full first page
    sizes_mb: dict[str, float]


def asyncpg_dsn(url: str) -> str:
    for prefix in ("postgresql+asyncpg://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql://" + url[len(prefix) :]
    return url


class _Ids:
    """Deterministic version-4 UUIDs from the seeded RNG."""

    def __init__(self, rng: random.Random) -> None:
        self._bits = rng.getrandbits

    def __call__(self) -> uuid.UUID:
        value = self._bits(128) & ~(0xF000 << 64) | (0x4000 << 64)
        value = value & ~(0xC000 << 48) | (0x8000 << 48)
        return uuid.UUID(int=value)


def _thread_lengths(rng: random.Random, conversations: int, messages: int) -> tuple[list[int], set[int]]:
    """Messages per conversation (summing to `messages` exactly), and which conversations are unstarted."""
    hot = [h for h in HOT_THREADS if h * 4 <= messages]
    lengths = [1 + min(int(rng.expovariate(1 / 17.5)), 250) for _ in range(conversations)]
    for slot, size in enumerate(hot):
        lengths[conversations // 7 * (slot + 1)] = size
    fixed = {conversations // 7 * (slot + 1) for slot in range(len(hot))}
    unstarted = set(
        rng.sample([i for i in range(conversations) if i not in fixed], int(conversations * UNSTARTED_SHARE))
    )
    for i in unstarted:
        lengths[i] = rng.randint(1, 3)
    fixed |= unstarted
    diff = messages - sum(lengths)
    candidates = [i for i in range(conversations) if i not in fixed]
    while diff != 0:
        i = rng.choice(candidates)
        if diff > 0:
            lengths[i] += 1
            diff -= 1
        elif lengths[i] > 1:
            lengths[i] -= 1
            diff += 1
    return lengths, unstarted


def _rows(
    property_id: uuid.UUID, staff: list[uuid.UUID], anchor: datetime, conversations: int, messages: int
) -> Iterator[tuple[list[tuple[Any, ...]], ...]]:
    """Batches of (guests, bookings, conversations, reads, messages) records."""
    rng = random.Random(SEED)
    new_id = _Ids(rng)
    lengths, unstarted = _thread_lengths(rng, conversations, messages)
    owner, agents = staff[0], staff[1:]
    year = 365 * 86400.0
    seq = 0
    channels = ("whatsapp", "sms", "airbnb", "email")
    statuses_out = ("read",) * 10 + ("delivered",) * 6 + ("sent",) * 3 + ("failed",)
    guests: list[tuple[Any, ...]] = []
    bookings: list[tuple[Any, ...]] = []
    convs: list[tuple[Any, ...]] = []
    reads: list[tuple[Any, ...]] = []
    msgs: list[tuple[Any, ...]] = []
    rand = rng.random
    for i in range(conversations):
        n = lengths[i]
        # newest activity: uniform over the past year; 1% share their timestamp with the previous one
        shared = convs and rand() < 0.01
        last_at = convs[-1][10] if shared else anchor - timedelta(seconds=round(rand() * year, 3))
        first, last = rng.choice(FIRST), rng.choice(LAST)
        phone = f"+336{i:08d}" if rand() < 0.9 else None
        email = f"{first}.{last}.{i}@example.com".lower() if (rand() < 0.6 or phone is None) else None
        mean_gap = (year / n) if n > 1000 else 3 * 3600.0
        times = [last_at]
        for _ in range(n - 1):
            times.append(times[-1] - timedelta(seconds=rng.expovariate(1 / mean_gap)))
        times.reverse()
        started = times[0]
        guest_id, conv_id = new_id(), new_id()
        guests.append((guest_id, property_id, first, last, phone, email, rng.choice(LANGS), started, started))
        booking_id = None
        if rand() < 0.95:
            for extra in range(2 if rand() < 0.05 else 1):
                check_in = (last_at + timedelta(days=rng.randint(-5, 30) + 40 * extra)).date()
                bid = new_id()
                booking_id = booking_id or bid
                bookings.append(
                    (
                        bid,
                        property_id,
                        guest_id,
                        f"BK-{i:07d}" + (f"-{extra + 1}" if extra else ""),
                        rng.choice(("direct", "booking.com", "airbnb", "expedia")),
                        rng.choice(("confirmed", "confirmed", "checked_out", "checked_out", "cancelled", "checked_in")),
                        "".join(rng.choices(string.ascii_uppercase + string.digits, k=8)),
                        check_in,
                        check_in + timedelta(days=rng.randint(1, 7)),
                        str(100 + rng.randrange(60)),
                        rng.randint(1, 4),
                        "{}",
                        started,
                        started,
                    )
                )
        is_started = i not in unstarted
        primary = rng.choices(channels, weights=(45, 20, 15, 20))[0] if is_started else "email"
        secondary = rng.choice([c for c in channels if c != primary]) if is_started and rand() < 0.1 else None
        inbound_count = 0
        last_inbound: dict[str, datetime] = {}
        preview: tuple[Any, ...] = (None, None, None, None)
        for k, at in enumerate(times):
            seq += 1
            channel = secondary if secondary and rand() < 0.3 else primary
            inbound = is_started and (k == 0 or rand() < 0.55)
            kind, status, author, user, template, params, cost, category, rule, error = (
                "text",
                "received",
                "guest",
                None,
                None,
                None,
                None,
                None,
                None,
                (None, None),
            )
            if inbound:
                body = LONG if rand() < 0.03 else rng.choice(INBOUND)
                kind = "media" if rand() < 0.05 else "text"
                inbound_count += 1
                last_inbound[channel] = at
                provider_id: str | None = f"bench.{channel}.{seq}"
            elif is_started and k < n - 1 and rand() < 0.03:
                channel, kind, body, author, user = "internal", "note", rng.choice(NOTES), "user", rng.choice(staff)
                provider_id = None
            else:
                body, status, provider_id = rng.choice(OUTBOUND), rng.choice(statuses_out), f"bench.{channel}.{seq}"
                if status == "failed":
                    error = ("131047", "Re-engagement message") if channel == "whatsapp" else ("30003", "Unreachable")
                roll = rand()
                if roll < 0.08 or not is_started:
                    kind, author, user, rule = "scheduled", "scheduler", None, "Pre-arrival"
                elif roll < 0.13:
                    kind, author, user = "template", "user", rng.choice(staff)
                else:
                    author, user = "user", rng.choice(staff)
                if kind != "text" and channel == "whatsapp":
                    template, params = "pre_arrival_v2", json.dumps({"1": first, "2": "21:00"})
                    cost, category = Decimal("0.03500"), "utility"
            outbound = not inbound and kind != "note"
            msgs.append(
                (
                    new_id(),
                    property_id,
                    conv_id,
                    channel,
                    "inbound" if inbound else "outbound",
                    kind,
                    body,
                    status,
                    author,
                    user,
                    template,
                    params,
                    provider_id,
                    error[0],
                    error[1],
                    1 if outbound else 0,
                    cost,
                    "USD" if cost is not None else None,
                    category,
                    rule,
                    at,
                    at + timedelta(seconds=5 + rand() * 600) if outbound else None,
                )
            )
            if kind != "note":
                preview = (at, preview_of(body), "inbound" if inbound else "outbound", channel)
        age = (anchor - last_at).total_seconds()
        status = "open" if age < 10 * 86400 or rand() < 0.08 or not is_started else "closed"
        assignee = rng.choice(staff) if is_started and rand() < 0.35 else None
        convs.append(
            (
                conv_id,
                property_id,
                guest_id,
                booking_id,
                status,
                assignee,
                preview[0],
                preview[1],
                preview[2],
                preview[3],
                last_at,
                json.dumps({c: t.isoformat() for c, t in last_inbound.items()}),
                inbound_count,
                is_started,
                started,
            )
        )
        roll = rand()
        if is_started and roll < 0.85:
            seen = inbound_count if roll < 0.76 else max(0, inbound_count - rng.randint(1, 3))
            reads.append((conv_id, owner, property_id, seen, last_at))
        if is_started and rand() < 0.2:
            reads.append((conv_id, rng.choice(agents), property_id, inbound_count, last_at))
        if len(convs) >= BATCH or i == conversations - 1:
            yield guests, bookings, convs, reads, msgs
            guests, bookings, convs, reads, msgs = [], [], [], [], []


async def _find(conn: asyncpg.Connection, spec: Spec) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT p.id AS property_id, u.id AS owner_id FROM properties p "
        "JOIN memberships m ON m.property_id = p.id AND m.role = 'owner' "
        "JOIN users u ON u.id = m.user_id AND u.email = $2 WHERE p.name = $1",
        spec.property_name,
        spec.owner_email,
    )


async def _remove_stale(conn: asyncpg.Connection, spec: Spec, log: Any) -> None:
    """Delete an older version of this data set (same owner e-mail, another property name), if any."""
    stale = await conn.fetch(
        "SELECT DISTINCT m.property_id, p.name FROM users u JOIN memberships m ON m.user_id = u.id "
        "JOIN properties p ON p.id = m.property_id WHERE u.email = $1 AND p.name <> $2",
        spec.owner_email,
        spec.property_name,
    )
    if not stale and not await conn.fetchval("SELECT 1 FROM users WHERE email = $1", spec.owner_email):
        return
    started = time.perf_counter()
    superuser = await conn.fetchval("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    tables = [
        row["table_name"]
        for row in await conn.fetch(
            "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' "
            "AND column_name = 'property_id' AND table_name <> 'properties'"
        )
    ]
    only_bench = await conn.fetchval("SELECT count(*) FROM properties") == len(stale)
    if only_bench:  # a database of its own (the embedded default): empty it, leaving no dead rows behind
        names_ = await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
        )
        await conn.execute("TRUNCATE " + ", ".join(f'"{r["tablename"]}"' for r in names_) + " CASCADE")
        log(f"Removed an older data set (emptied the tables) in {time.perf_counter() - started:.0f} s.")
        return
    async with conn.transaction():
        if superuser:  # every row goes, table by table, without per-row cascade triggers
            await conn.execute("SET LOCAL session_replication_role = replica")
            for row in stale:
                for table in tables:
                    await conn.execute(f'DELETE FROM "{table}" WHERE property_id = $1', row["property_id"])
        for row in stale:
            await conn.execute("DELETE FROM properties WHERE id = $1", row["property_id"])
        await conn.execute("DELETE FROM users WHERE email = ANY($1::text[])", [spec.owner_email, *spec.agent_emails])
    names = ", ".join(repr(row["name"]) for row in stale) or "(orphan users)"
    log(f"Removed an older data set {names} in {time.perf_counter() - started:.0f} s.")


async def _load(conn: asyncpg.Connection, secret_box: FernetSecretBox, spec: Spec, log: Any) -> None:
    anchor = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    password_hash = Argon2PasswordHasher().hash(OWNER_PASSWORD)
    rng = random.Random(SEED + spec.conversations + spec.messages)
    ids = _Ids(rng)
    property_id, owner_id = ids(), ids()
    staff = [owner_id] + [ids() for _ in spec.agent_emails]
    superuser = await conn.fetchval("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    async with conn.transaction():
        await conn.execute("SET LOCAL maintenance_work_mem = '256MB'")
        if superuser:
            await conn.execute("SET LOCAL session_replication_role = replica")
        await conn.execute(
            "INSERT INTO properties (id, name, timezone, locale, country, currency) "
            "VALUES ($1, $2, 'Europe/Paris', 'en', 'FR', 'EUR')",
            property_id,
            spec.property_name,
        )
        await conn.executemany(
            "INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, $3, $4)",
            [
                (uid, email, name, password_hash)
                for uid, email, name in zip(
                    staff,
                    [spec.owner_email, *spec.agent_emails],
                    ["Bench Owner", "Marie", "Karim", "Sofia", "Tom"],
                    strict=True,
                )
            ],
        )
        box_rows = [
            (
                "whatsapp",
                {"phone_number_id": "106540352242922", "waba_id": "WABA1"},
                {"access_token": "EAAG-bench-token", "app_secret": "bench-app-secret"},
            ),
            ("sms", {"account_sid": "AC" + "1" * 32, "from_number": "+15017122661"}, {"auth_token": "bench-token"}),
        ]
        for channel, settings, secrets in box_rows:
            await conn.execute(
                "INSERT INTO channel_connections (id, property_id, channel, status, settings, secrets, updated_at) "
                "VALUES ($1, $2, $3, 'connected', $4::jsonb, $5, now())",
                ids(),
                property_id,
                channel,
                json.dumps(settings),
                secret_box.seal(secrets),
            )
        indexes = await conn.fetch(
            "SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def "
            "FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid "
            "WHERE t.relname = ANY($1::text[]) AND t.relnamespace = 'public'::regnamespace "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            list(LOADED_TABLES),
        )
        for row in indexes:
            await conn.execute(f"DROP INDEX {row['name']}")
        log(
            f"  dropped {len(indexes)} secondary indexes for the load; FK triggers "
            f"{'skipped (superuser)' if superuser else 'active (not a superuser: slower)'}"
        )
        done = 0
        started = time.perf_counter()
        batches = _rows(property_id, staff, anchor, spec.conversations, spec.messages)
        for guests, bookings, convs, reads, msgs in batches:
            await conn.copy_records_to_table("guests", records=guests, columns=GUEST_COLS)
            await conn.copy_records_to_table("bookings", records=bookings, columns=BOOKING_COLS)
            await conn.copy_records_to_table("conversations", records=convs, columns=CONV_COLS)
            await conn.copy_records_to_table("conversation_reads", records=reads, columns=READ_COLS)
            await conn.copy_records_to_table("messages", records=msgs, columns=MSG_COLS)
            done += len(convs)
            if done % (BATCH * 5) == 0 or done == spec.conversations:
                log(f"  {done:>7,} conversations loaded ({time.perf_counter() - started:.0f} s)")
        t0 = time.perf_counter()
        for row in indexes:
            await conn.execute(row["def"])
        log(f"  re-created {len(indexes)} indexes in {time.perf_counter() - t0:.0f} s")
        await conn.executemany(
            "INSERT INTO memberships (user_id, property_id, role) VALUES ($1, $2, $3)",
            [
                (uid, property_id, role)
                for uid, role in zip(staff, ["owner", "manager", "agent", "agent", "agent"], strict=True)
            ],
        )
    t0 = time.perf_counter()
    for table in (*LOADED_TABLES, "properties", "users", "memberships", "channel_connections"):
        await conn.execute(f"VACUUM (ANALYZE) {table}")
    log(f"  VACUUM ANALYZE in {time.perf_counter() - t0:.0f} s")


async def _describe(
    conn: asyncpg.Connection, spec: Spec, found: asyncpg.Record, generated: bool, seconds: float | None
) -> Dataset:
    pid = found["property_id"]
    counts = {}
    for table in ("guests", "bookings", "conversations", "messages", "conversation_reads", "channel_connections"):
        counts[table] = await conn.fetchval(f"SELECT count(*) FROM {table} WHERE property_id = $1", pid)
    counts["conversations_in_inbox"] = await conn.fetchval(
        "SELECT count(*) FROM conversations WHERE property_id = $1 AND started", pid
    )
    threads = await conn.fetchrow(
        "WITH t AS (SELECT conversation_id AS id, count(*) AS n FROM messages WHERE property_id = $1 "
        "GROUP BY conversation_id) SELECT (SELECT id FROM t ORDER BY n DESC LIMIT 1) AS hot, "
        "(SELECT id FROM t WHERE n BETWEEN 50 AND 100 ORDER BY id LIMIT 1) AS typical",
        pid,
    )
    sizes = {}
    for table in ("conversations", "messages", "guests", "bookings", "conversation_reads"):
        size = await conn.fetchval("SELECT pg_total_relation_size($1::regclass)", table)
        sizes[table] = round(size / 2**20, 1)
    return Dataset(
        pid,
        found["owner_id"],
        spec.owner_email,
        OWNER_PASSWORD,
        generated,
        seconds,
        counts,
        threads["hot"],
        threads["typical"],
        sizes,
    )


async def ensure_dataset(database_url: str, encryption_key: str, spec: Spec = Spec(), *, log: Any = print) -> Dataset:
    conn = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        found = await _find(conn, spec)
        if found is not None:
            log(f"Data set found (property {spec.property_name!r}): reusing it.")
            return await _describe(conn, spec, found, False, None)
        await _remove_stale(conn, spec, log)
        log(f"Generating {spec.conversations:,} conversations and {spec.messages:,} messages (one transaction)...")
        started = time.perf_counter()
        await _load(conn, FernetSecretBox(encryption_key), spec, log)
        seconds = round(time.perf_counter() - started, 1)
        log(f"Generated in {seconds:.0f} s.")
        found = await _find(conn, spec)
        assert found is not None
        return await _describe(conn, spec, found, True, seconds)
    finally:
        await conn.close()


def _main() -> None:
    from api.migrate import upgrade_to_head
    from bench import infra

    servers = infra.start()
    try:
        upgrade_to_head(servers.database_url)
        dataset = asyncio.run(ensure_dataset(servers.database_url, servers.encryption_key))
        print(dataset)
    finally:
        servers.stop()


if __name__ == "__main__":
    _main()
