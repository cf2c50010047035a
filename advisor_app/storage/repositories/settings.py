"""The laptop's own key/value settings (device id, advisor, sync cursor...). No commit:
the caller owns the session and its transaction."""

from __future__ import annotations

from sqlalchemy.orm import Session

from advisor_app.domain.local import LocalSetting


def get_setting(session: Session, key: str) -> str | None:
    row = session.get(LocalSetting, key)
    return row.value if row else None


def set_setting(session: Session, key: str, value: str) -> None:
    row = session.get(LocalSetting, key)
    if row is None:
        session.add(LocalSetting(key=key, value=value))
    else:
        row.value = value
