"""The web app: server-rendered pages for people (sign in, my bots, a bot's dashboard, onboarding, token launch).

Pages read and write through the same services as the JSON API; the video dialog and the gallery are plain
JavaScript (`static/app.js`) calling `/api/v1` with the session cookie and the CSRF header.
"""

from __future__ import annotations

import hmac
import uuid
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from botvideo.auth import service as auth_service
from botvideo.auth.cookies import end_session, start_session
from botvideo.auth.deps import CSRF_COOKIE, SESSION_COOKIE, new_csrf_token
from botvideo.auth.models import User
from botvideo.communities import service as communities
from botvideo.communities.service import Membership
from botvideo.core.deps import RuntimeDep, SessionDep
from botvideo.core.errors import BotvideoError, Forbidden, NotAuthenticated
from botvideo.runtime import Runtime

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")

router = APIRouter(include_in_schema=False)

# The four video types as people see them, in the order the dialog offers them.
VIDEO_TYPES: list[dict[str, str]] = [
    {
        "id": "intro",
        "label": "Character Intro",
        "description": "A cinematic reveal of your bot as a character.",
    },
    {"id": "promo", "label": "Promotional", "description": "A fast, upbeat showcase of what your bot does."},
    {
        "id": "token_reveal",
        "label": "Token Launch",
        "description": "Your bot's coin forming in a burst of light, ticker and all.",
    },
    {
        "id": "custom",
        "label": "Custom",
        "description": "Describe any scene yourself; it is made from your words.",
    },
]
VIDEO_STATUSES = ["pending", "processing", "completed", "failed", "canceled"]


class SignInRequired(Exception):
    """Raised by page dependencies; answered with a redirect to the sign-in page."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def _signed_in_user(request: Request, runtime: Runtime, session: SessionDep) -> User | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    try:
        claims = runtime.tokens.verify(token)
    except NotAuthenticated:
        return None  # expired or from another secret: treat as signed out
    return auth_service.user_for_claims(session, claims)


def page_user(request: Request, runtime: RuntimeDep, session: SessionDep) -> User:
    user = _signed_in_user(request, runtime, session)
    if user is None:
        raise SignInRequired(request.url.path)
    return user


PageUser = Annotated[User, Depends(page_user)]


def _csrf_token(request: Request) -> str:
    return request.cookies.get(CSRF_COOKIE) or ""


def _check_form_csrf(request: Request, sent: str) -> None:
    # Double submit, as for the API: the form's hidden field must echo the CSRF cookie another site cannot read.
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not sent or not hmac.compare_digest(cookie, sent):
        raise Forbidden("The form expired. Reload the page and try again.")


def _render(
    request: Request, template: str, context: dict[str, Any] | None = None, *, status_code: int = 200
) -> Response:
    # A form shown again with its error answers 200: the page itself loaded fine (and browsers log 4xx pages).
    base: dict[str, Any] = {"csrf_token": _csrf_token(request), "user": None}
    base.update(context or {})
    return templates.TemplateResponse(request, template, base, status_code=status_code)


def _safe_next(value: str | None) -> str:
    # Only paths on this site, so the sign-in form cannot be used to bounce people elsewhere.
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/bots"


def _bot_context(runtime: Runtime, membership: Membership) -> dict[str, Any]:
    community = membership.community
    return {
        "bot": community,
        "membership": membership,
        "can_manage": membership.is_admin,
        "avatar_url": runtime.signer.url(community.avatar_key) if community.avatar_key else None,
        "video_types": VIDEO_TYPES,
        "video_statuses": VIDEO_STATUSES,
    }


# --- sign in / out ----------------------------------------------------------------------------------------


@router.get("/")
def home(request: Request, runtime: RuntimeDep, session: SessionDep) -> Response:
    user = _signed_in_user(request, runtime, session)
    return RedirectResponse("/bots" if user else "/signin", status_code=303)


@router.get("/signin")
def signin_form(request: Request, runtime: RuntimeDep, session: SessionDep, next: str | None = None) -> Response:
    if _signed_in_user(request, runtime, session) is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    # A CSRF cookie before there is a session, so the sign-in form itself cannot be forged (login CSRF).
    csrf = _csrf_token(request) or new_csrf_token()
    response = _render(request, "signin.html", {"csrf_token": csrf, "next": _safe_next(next), "email": ""})
    if not request.cookies.get(CSRF_COOKIE):
        response.set_cookie(CSRF_COOKIE, csrf, httponly=False, samesite="strict")
    return response


@router.post("/signin")
def signin(
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1024)],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/bots",
) -> Response:
    try:
        _check_form_csrf(request, csrf_token)
        user = auth_service.sign_in(session, email.strip().lower(), password)
    except BotvideoError as exc:
        return _render(
            request,
            "signin.html",
            {"error": exc.message, "email": email, "next": _safe_next(next)},
        )
    response = RedirectResponse(_safe_next(next), status_code=303)
    start_session(response, runtime, runtime.tokens.issue(user.auth_user_id, email=user.email))
    return response


@router.post("/signout")
def signout(request: Request, csrf_token: Annotated[str, Form(max_length=200)] = "") -> Response:
    _check_form_csrf(request, csrf_token)
    response = RedirectResponse("/signin", status_code=303)
    end_session(response)
    return response


# --- bots ---------------------------------------------------------------------------------------------------


@router.get("/bots")
def my_bots(request: Request, runtime: RuntimeDep, session: SessionDep, user: PageUser) -> Response:
    bots = [
        {
            "membership": m,
            "bot": m.community,
            "avatar_url": runtime.signer.url(m.community.avatar_key) if m.community.avatar_key else None,
        }
        for m in communities.my_communities(session, user)
    ]
    return _render(request, "bots.html", {"user": user, "bots": bots})


@router.get("/bots/new")
def new_bot_form(request: Request, user: PageUser) -> Response:
    return _render(request, "bot_new.html", {"user": user, "form": {}})


@router.post("/bots/new")
async def create_bot(
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    user: PageUser,
    name: Annotated[str, Form(max_length=200)],
    agent_name: Annotated[str, Form(max_length=200)] = "",
    agent_instructions: Annotated[str, Form(max_length=5000)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    avatar: Annotated[UploadFile | None, File()] = None,
) -> Response:
    form = {"name": name, "agent_name": agent_name, "agent_instructions": agent_instructions}
    try:
        _check_form_csrf(request, csrf_token)
        content = await avatar.read(communities.MAX_AVATAR_BYTES + 1) if avatar and avatar.filename else b""
        community = communities.create_community(
            session, user, name=name, agent_name=agent_name, agent_instructions=agent_instructions
        )
        if content:
            membership = communities.require_admin(session, community.id, user)
            communities.set_avatar(runtime.storage, membership, content)
    except BotvideoError as exc:
        session.rollback()
        return _render(request, "bot_new.html", {"user": user, "form": form, "error": exc.message}, status_code=422)
    return RedirectResponse(f"/bots/{community.id}/welcome", status_code=303)


@router.get("/bots/{bot_id}")
def bot_overview(
    bot_id: uuid.UUID, request: Request, runtime: RuntimeDep, session: SessionDep, user: PageUser
) -> Response:
    membership = communities.require_member(session, bot_id, user)
    context = {"user": user, "tab": "overview", **_bot_context(runtime, membership)}
    return _render(request, "bot_overview.html", context)


@router.get("/bots/{bot_id}/videos")
def bot_videos(
    bot_id: uuid.UUID, request: Request, runtime: RuntimeDep, session: SessionDep, user: PageUser
) -> Response:
    membership = communities.require_member(session, bot_id, user)
    context = {"user": user, "tab": "videos", **_bot_context(runtime, membership)}
    return _render(request, "bot_videos.html", context)


@router.get("/bots/{bot_id}/welcome")
def bot_welcome(
    bot_id: uuid.UUID, request: Request, runtime: RuntimeDep, session: SessionDep, user: PageUser
) -> Response:
    """The last, optional onboarding step: offer an intro video."""
    membership = communities.require_member(session, bot_id, user)
    return _render(request, "bot_welcome.html", {"user": user, **_bot_context(runtime, membership)})


@router.get("/bots/{bot_id}/token")
def token_form(
    bot_id: uuid.UUID,
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    user: PageUser,
    launched: bool = False,
) -> Response:
    membership = communities.require_member(session, bot_id, user)
    context = {
        "user": user,
        "tab": "token",
        "launched": launched,
        "form": {},
        **_bot_context(runtime, membership),
    }
    return _render(request, "bot_token.html", context)


@router.post("/bots/{bot_id}/token")
def launch_token(
    bot_id: uuid.UUID,
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    user: PageUser,
    token_name: Annotated[str, Form(max_length=200)],
    token_symbol: Annotated[str, Form(max_length=50)],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    membership = communities.require_member(session, bot_id, user)
    try:
        _check_form_csrf(request, csrf_token)
        membership = communities.require_admin(session, bot_id, user)
        communities.set_token(session, membership, token_name=token_name, token_symbol=token_symbol)
    except BotvideoError as exc:
        session.rollback()
        membership = communities.require_member(session, bot_id, user)
        context = {
            "user": user,
            "tab": "token",
            "launched": False,
            "error": exc.message,
            "form": {"token_name": token_name, "token_symbol": token_symbol},
            **_bot_context(runtime, membership),
        }
        return _render(request, "bot_token.html", context)
    return RedirectResponse(f"/bots/{bot_id}/token?launched=1", status_code=303)


# --- wiring -------------------------------------------------------------------------------------------------


def render_error_page(request: Request, status: int, message: str) -> Response:
    return _render(request, "error.html", {"status": status, "message": message}, status_code=status)


def install_web(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(router)
    app.state.render_error_page = render_error_page

    @app.exception_handler(SignInRequired)
    async def on_sign_in_required(request: Request, exc: SignInRequired) -> Response:
        del request
        return RedirectResponse(f"/signin?next={quote(exc.next_path, safe='/')}", status_code=303)
