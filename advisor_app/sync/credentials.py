"""Where a laptop keeps its device token: the OS keyring (Windows Credential Manager,
macOS Keychain, Secret Service), or, when none works here, a file only its user can read.

``MOWAKABA_TOKEN_STORE=file`` forces the file (tests, machines without a desktop session)."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

import platformdirs

SERVICE = "Mowakaba sync"
ENV_STORE = "MOWAKABA_TOKEN_STORE"


def _file(key: str) -> Path:
    return Path(platformdirs.user_config_dir("Mowakaba", appauthor=False)) / "tokens" / f"{key}.token"


def _keyring_usable() -> bool:
    if os.environ.get(ENV_STORE) == "file":
        return False
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return False
    backend = keyring.get_keyring()
    return not isinstance(backend, fail.Keyring) and getattr(backend, "priority", 0) > 0


def save_token(key: str, token: str) -> str:
    """Stores ``token`` under ``key`` (the local device id); returns where ("trousseau du
    système" or the file path)."""
    if _keyring_usable():
        import keyring
        from keyring.errors import KeyringError

        try:
            keyring.set_password(SERVICE, key, token)
            _file(key).unlink(missing_ok=True)
            return "trousseau du système"
        except KeyringError:
            pass
    path = _file(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, stat.S_IRWXU)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(token)
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    return str(path)


def load_token(key: str) -> str | None:
    if _keyring_usable():
        import keyring
        from keyring.errors import KeyringError

        try:
            token = keyring.get_password(SERVICE, key)
        except KeyringError:
            token = None
        if token:
            return token
    path = _file(key)
    try:
        return path.read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def forget_token(key: str) -> None:
    if _keyring_usable():
        import keyring
        from keyring.errors import KeyringError, PasswordDeleteError

        with contextlib.suppress(PasswordDeleteError, KeyringError):
            keyring.delete_password(SERVICE, key)
    _file(key).unlink(missing_ok=True)
