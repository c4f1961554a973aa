"""Server-rendered pages without a browser: redirects, CSRF on forms, escaping of people's words."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.web.server import LiveServer


@pytest.fixture
def client(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, headers={"Accept": "text/html"}) as opened:
        yield opened


def _sign_in(client: httpx.Client, server: LiveServer, email: str) -> None:
    client.get("/signin")
    response = client.post(
        "/signin",
        data={"email": email, "password": server.password, "csrf_token": client.cookies["botvideo_csrf"]},
    )
    assert response.status_code == 303


def test_pages_need_a_session(client: httpx.Client, server: LiveServer) -> None:
    assert client.get("/").headers["location"] == "/signin"
    response = client.get(f"/bots/{server.bot_id}/videos")
    assert response.status_code == 303
    assert response.headers["location"] == f"/signin?next=/bots/{server.bot_id}/videos"


def test_forms_refuse_a_missing_csrf_token(client: httpx.Client, server: LiveServer) -> None:
    client.get("/signin")
    refused = client.post("/signin", data={"email": server.admin_email, "password": server.password})
    assert "The form expired" in refused.text
    assert "botvideo_session" not in refused.cookies

    _sign_in(client, server, server.admin_email)
    assert client.post("/signout", data={}).status_code == 403
    forged = client.post(f"/bots/{server.bot_id}/token", data={"token_name": "X", "token_symbol": "X"})
    assert "The form expired" in forged.text
    assert client.get(f"/bots/{server.bot_id}").status_code == 200  # still signed in


def test_sign_in_only_redirects_within_the_site(client: httpx.Client, server: LiveServer) -> None:
    client.get("/signin")
    response = client.post(
        "/signin",
        data={
            "email": server.admin_email,
            "password": server.password,
            "csrf_token": client.cookies["botvideo_csrf"],
            "next": "//evil.example/",
        },
    )
    assert response.headers["location"] == "/bots"


def test_names_are_escaped(client: httpx.Client, server: LiveServer) -> None:
    _sign_in(client, server, server.admin_email)
    response = client.post(
        "/bots/new",
        data={"name": "<img src=x onerror=alert(1)>", "csrf_token": client.cookies["botvideo_csrf"]},
        files={"avatar": ("", b"", "application/octet-stream")},
    )
    assert response.status_code == 303
    page = client.get(response.headers["location"]).text
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_errors_are_pages_for_people(client: httpx.Client, server: LiveServer) -> None:
    _sign_in(client, server, server.member_email)
    response = client.get("/bots/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert "Community not found." in response.text
    assert "<html" in response.text
