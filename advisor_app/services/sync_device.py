"""This laptop's link with HQ, without the network: the HQ address checked as typed, the
advisor edits are stamped with, forgetting the link, and a second connection for a worker
thread. The window imports it at start-up, so no httpx here (sync_service has it)."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import func, select

from advisor_app.domain.local import LocalSetting, SyncOutbox
from advisor_app.i18n import tr
from advisor_app.services.database import ADVISOR_KEY, Database, device_id, get_setting
from advisor_app.services.errors import UserError
from advisor_app.services.sync_status import (
    AUTO_SYNC_KEY,
    ENROLLED_NAME_KEY,
    ENROLLED_REGION_KEY,
    HQ_URL_KEY,
    LAST_FAILURE_KEY,
)
from advisor_app.storage.engine import laptop_engine, make_session_factory
from advisor_app.sync import credentials
from advisor_app.sync.capture import ADVISOR_ID, DEVICE_ID, install_capture

HQ_DEVICE_KEY = "hq_device_id"
LAST_ERROR_KEY = "last_sync_error"


def check_server(url: str) -> str:
    """``url`` without spaces or trailing slash, or a UserError saying what an address is."""
    url = url.strip().rstrip("/")
    try:
        parts = urlsplit(url)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
        _ = parts.port  # raises on a port that is not a number
    except ValueError:
        valid = False
    if not valid or any(ch.isspace() for ch in url):
        raise UserError(tr("Adresse du siège invalide : « {url} » (ex. https://siege.example.ma).")
                        .format(url=url))
    return url


def adopt_identity(db: Database) -> None:
    """After another connection enrolled this database: stamp edits with its advisor."""
    with db.sessions() as session:
        advisor = get_setting(session, ADVISOR_KEY)
    db.sessions.configure(info={DEVICE_ID: device_id(db), ADVISOR_ID: advisor})


def forget_device(db: Database) -> int:
    """Unlinks this laptop from HQ: address, token, signing key and automatic sync forgotten; the data and
    the changes not sent yet are kept (they leave after a new enrolment). Returns how many
    changes wait."""
    with db.unit_of_work() as session:
        for key in (HQ_URL_KEY, HQ_DEVICE_KEY, LAST_ERROR_KEY, LAST_FAILURE_KEY, AUTO_SYNC_KEY,
                    ENROLLED_NAME_KEY, ENROLLED_REGION_KEY):
            row = session.get(LocalSetting, key)
            if row is not None:
                session.delete(row)
        waiting = session.scalar(select(func.count()).select_from(SyncOutbox)
                                 .where(SyncOutbox.acked_at.is_(None))) or 0
    from advisor_app.sync import device_key  # cryptography: only when it is needed

    with db.unit_of_work() as session:
        row = session.get(LocalSetting, device_key.PUBLIC_KEY_SETTING)
        if row is not None:
            session.delete(row)
    # the certificate signing key goes with the token: certificates signed with it stay
    # verifiable at HQ, and a new enrolment makes a new key
    credentials.forget_token(device_id(db))
    device_key.forget_private_key(device_id(db))
    return waiting


def worker_database(db: Database) -> Database:
    """A second connection to ``db``'s file for a background thread (SQLite connections do
    not cross threads); edits through it are stamped like those of ``db``. Close it after."""
    engine = laptop_engine(db.path, db.passphrase)
    factory = make_session_factory(engine)
    install_capture(factory)
    factory.configure(info=dict(db.sessions.kw.get("info") or {}))
    return Database(path=db.path, engine=engine, sessions=factory, passphrase=db.passphrase)
