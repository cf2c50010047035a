"""The laptop's side of sync as use cases: enrol with HQ, run a sync cycle; conflicts (in
sync_conflicts) and the device link (in sync_device) are re-exported for the command line.
Every failure is a UserError with a French message; failures of HQ are worded from their
kind (HQ unreachable, device revoked, app too old) by sync_status.failure_text."""

from __future__ import annotations

import platform
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from advisor_app.i18n import tr
from advisor_app.services.database import ADVISOR_KEY, DEMO_KEY, Database, device_id, get_setting, set_setting
from advisor_app.services.errors import UserError
from advisor_app.services.sync_conflicts import KEEP_EDITED as KEEP_EDITED
from advisor_app.services.sync_conflicts import KEEP_MINE as KEEP_MINE
from advisor_app.services.sync_conflicts import KEEP_THEIRS as KEEP_THEIRS
from advisor_app.services.sync_conflicts import ConflictRow as ConflictRow
from advisor_app.services.sync_conflicts import list_conflicts as list_conflicts
from advisor_app.services.sync_conflicts import resolve_conflict as resolve_conflict
from advisor_app.services.sync_device import check_server
from advisor_app.services.sync_status import (
    ENROLLED_NAME_KEY,
    ENROLLED_REGION_KEY,
    LAST_FAILURE_KEY,
    failure_text,
)
from advisor_app.sync import credentials, device_key
from advisor_app.sync import engine as sync_engine
from advisor_app.sync.capture import ADVISOR_ID, DEVICE_ID, to_wire
from advisor_app.sync.engine import Cancelled
from advisor_app.sync.engine import SyncReport as SyncReport  # what sync() returns
from advisor_app.sync.transport import Failure, HqClient, SyncError


class SyncFailed(UserError):
    def __init__(self, kind: Failure, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class SyncCancelled(UserError):
    """The advisor stopped the sync; what was exchanged is kept."""


@dataclass(frozen=True)
class Enrolment:
    server: str
    device_id: str
    advisor_name: str
    region_code: str
    token_stored_in: str


def _failed(exc: SyncError, server: str) -> SyncFailed:
    return SyncFailed(exc.kind, failure_text(exc.kind, server, str(exc)))


def enroll(db: Database, *, server: str, code: str, device_name: str | None = None,
           transport: httpx.BaseTransport | None = None) -> Enrolment:
    server = check_server(server)
    with db.sessions() as session:
        if get_setting(session, DEMO_KEY) is not None:
            raise UserError(tr("Cette base contient des données de démonstration : elle ne peut pas "
                               "être inscrite auprès du siège. Utilisez une base réelle."))
    local_id = device_id(db)
    signing_key = device_key.new_private_key()  # certificates: HQ keeps the public half
    try:
        with HqClient(server, transport=transport) as client:
            answer = client.enroll(code, device_name or platform.node() or "ordinateur",
                                   device_key.public_text(signing_key))
    except SyncError as exc:
        raise _failed(exc, server) from None
    where = credentials.save_token(local_id, answer.token)
    device_key.save_private_key(local_id, signing_key)
    with db.unit_of_work() as session:
        set_setting(session, device_key.PUBLIC_KEY_SETTING, device_key.public_text(signing_key))
        set_setting(session, sync_engine.HQ_URL, server)
        set_setting(session, sync_engine.HQ_DEVICE, answer.device_id)
        set_setting(session, ADVISOR_KEY, answer.advisor.id)
        set_setting(session, sync_engine.CURSOR, "0")
        set_setting(session, LAST_FAILURE_KEY, "")
        # shown until the first sync brings the advisor's reference row
        set_setting(session, ENROLLED_NAME_KEY, answer.advisor.name)
        set_setting(session, ENROLLED_REGION_KEY, answer.advisor.region_code)
    # edits made from now on are stamped with this advisor
    db.sessions.configure(info={DEVICE_ID: local_id, ADVISOR_ID: answer.advisor.id})
    return Enrolment(server, answer.device_id, answer.advisor.name, answer.advisor.region_code, where)


# the engine's progress lines ("Envoi de 12 changement(s)…", "40 ligne(s) reçue(s)…")
_PROGRESS = ((re.compile(r"^Envoi\D*(\d+)"), "Envoi de {n} changement(s) au siège…"),
             (re.compile(r"^(\d+) ligne"), "{n} ligne(s) reçue(s) du siège…"))


def progress_text(text: str) -> str:
    """A progress line of the sync engine in the current language."""
    for pattern, wording in _PROGRESS:
        if match := pattern.search(text):
            return tr(wording).format(n=match[1])
    return text


def sync(db: Database, *, transport: httpx.BaseTransport | None = None,
         cancelled: Callable[[], bool] | None = None,
         progress: Callable[[str], None] | None = None,
         full: bool = False, check: bool = False) -> SyncReport:
    """One sync cycle; ``full`` starts over, ``check`` compares with HQ afterwards (see
    ``sync.engine.run_cycle``)."""
    with db.sessions() as session:
        server = get_setting(session, sync_engine.HQ_URL)
    if not server:
        raise UserError(tr("Cet ordinateur n'est pas inscrit auprès du siège : "
                           "advisor-app enroll --server URL --code CODE."))
    token = credentials.load_token(device_id(db))
    if not token:
        raise UserError(tr("Le jeton de cet ordinateur est introuvable (trousseau ou fichier effacé) : "
                           "inscrivez-le de nouveau avec un code du siège."))
    tell = progress or (lambda _text: None)
    try:
        with HqClient(server, token, transport=transport) as client:
            report = sync_engine.run_cycle(db.sessions, client, cancelled=cancelled or (lambda: False),
                                           progress=lambda text: tell(progress_text(text)),
                                           full=full, check=check)
    except SyncError as exc:
        _remember_failure(db, exc.kind)
        raise _failed(exc, server) from None
    except Cancelled:
        raise SyncCancelled(tr("Synchronisation interrompue : ce qui a été échangé est gardé.")) from None
    _remember_failure(db, "")
    return report


def _remember_failure(db: Database, kind: str) -> None:
    with db.unit_of_work() as session:
        set_setting(session, LAST_FAILURE_KEY, str(kind))


def describe(value: Any) -> str:
    return "—" if value is None else str(to_wire(value))
