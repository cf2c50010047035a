"""The laptop's HTTP client for ``/sync/v1``: typed calls, and every failure turned into a
SyncError whose message a person can act on (HQ unreachable, device revoked, app too
old, HQ error)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from advisor_app import __version__
from advisor_app.sync import wire

PROTOCOL_HEADER = "Mowakaba-Protocol"
T = TypeVar("T", bound=BaseModel)


class Failure(StrEnum):
    UNREACHABLE = "unreachable"
    UNAUTHORIZED = "unauthorized"  # revoked or unknown device
    UPGRADE = "upgrade"
    REFUSED = "refused"  # HQ said no (bad code, bad request)
    SERVER = "server"


class SyncError(Exception):
    def __init__(self, kind: Failure, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class HqClient:
    """One HQ, one device token. ``transport``: an httpx transport (tests inject faults)."""

    def __init__(self, base_url: str, token: str | None = None, *,
                 transport: httpx.BaseTransport | None = None, timeout: float = 60.0) -> None:
        headers = {PROTOCOL_HEADER: str(wire.PROTOCOL), "User-Agent": f"Mowakaba/{__version__}"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.base_url = base_url.rstrip("/")
        self.requests = 0  # how many HTTP calls this client made
        self._http = httpx.Client(base_url=self.base_url, headers=headers, timeout=timeout,
                                  transport=transport)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> HqClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- calls --------------------------------------------------------------------------------
    def enroll(self, code: str, device_name: str, public_key: str = "") -> wire.EnrollResponse:
        body = wire.EnrollRequest(code=code, device_name=device_name, public_key=public_key)
        return self._call("POST", "/sync/v1/enroll", wire.EnrollResponse, json=body)

    def hello(self, *, cursor: int, epoch: str | None) -> wire.HelloResponse:
        body = wire.HelloRequest(protocol=wire.PROTOCOL, app_version=__version__,
                                 clock=dt.datetime.now(dt.UTC), cursor=cursor, epoch=epoch)
        return self._call("POST", "/sync/v1/hello", wire.HelloResponse, json=body)

    def push(self, mutations: list[wire.Mutation] | bytes) -> list[wire.Decision]:
        """``mutations``: the models, or a ``PushRequest`` already serialized (the engine
        writes the outbox's stored JSON straight into the body)."""
        body = mutations if isinstance(mutations, bytes) else wire.PushRequest(mutations=mutations)
        return self.read_push(self.send_push(body))

    def send_push(self, body: bytes | wire.PushRequest) -> bytes:
        """``push`` without reading the answer: the engine sends the next batch before it
        reads the last answer."""
        return self._send("POST", "/sync/v1/push", json=body)

    @staticmethod
    def read_push(content: bytes) -> list[wire.Decision]:
        try:
            return wire.parse_push(content)
        except ValueError:
            raise _unreadable("/sync/v1/push") from None

    def pull(self, since: int, limit: int, known: list[tuple[int, int]] | None = None) -> wire.Page:
        """``known``: ranges of server_seq numbers HQ gave this laptop's own changes in
        answers it has applied: HQ leaves those rows out instead of echoing them."""
        params: dict[str, Any] = {"since": since, "limit": limit}
        if known:
            params["known"] = wire.format_known(known)
        content = self._send("GET", "/sync/v1/pull", params=params)
        try:
            return wire.parse_pull(content)
        except ValueError:
            raise _unreadable("/sync/v1/pull") from None

    def rows(self, wanted: dict[str, list[str]]) -> list[wire.Pulled]:
        """Whole rows by id (at most ``wire.MAX_PAGE``), their parents first."""
        content = self._send("POST", "/sync/v1/rows", json=wire.RowsRequest(rows=wanted))
        try:
            return wire.parse_rows(content)
        except ValueError:
            raise _unreadable("/sync/v1/rows") from None

    def verify(self) -> wire.VerifyResponse:
        return self._call("GET", "/sync/v1/verify", wire.VerifyResponse)

    def register_key(self, public_key: str) -> wire.DeviceKeyResponse:
        return self._call("POST", "/sync/v1/device-key", wire.DeviceKeyResponse,
                          json=wire.DeviceKeyRequest(public_key=public_key))

    # -- plumbing -----------------------------------------------------------------------------
    def _call(self, method: str, path: str, answer: type[T], *, json: BaseModel | bytes | None = None,
              params: dict[str, Any] | None = None) -> T:
        content = self._send(method, path, json=json, params=params)
        try:
            return answer.model_validate_json(content)
        except ValidationError:
            raise _unreadable(path) from None

    def _send(self, method: str, path: str, *, json: BaseModel | bytes | None = None,
              params: dict[str, Any] | None = None) -> bytes:
        self.requests += 1
        body = json.model_dump_json().encode() if isinstance(json, BaseModel) else json
        try:
            response = self._http.request(
                method, path, params=params, content=body,
                headers={"Content-Type": "application/json"} if body is not None else None)
        except httpx.TransportError as exc:
            raise SyncError(Failure.UNREACHABLE,
                            f"Le siège est injoignable ({self.base_url}) : vérifiez la connexion "
                            f"et réessayez. ({type(exc).__name__})") from None
        if response.status_code >= 400:
            raise _failure(response)
        return response.content


def _unreadable(path: str) -> SyncError:
    return SyncError(Failure.SERVER, f"Réponse du siège illisible ({path}) : est-ce bien "
                                     "un serveur Mowakaba ?")


def _failure(response: httpx.Response) -> SyncError:
    try:
        detail = str(response.json().get("detail", ""))
    except ValueError:
        detail = ""
    status = response.status_code
    if status == 401:
        return SyncError(Failure.UNAUTHORIZED, detail or "Cet ordinateur n'est pas reconnu par le siège.")
    if status == 426:
        return SyncError(Failure.UPGRADE, detail or "Mettez l'application à jour pour synchroniser.")
    if status >= 500:
        return SyncError(Failure.SERVER, f"Le siège a rencontré une erreur ({status}) : réessayez plus "
                                         f"tard. {detail}".strip())
    return SyncError(Failure.REFUSED, detail or f"Requête refusée par le siège ({status}).")
