"""The certificate signing key of a laptop enrolled with HQ before certificates existed:
made here, its public half registered at HQ with the laptop's token (once: HQ never
replaces a key that way). Laptops enrolled since get theirs at enrolment."""

from __future__ import annotations

import httpx

from advisor_app.i18n import tr
from advisor_app.services.database import Database, device_id, get_setting, set_setting
from advisor_app.services.errors import UserError
from advisor_app.sync import credentials, device_key
from advisor_app.sync import engine as sync_engine
from advisor_app.sync.transport import HqClient, SyncError


def create_signing_key(db: Database, *, transport: httpx.BaseTransport | None = None) -> str:
    """Makes the key, has HQ record it, keeps it; returns the certificate number prefix."""
    local = device_id(db)
    with db.sessions() as session:
        server = get_setting(session, sync_engine.HQ_URL)
        public = get_setting(session, device_key.PUBLIC_KEY_SETTING)
    if not server:
        raise UserError(tr("Cet ordinateur n'est pas inscrit auprès du siège : inscrivez-le d'abord "
                           "(écran Synchronisation)."))
    if public:
        raise UserError(tr("Cet ordinateur a déjà sa clé de signature."))
    token = credentials.load_token(local)
    if not token:
        raise UserError(tr("Le jeton de cet ordinateur est introuvable (trousseau ou fichier effacé) : "
                           "inscrivez-le de nouveau auprès du siège."))
    key = device_key.new_private_key()
    try:
        with HqClient(server, token, transport=transport) as client:
            answer = client.register_key(device_key.public_text(key))
    except SyncError as exc:
        raise UserError(tr("Le siège n'a pas enregistré la clé de signature : {error}").format(
            error=exc)) from None
    device_key.save_private_key(local, key)
    with db.unit_of_work() as session:
        set_setting(session, device_key.PUBLIC_KEY_SETTING, device_key.public_text(key))
    return answer.key_prefix
