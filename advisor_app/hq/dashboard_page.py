"""HQ's web dashboard for HQ staff: ``/connexion`` (login form), ``/deconnexion``,
``/tableau-de-bord`` (figures per region and agency, one perimeter in detail). Without a
valid session cookie every dashboard address redirects to the login form."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime.

import datetime as dt
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from advisor_app.domain.ops_metrics import QueueFigures
from advisor_app.domain.reference import Agency, Region
from advisor_app.hq import staff
from advisor_app.hq.dashboard_html import Choice, Page, Row, render_dashboard, render_login
from advisor_app.hq.dashboard_ops_html import RegionLoad
from advisor_app.hq.db import HqDatabase
from advisor_app.services import ops_config
from advisor_app.services import targets as targets_service
from advisor_app.services.errors import UserError
from advisor_app.services.indicator_facts import EnrolmentFacts, load_facts
from advisor_app.services.indicators import aggregate
from advisor_app.services.ops_facts import Operations, operations, queue_by_region

DASHBOARD = "/tableau-de-bord"
LOGIN = "/connexion"
NO_AGENCY = "aucune"
HEADERS = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex", "X-Frame-Options": "DENY",
           "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                                      "frame-ancestors 'none'"}
WRONG = "Adresse e-mail ou mot de passe incorrect."


def _html(text: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(text, status_code=status, headers=HEADERS)


def _safe_next(value: str) -> str:
    """Only a dashboard address of this server (never another site)."""
    return value if value.startswith(DASHBOARD) and "//" not in value and "\\" not in value else DASHBOARD


def _names(session: Session) -> tuple[dict[str, str], dict[str, str]]:
    regions = {r.code: r.name_fr for r in session.scalars(
        select(Region).where(Region.deleted_at.is_(None)).order_by(Region.position))}
    agencies = {a.id: a.name for a in session.scalars(
        select(Agency).where(Agency.deleted_at.is_(None)).order_by(Agency.region_code, Agency.name))}
    return regions, agencies


def build_page(session: Session, member: staff.StaffMember, *, region: str, agency: str,
               today: dt.date) -> Page:
    regions, agencies = _names(session)
    facts = load_facts(session, today=today)
    year = today.year
    by_region: dict[str, list[EnrolmentFacts]] = {code: [] for code in regions}
    by_agency: dict[str, list[EnrolmentFacts]] = {key: [] for key in agencies}
    for f in facts:
        by_region.setdefault(f.region_code, []).append(f)
        by_agency.setdefault(f.agency_id or NO_AGENCY, []).append(f)
    region_rows = [Row(code, "region", regions.get(code, code), aggregate(rows, today=today))
                   for code, rows in by_region.items()]
    agency_rows = [Row(key, "agency", agencies.get(key, "Sans agence"), aggregate(rows, today=today))
                   for key, rows in by_agency.items() if rows or key != NO_AGENCY]
    chosen, perimeter, target_regions = facts, "Tout le programme", None
    if region:
        chosen = by_region.get(region, [])
        perimeter, target_regions = f"Région {regions.get(region, region)}", [region]
    elif agency:
        chosen = by_agency.get(agency, [])
        perimeter = agencies.get(agency, "Sans agence" if agency == NO_AGENCY else agency)
        target_regions = []  # no target per agency: the table shows actuals only
    try:
        known = targets_service.load_targets()
    except UserError:
        known = []
    target = (None if target_regions == [] else
              targets_service.sum_targets(known, year=year, regions=target_regions))
    ops, loads, ops_error = _operations(session, facts, chosen, regions, today=today, region=region,
                                        agency=agency)
    return Page(
        staff_name=member.name, perimeter=perimeter,
        regions=[Choice(code, name) for code, name in regions.items()],
        agencies=[Choice(key, name) for key, name in agencies.items()] + [Choice(NO_AGENCY, "Sans agence")],
        region=region, agency=agency, by_region=region_rows, by_agency=agency_rows,
        total=aggregate(facts, today=today), chosen=aggregate(chosen, today=today),
        targets=targets_service.actuals(chosen, target, year=year), year=year,
        operations=ops, regions_load=loads, operations_error=ops_error)


def _operations(session: Session, facts: list[EnrolmentFacts], chosen: list[EnrolmentFacts],
                regions: dict[str, str], *, today: dt.date, region: str,
                agency: str) -> tuple[Operations | None, list[RegionLoad], str]:
    """Financing, complaints, capacity and queue of the chosen perimeter, and the capacity
    and queue of every region (the per-region table)."""
    try:
        config, targets = ops_config.load_config(), ops_config.load_targets()
    except UserError as exc:
        return None, [], str(exc)
    agency_id = None if not agency else ("" if agency == NO_AGENCY else agency)
    ops = operations(session, chosen, today=today, config=config, targets=targets,
                     regions=[region] if region else None, agency_id=agency_id, names=regions)
    everyone = ops if not (region or agency) else operations(
        session, [], today=today, config=config, targets=targets, names=regions)
    queues = queue_by_region(facts, today=today)
    loads = []
    for code, name in regions.items():
        lines = [a.line for a in everyone.capacity if a.region_code == code]
        loads.append(RegionLoad(code, name, len(lines), sum(x.status == "over" for x in lines),
                                sum(x.status == "under" for x in lines),
                                queues.get(code) or _no_queue()))
    return ops, loads, ""


def _no_queue() -> QueueFigures:
    return QueueFigures(0, None, None, None)


def router(db: HqDatabase) -> APIRouter:
    routes = APIRouter(tags=["tableau de bord"], include_in_schema=False)

    def member_of(request: Request) -> staff.StaffMember | None:
        with db.read() as session:
            return staff.read_cookie(session, request.cookies.get(staff.COOKIE))

    def to_login(request: Request) -> RedirectResponse:
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"{LOGIN}?suite={quote(path)}", status_code=303, headers=HEADERS)

    @routes.get(LOGIN, response_class=HTMLResponse)
    def login_form(request: Request, suite: str = DASHBOARD) -> Response:
        if member_of(request) is not None:
            return RedirectResponse(_safe_next(suite), status_code=303)
        return _html(render_login(next_path=_safe_next(suite)))

    @routes.post(LOGIN, response_class=HTMLResponse)
    async def login(request: Request) -> Response:
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode("utf-8", "replace")).items()}
        email, password = form.get("email", "").strip(), form.get("password", "")
        next_path = _safe_next(form.get("suite", DASHBOARD))

        def check() -> tuple[staff.StaffMember | None, str]:
            with db.write() as session:
                member = staff.login(session, email, password) if email and password else None
                return member, staff.make_cookie(session, member.id) if member else ""

        member, cookie = await run_in_threadpool(check)  # scrypt takes a while: not on the event loop
        if member is None:
            return _html(render_login(WRONG, email, next_path), status=401)
        response = RedirectResponse(next_path, status_code=303, headers=HEADERS)
        response.set_cookie(staff.COOKIE, cookie, max_age=staff.SESSION_HOURS * 3600, httponly=True,
                            samesite="lax", secure=request.url.scheme == "https", path="/")
        return response

    @routes.post("/deconnexion")
    def logout() -> Response:
        response = RedirectResponse(LOGIN, status_code=303, headers=HEADERS)
        response.delete_cookie(staff.COOKIE, path="/")
        return response

    @routes.get(DASHBOARD, response_class=HTMLResponse)
    def dashboard(request: Request, region: str = "", agency: str = "") -> Response:
        member = member_of(request)
        if member is None:
            return to_login(request)
        with db.read() as session:
            page = build_page(session, member, region=region, agency=agency, today=dt.date.today())
        return _html(render_dashboard(page))

    return routes
