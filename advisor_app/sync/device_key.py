"""The laptop's certificate signing key and the signed verification code a certificate's
QR code carries.

Each enrolled laptop has an Ed25519 key pair: the private key stays on the laptop (beside
the device token, same keyring / 0600-file rules, see ``credentials``), the public key goes
to HQ at enrolment. A certificate's code is ``base64url(payload + signature)``; the payload
names the HQ device, the local counter, the day of issue, a digest of the printed facts and
the beneficiary's name, so HQ can tell a real certificate from a forged one (and show who
it is for) even before the laptop has synced the certificate row.

The number's prefix is a fingerprint of the public key; HQ refuses an enrolment whose
prefix another laptop already has, so two laptops working offline never issue the same
number."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import struct
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from advisor_app.sync import credentials

if TYPE_CHECKING:  # cryptography is imported on first use: the main window paints first
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

VERSION = 1
EPOCH = dt.date(2000, 1, 1)
_HEAD = struct.Struct(">B16sIH8sB")  # version, device uuid, counter, day, facts digest, name length
SIGNATURE_SIZE = 64
NAME_BYTES = 60  # the beneficiary's name carried in the code, cut to this many bytes (UTF-8)
NUMBER_KIND = "ATT"  # "attestation"
PUBLIC_KEY_SETTING = "certificate_public_key"  # local setting: the key HQ knows for this laptop


class CodeError(ValueError):
    """A code that is not a well-formed certificate code."""


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64(text: str) -> bytes:
    text = text.strip()
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError) as exc:
        raise CodeError("not base64url") from exc


# -- keys ----------------------------------------------------------------------------------------
def new_private_key() -> Ed25519PrivateKey:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.generate()


def public_text(key: Ed25519PrivateKey) -> str:
    return b64(key.public_key().public_bytes_raw())


def key_prefix(public_key: str) -> str:
    """The 8-character fingerprint (base32, 40 bits) of a public key: the number prefix."""
    digest = hashlib.sha256(unb64(public_key)).digest()
    return base64.b32encode(digest[:5]).decode("ascii")


def _store_key(local_device: str) -> str:
    return f"{local_device}-signing"


def save_private_key(local_device: str, key: Ed25519PrivateKey) -> str:
    """Keeps the key where the device token is kept; returns where."""
    return credentials.save_token(_store_key(local_device), b64(key.private_bytes_raw()))


def load_private_key(local_device: str) -> Ed25519PrivateKey | None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    text = credentials.load_token(_store_key(local_device))
    if not text:
        return None
    try:
        return Ed25519PrivateKey.from_private_bytes(unb64(text))
    except (CodeError, ValueError):
        return None


def forget_private_key(local_device: str) -> None:
    credentials.forget_token(_store_key(local_device))


# -- certificate numbers and codes -------------------------------------------------------------------
def certificate_number(prefix: str, counter: int) -> str:
    return f"{NUMBER_KIND}-{prefix}-{counter:05d}"


def facts_digest(facts: dict[str, Any]) -> bytes:
    """Eight bytes of SHA-256 over the facts in canonical JSON."""
    canonical = json.dumps(facts, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).digest()[:8]


@dataclass(frozen=True)
class CodeContent:
    device_id: str  # HQ's id of the laptop
    counter: int
    issued_on: dt.date
    digest: bytes
    name: str
    payload: bytes
    signature: bytes


def _cut_name(name: str) -> bytes:
    data = name.encode("utf-8")[:NAME_BYTES]
    return data.decode("utf-8", errors="ignore").encode("utf-8")  # never half a character


def sign_code(key: Ed25519PrivateKey, *, device_id: str, counter: int, issued_on: dt.date,
              facts: dict[str, Any], name: str) -> str:
    name_bytes = _cut_name(name)
    payload = _HEAD.pack(VERSION, uuid.UUID(device_id).bytes, counter, (issued_on - EPOCH).days,
                         facts_digest(facts), len(name_bytes)) + name_bytes
    return b64(payload + key.sign(payload))


def read_code(code: str) -> CodeContent:
    """Splits a code (or a verification URL ending with it); ``CodeError`` when malformed.
    The signature is not checked here (see ``verify_signature``)."""
    code = code.strip().rstrip("/").rsplit("/", 1)[-1]
    if not code or len(code) > 400:
        raise CodeError("bad length")
    raw = unb64(code)
    if len(raw) < _HEAD.size + SIGNATURE_SIZE:
        raise CodeError("too short")
    version, device, counter, days, digest, size = _HEAD.unpack_from(raw)
    if version != VERSION or len(raw) != _HEAD.size + size + SIGNATURE_SIZE:
        raise CodeError("bad version or length")
    payload, signature = raw[:-SIGNATURE_SIZE], raw[-SIGNATURE_SIZE:]
    try:
        name = payload[_HEAD.size:].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CodeError("bad name") from exc
    return CodeContent(str(uuid.UUID(bytes=device)), counter, EPOCH + dt.timedelta(days=days),
                       digest, name, payload, signature)


def verify_signature(content: CodeContent, public_key: str) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(unb64(public_key)).verify(content.signature, content.payload)
    except (InvalidSignature, CodeError, ValueError):
        return False
    return True
