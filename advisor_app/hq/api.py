"""HQ's HTTP API (FastAPI): ``/sync/v1`` enroll, hello, push, pull, verify; OpenAPI served.

Every error is JSON ``{"detail": ..., "code": ...}`` with a 4xx status and a French reason:
malformed or oversized bodies, unknown fields, wrong types, stale protocol versions,
missing or revoked tokens. A database that is down is a 503; nothing answers a traceback."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime,
# and some name objects local to create_app().

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Annotated, Any

import orjson
from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from advisor_app import __version__
from advisor_app.domain.base import utcnow
from advisor_app.domain.reference import Advisor
from advisor_app.hq import admin, dashboard_page, verify_page
from advisor_app.hq.auth import Caller, Unauthorized, authenticate, touch
from advisor_app.hq.db import HqDatabase, reset_epoch
from advisor_app.hq.pull import pull, rows_by_id, verify
from advisor_app.hq.push import push
from advisor_app.hq.push_run import push_run
from advisor_app.services.errors import UserError
from advisor_app.sync import wire
from advisor_app.sync.push_request import parse_push_request

log = logging.getLogger("mowakaba.hq")
PROTOCOL_HEADER = "Mowakaba-Protocol"
RETRIES = 5  # a push that deadlocks with another (PostgreSQL) is run again


class ApiError(Exception):
    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail


def _problem(status: int, code: str, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(wire.Problem(detail=detail, code=code).model_dump(), status_code=status,
                        headers=headers)


class BodyLimit:
    """Refuses bodies over ``limit`` bytes with 413, before anything parses them."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            refusal = _problem(413, "too_large", f"Requête trop volumineuse (plus de {self.limit} "
                                                 "octets) : envoyez les changements en plusieurs lots.")
            await refusal(scope, receive, send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise ApiError(413, "too_large", "Requête trop volumineuse.")
            return message

        await self.app(scope, limited, send)


def create_app(db: HqDatabase, *, fail_after: Callable[[], None] | None = None) -> FastAPI:
    """The HQ application over ``db``. ``fail_after``: a test hook called after a push has
    applied its mutations and before it commits (to simulate HQ failing mid-batch)."""
    app = FastAPI(title="Mowakaba HQ", version=__version__,
                  description="Synchronisation des ordinateurs des conseillers avec le siège.")
    app.add_middleware(BodyLimit, limit=wire.MAX_BODY)

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return _problem(exc.status, exc.code, exc.detail)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return _problem(422, "invalid", _invalid_reason(exc.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = {404: "Adresse inconnue sur le serveur du siège.",
                  405: "Méthode non permise pour cette adresse."}.get(exc.status_code, str(exc.detail))
        return _problem(exc.status_code, "http", detail)

    @app.exception_handler(Exception)
    async def _bug(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        return _problem(500, "internal", "Erreur interne du siège : elle a été enregistrée.")

    @app.exception_handler(OperationalError)
    async def _db_down(_request: Request, exc: OperationalError) -> JSONResponse:
        log.error("database unavailable: %s", exc)
        return _problem(503, "unavailable", "La base du siège est indisponible : réessayez plus tard.",
                        headers={"Retry-After": "30"})

    def protocol(value: Annotated[str | None, Header(alias=PROTOCOL_HEADER)] = None) -> None:
        if value != str(wire.PROTOCOL):
            raise ApiError(426, "upgrade_required",
                           "Version du protocole de synchronisation non prise en charge "
                           f"({value or 'absente'} ; le siège parle la version {wire.PROTOCOL}) : "
                           "mettez l'application à jour.")

    def caller(authorization: Annotated[str | None, Header()] = None) -> Iterator[Caller]:
        # A read: authenticating never waits behind a writer (SQLite has one at a time).
        try:
            with db.read() as session:
                who = authenticate(session, authorization)
        except Unauthorized as exc:
            raise ApiError(401, "unauthorized", str(exc)) from None
        yield who

    Authed = Annotated[Caller, Depends(caller)]
    deps = [Depends(protocol)]

    app.include_router(verify_page.router(db))  # public certificate verification page
    app.include_router(dashboard_page.router(db))  # HQ staff: login, dashboards

    @app.get("/health", tags=["état"])
    def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @app.post("/sync/v1/enroll", status_code=201, response_model=wire.EnrollResponse, dependencies=deps,
              responses={403: {"model": wire.Problem}})
    def enroll(body: wire.EnrollRequest) -> wire.EnrollResponse:
        try:
            with db.write() as session:
                device, token, advisor = admin.enroll(session, body.code, body.device_name,
                                                     public_key=body.public_key)
                info = _advisor_info(advisor)
                return wire.EnrollResponse(device_id=device.id, token=token, advisor=info)
        except UserError as exc:
            raise ApiError(403, "bad_code", str(exc)) from None

    @app.post("/sync/v1/hello", response_model=wire.HelloResponse, dependencies=deps)
    def hello(body: wire.HelloRequest, who: Authed) -> wire.HelloResponse:
        epoch = db.epoch()
        if body.epoch == epoch and body.cursor > db.counter():
            # the laptop has read numbers HQ has not given yet: HQ went back in time (restored
            # from a backup without "advisor-hq restored"); a new epoch makes every laptop
            # send its changes again and read everything
            log.warning("device %s is at %s, beyond HQ's counter: restored database, new epoch",
                        who.device_id, body.cursor)
            epoch = reset_epoch(db)
        with db.read() as session:
            advisor = session.get(Advisor, who.advisor_id)
            assert advisor is not None
            colleagues = session.scalars(select(Advisor).where(
                Advisor.region_code == who.region, Advisor.deleted_at.is_(None)).order_by(Advisor.name))
            status, message = wire.HelloStatus.OK, ""
            if body.protocol != wire.PROTOCOL:
                status, message = wire.HelloStatus.UPGRADE_REQUIRED, "Mettez l'application à jour."
            elif body.epoch is not None and body.epoch != epoch:
                status, message = wire.HelloStatus.FULL_RESYNC, "Le siège a été restauré : tout est relu."
            skew = abs((utcnow() - body.clock).total_seconds())
            if status == wire.HelloStatus.OK and skew > 600:
                message = f"L'horloge de cet ordinateur a {round(skew / 60)} min d'écart avec le siège."
            return wire.HelloResponse(status=status, epoch=epoch, server_time=utcnow(),
                                      advisor=_advisor_info(advisor),
                                      region_advisors=[_advisor_info(a) for a in colleagues],
                                      message=message)

    @app.post("/sync/v1/push", response_model=wire.PushResponse, dependencies=deps,
              openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                  "schema": {"$ref": "#/components/schemas/PushRequest"}}}}})
    def push_route(raw: Annotated[bytes, Depends(_body)], who: Authed) -> Response:
        # read from the bytes (orjson, checked by hand, or the model for anything unusual):
        # FastAPI's path (the json module, then a validation of Python objects) cost three
        # times as much on a push of 2,000 changes
        try:
            changes = parse_push_request(raw)
        except ValidationError as exc:
            raise ApiError(422, "invalid", _invalid_reason(exc.errors())) from None
        for attempt in range(RETRIES):
            try:
                with db.write() as session:
                    touch(session, who)
                    results = (push_run(session, who, changes) if isinstance(changes, wire.Run)
                               else push(session, who, changes))
                    if fail_after is not None:
                        fail_after()
                # JSON-ready already (the form stored for replays): not validated again
                return Response(orjson.dumps({"results": results}), media_type="application/json")
            except DBAPIError as exc:
                if attempt == RETRIES - 1 or not _retryable(exc):
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    @app.get("/sync/v1/pull", response_model=wire.PullResponse, dependencies=deps)
    def pull_route(who: Authed, since: Annotated[int, Query(ge=0, le=2**62)] = 0,
                   limit: Annotated[int, Query(ge=1, le=wire.MAX_PAGE)] = 1000,
                   known: Annotated[str | None, Query(max_length=wire.MAX_KNOWN * 40,
                                                      pattern=wire.KNOWN_PATTERN)] = None) -> Response:
        """``known``: ranges ``first-last`` of server_seq numbers HQ gave the caller's own
        changes in answers it applied; those rows are left out instead of echoed."""
        try:
            ranges = wire.parse_known(known) if known else []
        except ValueError as exc:
            raise ApiError(422, "invalid", f"Requête invalide : known : {exc}") from None
        with db.read() as session:
            page = pull(session, who, since, limit, ranges)
        return Response(orjson.dumps(page), media_type="application/json")

    @app.post("/sync/v1/rows", response_model=wire.RowsResponse, dependencies=deps)
    def rows_route(body: wire.RowsRequest, who: Authed) -> Response:
        if sum(len(ids) for ids in body.rows.values()) > wire.MAX_PAGE:
            raise ApiError(413, "too_large", f"Au plus {wire.MAX_PAGE} lignes par demande.")
        with db.read() as session:
            found = rows_by_id(session, who, {name: list(ids) for name, ids in body.rows.items()})
        return Response(orjson.dumps(found), media_type="application/json")

    @app.get("/sync/v1/verify", response_model=wire.VerifyResponse, dependencies=deps)
    def verify_route(who: Authed) -> wire.VerifyResponse:
        with db.read() as session:
            return verify(session, who)

    @app.post("/sync/v1/device-key", status_code=201, response_model=wire.DeviceKeyResponse,
              dependencies=deps, responses={409: {"model": wire.Problem}})
    def device_key_route(body: wire.DeviceKeyRequest, who: Authed) -> wire.DeviceKeyResponse:
        try:  # certificates: the key of a laptop enrolled before they existed (once only)
            with db.write() as session:
                return wire.DeviceKeyResponse(key_prefix=admin.set_device_key(session, who.device_id,
                                                                              body.public_key))
        except UserError as exc:
            raise ApiError(409, "key_refused", str(exc)) from None

    _document_push_body(app)
    return app


async def _body(request: Request) -> bytes:
    return await request.body()


def _document_push_body(app: FastAPI) -> None:
    """The push route reads its body itself: its schema is added to the OpenAPI document."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = build()
            schema = wire.PushRequest.model_json_schema(ref_template="#/components/schemas/{model}")
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            schemas.update(schema.pop("$defs", {}))
            schemas["PushRequest"] = schema
        return app.openapi_schema or build()

    app.openapi = openapi  # type: ignore[method-assign]


def _invalid_reason(errors: Sequence[Any]) -> str:
    first = errors[0] if errors else {}
    where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
    return f"Requête invalide : {where or 'corps'} : {first.get('msg', '')}"


def _advisor_info(advisor: Advisor) -> wire.AdvisorInfo:
    return wire.AdvisorInfo(id=advisor.id, name=advisor.name, email=advisor.email,
                            region_code=advisor.region_code, active=advisor.active)


def _retryable(exc: DBAPIError) -> bool:
    """PostgreSQL deadlock / serialization failure, SQLite busy: worth one more try."""
    code = getattr(exc.orig, "sqlstate", None)
    if code == "23505" and "hq_mutation" in str(exc.orig):
        return True  # the same mutation pushed twice at once (a retry): the rerun says "duplicate"
    return code in {"40P01", "40001"} or "database is locked" in str(exc.orig)

