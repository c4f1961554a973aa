"""The web app: server-rendered pages for people (sign in, my bots, a bot's dashboard, onboarding, token launch).

Pages read and write through the same services as the JSON API; the video dialog and the gallery are plain
JavaScript (`static/app.js`) calling `/api/v1` with the session cookie and the CSRF header.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from botvideo.auth import service as auth_service
from botvideo.auth.cookies import end_session, set_csrf_cookie, start_session
from botvideo.auth.deps import CSRF_COOKIE, OptionalUser, TokensDep, new_csrf_token, require_csrf
from botvideo.auth.models import User
from botvideo.communities import service as communities
from botvideo.communities.service import Membership
from botvideo.core.deps import SessionDep, SettingsDep
from botvideo.core.errors import BotvideoError
from botvideo.core.kinds import VideoStatus, VideoType, vocabulary
from botvideo.storage.deps import SignerDep, StorageDep
from botvideo.storage.signing import MediaSigner

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")

router = APIRouter(include_in_schema=False)


class SignInRequired(Exception):
    """Raised by page dependencies; answered with a redirect to the sign-in page."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def page_user(request: Request, user: OptionalUser) -> User:
    if user is None:
        raise SignInRequired(request.url.path)
    return user


PageUser = Annotated[User, Depends(page_user)]


def _csrf_token(request: Request) -> str:
    return request.cookies.get(CSRF_COOKIE) or ""


def _render(
    request: Request, template: str, context: dict[str, Any] | None = None, *, status_code: int = 200
) -> Response:
    # A form shown again with its error answers 200: the page itself loaded fine (and browsers log 4xx pages).
    base: dict[str, Any] = {"csrf_token": _csrf_token(request), "user": None, "vocabulary": vocabulary()}
    base.update(context or {})
    return templates.TemplateResponse(request, template, base, status_code=status_code)


def _path(request: Request, route: str, **params: object) -> str:
    return str(request.app.url_path_for(route, **{k: str(v) for k, v in params.items()}))


def _safe_next(value: str | None) -> str:
    # Only paths on this site, so the sign-in form cannot be used to bounce people elsewhere.
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/bots"


def _bot_context(signer: MediaSigner, membership: Membership) -> dict[str, Any]:
    community = membership.community
    return {
        "bot": community,
        "membership": membership,
        "can_manage": membership.is_admin,
        "avatar_url": signer.url(community.avatar_key) if community.avatar_key else None,
        "video_types": list(VideoType),
        "video_statuses": list(VideoStatus),
    }


# --- sign in / out ----------------------------------------------------------------------------------------


@router.get("/")
def home(request: Request, user: OptionalUser) -> Response:
    return RedirectResponse(_path(request, "my_bots" if user else "signin_form"), status_code=303)


@router.get("/signin")
def signin_form(request: Request, settings: SettingsDep, user: OptionalUser, next: str | None = None) -> Response:
    if user is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    csrf = _csrf_token(request) or new_csrf_token()
    response = _render(request, "signin.html", {"csrf_token": csrf, "next": _safe_next(next), "email": ""})
    if not request.cookies.get(CSRF_COOKIE):
        set_csrf_cookie(response, settings, csrf)
    return response


@router.post("/signin")
def signin(
    request: Request,
    settings: SettingsDep,
    tokens: TokensDep,
    session: SessionDep,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1024)],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/bots",
) -> Response:
    try:
        require_csrf(request, csrf_token)
        user = auth_service.sign_in(session, email.strip().lower(), password)
    except BotvideoError as exc:
        return _render(
            request,
            "signin.html",
            {"error": exc.message, "email": email, "next": _safe_next(next)},
        )
    response = RedirectResponse(_safe_next(next), status_code=303)
    start_session(response, settings, tokens, user)
    return response


@router.post("/signout")
def signout(request: Request, csrf_token: Annotated[str, Form(max_length=200)] = "") -> Response:
    require_csrf(request, csrf_token)
    response = RedirectResponse(_path(request, "signin_form"), status_code=303)
    end_session(response)
    return response


# --- bots ---------------------------------------------------------------------------------------------------


@router.get("/bots")
def my_bots(request: Request, signer: SignerDep, session: SessionDep, user: PageUser) -> Response:
    bots = [
        {
            "membership": m,
            "bot": m.community,
            "avatar_url": signer.url(m.community.avatar_key) if m.community.avatar_key else None,
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
    storage: StorageDep,
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
        require_csrf(request, csrf_token)
        content = await avatar.read(communities.MAX_AVATAR_BYTES + 1) if avatar and avatar.filename else b""
        # The avatar is checked before the bot is written, so a bad image leaves nothing behind.
        avatar_jpeg = communities.normalize_avatar(content) if content else None
        community = communities.create_community(
            session, user, name=name, agent_name=agent_name, agent_instructions=agent_instructions
        )
    except BotvideoError as exc:
        return _render(request, "bot_new.html", {"user": user, "form": form, "error": exc.message}, status_code=422)
    if avatar_jpeg is not None:
        communities.store_avatar(storage, communities.require_admin(session, community.id, user), avatar_jpeg)
    return RedirectResponse(_path(request, "bot_welcome", bot_id=community.id), status_code=303)


@router.get("/bots/{bot_id}")
def bot_overview(
    bot_id: uuid.UUID, request: Request, signer: SignerDep, session: SessionDep, user: PageUser
) -> Response:
    membership = communities.require_member(session, bot_id, user)
    context = {"user": user, "tab": "overview", **_bot_context(signer, membership)}
    return _render(request, "bot_overview.html", context)


@router.get("/bots/{bot_id}/videos")
def bot_videos(bot_id: uuid.UUID, request: Request, signer: SignerDep, session: SessionDep, user: PageUser) -> Response:
    membership = communities.require_member(session, bot_id, user)
    context = {"user": user, "tab": "videos", **_bot_context(signer, membership)}
    return _render(request, "bot_videos.html", context)


@router.get("/bots/{bot_id}/welcome")
def bot_welcome(
    bot_id: uuid.UUID, request: Request, signer: SignerDep, session: SessionDep, user: PageUser
) -> Response:
    """The last, optional onboarding step: offer an intro video."""
    membership = communities.require_member(session, bot_id, user)
    return _render(request, "bot_welcome.html", {"user": user, **_bot_context(signer, membership)})


@router.get("/bots/{bot_id}/token")
def token_form(
    bot_id: uuid.UUID,
    request: Request,
    signer: SignerDep,
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
        **_bot_context(signer, membership),
    }
    return _render(request, "bot_token.html", context)


@router.post("/bots/{bot_id}/token")
def launch_token(
    bot_id: uuid.UUID,
    request: Request,
    signer: SignerDep,
    session: SessionDep,
    user: PageUser,
    token_name: Annotated[str, Form(max_length=200)],
    token_symbol: Annotated[str, Form(max_length=50)],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    membership = communities.require_member(session, bot_id, user)
    try:
        require_csrf(request, csrf_token)
        membership = communities.require_admin(session, bot_id, user)
        communities.set_token(session, membership, token_name=token_name, token_symbol=token_symbol)
    except BotvideoError as exc:
        context = {
            "user": user,
            "tab": "token",
            "launched": False,
            "error": exc.message,
            "form": {"token_name": token_name, "token_symbol": token_symbol},
            **_bot_context(signer, membership),
        }
        return _render(request, "bot_token.html", context)
    return RedirectResponse(_path(request, "token_form", bot_id=bot_id) + "?launched=1", status_code=303)


# --- wiring -------------------------------------------------------------------------------------------------


def render_error_page(request: Request, status: int, message: str) -> Response:
    return _render(request, "error.html", {"status": status, "message": message}, status_code=status)


def install_web(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(router)

    @app.exception_handler(SignInRequired)
    async def on_sign_in_required(request: Request, exc: SignInRequired) -> Response:
        target = f"{_path(request, 'signin_form')}?next={quote(exc.next_path, safe='/')}"
        return RedirectResponse(target, status_code=303)
