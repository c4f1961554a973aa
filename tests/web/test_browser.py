"""The spec's user, in a real browser: sign in, onboard a bot, make videos, watch them render, play, download,
delete; failures, people who are not admins, and the polling fallback when the event stream is unavailable."""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.factories import avatar_png
from tests.web.console import ConsoleWatch
from tests.web.server import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

RENDER_TIMEOUT_MS = 150_000  # the local engine renders on a 2-core box, several videos at once
ACCESSIBLE_NAMES_JS = """
() => Array.from(document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, video'))
  .filter((el) => el.offsetParent !== null || el.tagName === 'VIDEO')
  .filter((el) => {
    const labelled = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)
      .map((id) => (document.getElementById(id) || {}).textContent || '').join(' ');
    const labels = el.labels ? Array.from(el.labels).map((l) => l.textContent).join(' ') : '';
    const images = Array.from(el.querySelectorAll('img[alt]')).map((img) => img.alt).join(' ');
    const name = [el.getAttribute('aria-label'), labelled, labels, el.textContent, el.title, images]
      .map((part) => (part || '').trim()).join('');
    return !name;
  })
  .map((el) => el.outerHTML.slice(0, 120))
"""


class Browsing:
    """One browser tab with the console watched: pages must not log errors."""

    def __init__(self, page: Any, server: LiveServer) -> None:
        self.page = page
        self.server = server
        self.console = ConsoleWatch(page)

    def sign_in(self, email: str) -> None:
        page = self.page
        page.goto("/signin")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(self.server.password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/bots")

    def videos_tab(self) -> None:
        self.page.goto(f"/bots/{self.server.bot_id}/videos")
        self.page.wait_for_selector("[data-gallery-grid]", state="attached")
        self.page.wait_for_selector("[data-gallery-loading]", state="hidden")

    def card(self, video_id: str) -> Any:
        return self.page.locator(f'[data-video-card][data-video-id="{video_id}"]')

    def open_dialog(self) -> Any:
        self.page.get_by_role("button", name="Create Video").first.click()
        dialog = self.page.get_by_role("dialog")
        dialog.wait_for(state="visible")
        return dialog

    def fill_dialog(self, dialog: Any, video_type: str, *, model: str | None = None, prompt: str | None = None) -> None:
        dialog.get_by_label("Video type").select_option(label=video_type)
        if video_type != "Custom":
            # The generated prompt arrives from the server.
            self.page.wait_for_function(
                "() => { const p = document.querySelector('#vd-prompt'); return p.value.length > 20 && !p.disabled; }"
            )
        if model is not None:
            dialog.get_by_label("Model").select_option(label=model)
        if prompt is not None:
            dialog.locator("#vd-prompt").fill(prompt)
        dialog.get_by_label("Duration").select_option(value="2")
        if dialog.get_by_label("Resolution").is_enabled():
            dialog.get_by_label("Resolution").select_option(value="720p")

    def generate(self, dialog: Any) -> dict[str, Any]:
        with self.page.expect_response(
            lambda r: r.request.method == "POST" and r.url.endswith("/videos") and "/api/v1/communities/" in r.url
        ) as response_info:
            dialog.get_by_role("button", name="Generate", exact=True).click()
        response = response_info.value
        assert response.status == 202, response.text()
        body: dict[str, Any] = response.json()
        return body

    def assert_plays(self, video: Any) -> None:
        video.evaluate("v => { v.muted = true; return v.play(); }")
        self.page.wait_for_function("v => v.readyState === 4", arg=video.element_handle(), timeout=30_000)
        start = video.evaluate("v => v.currentTime")
        self.page.wait_for_function(
            "([v, t]) => v.currentTime > t + 0.2", arg=[video.element_handle(), start], timeout=15_000
        )

    def accessible_name_problems(self) -> list[str]:
        problems: list[str] = self.page.evaluate(ACCESSIBLE_NAMES_JS)
        return problems

    def assert_clean_console(self) -> None:
        self.console.assert_clean()


@pytest.fixture
def tab(browser: Any, server: LiveServer) -> Iterator[Browsing]:
    context = browser.new_context(base_url=server.base_url, viewport={"width": 1280, "height": 860})
    context.set_default_timeout(20_000)
    page = context.new_page()
    yield Browsing(page, server)
    context.close()


def _media_path(server: LiveServer, url: str) -> Path:
    key = url.split("?", 1)[0].removeprefix("/media/")
    return server.handles.storage.local_path(key)


def _api_video(server: LiveServer, email: str, **order: Any) -> dict[str, Any]:
    """Make a video through the API as `email` (for tests whose subject is not the dialog)."""
    with httpx.Client(base_url=server.base_url) as client:
        token = client.post("/auth/v1/token", json={"email": email, "password": server.password}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        response = client.post(f"/api/v1/communities/{server.bot_id}/videos", json=order, headers=headers)
        assert response.status_code == 202, response.text
        video: dict[str, Any] = response.json()
        deadline = time.monotonic() + 60
        while video["status"] not in ("completed", "failed", "canceled") and time.monotonic() < deadline:
            time.sleep(0.2)
            video = client.get(f"/api/v1/videos/{video['id']}", headers=headers).json()
        return video


def test_sign_in_and_sign_out(tab: Browsing, server: LiveServer, artifacts: Path) -> None:
    page = tab.page
    page.goto("/")
    page.wait_for_url("**/signin")
    page.get_by_label("Email").fill(server.admin_email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text() == "Wrong email or password."

    page.get_by_label("Password").fill(server.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/bots")
    assert page.get_by_role("link", name=re.compile("Nova the Navigator")).is_visible()
    page.screenshot(path=artifacts / "my-bots.png")
    assert tab.accessible_name_problems() == []

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/signin")
    page.goto(f"/bots/{server.bot_id}/videos")
    page.wait_for_url(re.compile(r"/signin\?next="))
    tab.assert_clean_console()


def test_onboarding_then_intro_video_offer(tab: Browsing, artifacts: Path, tmp_path: Path) -> None:
    page = tab.page
    tab.sign_in(tab.server.admin_email)
    page.get_by_role("link", name="New bot").click()
    page.get_by_label("Bot name").fill("Orbit <script>alert(1)</script>")
    page.get_by_label("Agent name").fill("Orbit the Owl")
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Instructions").fill("A wise night owl who tells stories about constellations.")
    page.get_by_role("button", name="Next").click()
    avatar = tmp_path / "owl.png"
    avatar.write_bytes(avatar_png(320))
    page.get_by_label("Avatar").set_input_files(str(avatar))
    page.get_by_role("button", name="Create bot").click()
    page.wait_for_url(re.compile(r"/bots/[0-9a-f-]+/welcome$"))
    assert page.get_by_role("heading", name="Orbit the Owl is ready").is_visible()
    page.screenshot(path=artifacts / "onboarding-intro-offer.png")

    page.get_by_role("button", name="Create intro video").click()
    dialog = page.get_by_role("dialog")
    dialog.wait_for(state="visible")
    assert dialog.get_by_label("Video type").input_value() == "intro"
    page.wait_for_function("() => document.querySelector('#vd-prompt').value.includes('Orbit the Owl')")
    assert dialog.get_by_label("Animate the bot's avatar").is_checked()
    tab.fill_dialog(dialog, "Character Intro")
    video = tab.generate(dialog)
    assert video["video_type"] == "intro"
    dialog.locator("[data-stage=running]").wait_for(state="visible")
    with contextlib.suppress(PlaywrightTimeout):  # a true progress figure, when the render reports one in time
        dialog.locator("[data-progress-figure]", has_text=re.compile(r"[1-9]\d*%")).wait_for(timeout=10_000)
    page.screenshot(path=artifacts / "dialog-running.png")

    player = dialog.locator("[data-player] video")
    player.wait_for(state="visible", timeout=RENDER_TIMEOUT_MS)
    assert dialog.get_by_role("link", name=re.compile("Download")).get_attribute("href")
    assert dialog.get_by_role("button", name="Create Another").is_visible()
    tab.assert_plays(player)
    page.screenshot(path=artifacts / "dialog-done.png")

    # The name with markup was shown as text, never run.
    page.goto(page.url.removesuffix("/welcome"))
    assert page.get_by_text("Orbit <script>alert(1)</script>").first.is_visible()
    tab.assert_clean_console()


def test_create_every_type_play_download_delete(tab: Browsing, server: LiveServer, artifacts: Path) -> None:
    page = tab.page
    tab.sign_in(server.admin_email)
    tab.videos_tab()
    page.evaluate("() => { window.__sameDocument = true; }")

    created: dict[str, dict[str, Any]] = {}
    for label in ("Character Intro", "Promotional", "Token Launch"):
        dialog = tab.open_dialog()
        tab.fill_dialog(dialog, label)
        created[label] = tab.generate(dialog)
        dialog.locator("[data-stage=running]").wait_for(state="visible")
        page.keyboard.press("Escape")  # closing never stops the job
        dialog.wait_for(state="hidden")
    dialog = tab.open_dialog()
    tab.fill_dialog(dialog, "Custom", prompt="A <b>neon</b> city at night, slow aerial push-in over wet streets.")
    created["Custom"] = tab.generate(dialog)
    page.keyboard.press("Escape")

    assert [v["video_type"] for v in created.values()] == ["intro", "promo", "token_reveal", "custom"]
    for video in created.values():
        assert tab.card(video["id"]).count() == 1
    page.screenshot(path=artifacts / "gallery-rendering.png", full_page=True)

    for label, video in created.items():
        card = tab.card(video["id"])
        card.and_(page.locator("[data-status=completed]")).wait_for(timeout=RENDER_TIMEOUT_MS)
        assert card.locator("[data-type-badge]").inner_text() == label
        assert card.locator("[data-status-badge]").inner_text() == "Completed"
    assert page.evaluate("() => window.__sameDocument") is True  # no reload happened

    custom = tab.card(created["Custom"]["id"])
    assert "<b>neon</b>" in custom.locator("[data-prompt]").inner_text()
    assert custom.locator("b").count() == 0
    page.screenshot(path=artifacts / "gallery.png", full_page=True)
    assert tab.accessible_name_problems() == []

    promo = tab.card(created["Promotional"]["id"])
    promo.get_by_role("button", name="Play Promotional video").click()
    tab.assert_plays(promo.locator("video"))

    with page.expect_download() as download_info:
        promo.get_by_role("link", name="Download Promotional video").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".mp4")
    assert Path(download.path()).read_bytes()[4:8] == b"ftyp"

    token_card = tab.card(created["Token Launch"]["id"])
    video_url = token_card.get_by_role("link", name="Download Token Launch video").get_attribute("href")
    stored = _media_path(server, video_url)
    assert stored.is_file()
    token_card.get_by_role("button", name="Delete Token Launch video").click()
    confirm = page.get_by_role("dialog", name=re.compile("Delete"))
    assert confirm.is_visible()
    confirm.get_by_role("button", name="Delete").click()
    token_card.wait_for(state="detached")
    deadline = time.monotonic() + 30
    while stored.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not stored.exists()
    tab.assert_clean_console()


def test_provider_failure_shows_toast_and_failed_badge(tab: Browsing, server: LiveServer, artifacts: Path) -> None:
    page = tab.page
    tab.sign_in(server.admin_email)
    tab.videos_tab()
    dialog = tab.open_dialog()
    tab.fill_dialog(dialog, "Promotional", model="Scripted")
    edited = "[script:failed] " + dialog.locator("#vd-prompt").input_value()
    dialog.locator("#vd-prompt").fill(edited)
    assert dialog.get_by_text("Edited · sent as Custom").is_visible()
    with page.expect_request(lambda r: r.method == "POST" and r.url.endswith("/videos")) as request_info:
        video = tab.generate(dialog)
    order = request_info.value.post_data_json
    assert order["video_type"] == "custom"  # an edited prompt makes the request custom
    assert order["custom_prompt"] == edited

    toast = page.locator("[data-toast=error]")
    toast.wait_for(timeout=30_000)
    assert "Something went wrong" in toast.inner_text()
    assert toast.get_by_role("button", name="Retry").is_visible()
    assert dialog.get_by_role("button", name="Retry").is_visible()
    page.screenshot(path=artifacts / "dialog-failed.png")

    page.keyboard.press("Escape")
    card = tab.card(video["id"])
    assert card.locator("[data-status-badge]").inner_text() == "Failed"
    assert "Something went wrong" in card.locator("[data-error]").inner_text()
    tab.assert_clean_console()


def test_member_sees_videos_without_admin_controls(tab: Browsing, server: LiveServer) -> None:
    video = _api_video(server, server.admin_email, video_type="promo", model="scripted/model", duration=2)
    assert video["status"] == "completed"
    page = tab.page
    tab.sign_in(server.member_email)
    tab.videos_tab()
    card = tab.card(video["id"])
    card.wait_for()
    assert card.get_by_role("link", name=re.compile("Download")).is_visible()
    assert page.get_by_role("button", name="Create Video").count() == 0
    assert page.get_by_role("button", name=re.compile("^(Delete|Cancel)")).count() == 0
    assert page.locator("[data-video-dialog]").count() == 0
    page.goto(f"/bots/{server.bot_id}/token")
    assert page.get_by_role("button", name="Launch token").count() == 0
    tab.assert_clean_console()


def test_gallery_polls_when_the_event_stream_is_unavailable(tab: Browsing, server: LiveServer) -> None:
    page = tab.page
    page.route(re.compile(r"/events(\?|$)"), lambda route: route.abort())
    tab.sign_in(server.admin_email)
    tab.videos_tab()
    page.locator("[data-live-indicator]", has_text="Checking every 5 s").wait_for()
    dialog = tab.open_dialog()
    tab.fill_dialog(dialog, "Promotional", model="Scripted")
    video = tab.generate(dialog)
    page.keyboard.press("Escape")
    card = tab.card(video["id"])
    card.and_(page.locator("[data-status=completed]")).wait_for(timeout=30_000)
    # Only the blocked stream may have logged errors.
    assert all("ERR_FAILED" in message for message in tab.console.errors), tab.console.errors


def test_dialog_is_keyboard_usable(tab: Browsing, server: LiveServer) -> None:
    page = tab.page
    tab.sign_in(server.admin_email)
    tab.videos_tab()
    opener = page.get_by_role("button", name="Create Video").first
    opener.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    dialog.wait_for(state="visible")
    assert page.evaluate("() => document.activeElement.id") == "vd-type"
    for _ in range(25):  # focus stays inside however long one tabs
        page.keyboard.press("Tab")
        assert page.evaluate("() => !!document.activeElement.closest('dialog')")
    for _ in range(5):
        page.keyboard.press("Shift+Tab")
        assert page.evaluate("() => !!document.activeElement.closest('dialog')")
    descriptions = dialog.get_by_label("Video type").locator("option")
    assert descriptions.all_inner_texts() == ["Character Intro", "Promotional", "Token Launch", "Custom"]
    dialog.get_by_label("Video type").select_option(label="Token Launch")
    page.wait_for_function("() => document.querySelector('#vd-prompt').value.includes('NOVA')")
    assert "coin" in dialog.locator("[data-type-description]").inner_text()
    assert tab.accessible_name_problems() == []
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Create Video"
    tab.assert_clean_console()


def test_token_launch_offers_a_reveal_video(tab: Browsing, server: LiveServer, artifacts: Path) -> None:
    page = tab.page
    tab.sign_in(server.admin_email)
    page.goto(f"/bots/{server.bot_id}/token")
    page.get_by_label("Token name").fill("Nova Coin")
    page.get_by_label("Symbol").fill("nova")
    page.get_by_role("button", name="Launch token").click()
    page.wait_for_url("**/token?launched=1")
    assert page.get_by_role("heading", name=re.compile(r"\$NOVA\) is live")).is_visible()
    page.screenshot(path=artifacts / "token-launched.png")
    page.get_by_role("button", name="Create token reveal video").click()
    dialog = page.get_by_role("dialog")
    dialog.wait_for(state="visible")
    assert dialog.get_by_label("Video type").input_value() == "token_reveal"
    page.wait_for_function("() => document.querySelector('#vd-prompt').value.includes('$NOVA')")
    page.keyboard.press("Escape")
    tab.assert_clean_console()


def test_dashboard_and_phone_width(browser: Any, server: LiveServer, artifacts: Path) -> None:
    _api_video(server, server.admin_email, video_type="intro", model="scripted/model", duration=2)
    screens = (
        ("dashboard", {"width": 1280, "height": 860}, "light"),
        ("dark", {"width": 1280, "height": 860}, "dark"),
        ("phone", {"width": 390, "height": 844}, "light"),
    )
    for name, viewport, scheme in screens:
        context = browser.new_context(base_url=server.base_url, viewport=viewport, color_scheme=scheme)
        page = context.new_page()
        tab = Browsing(page, server)
        tab.sign_in(server.admin_email)
        page.goto(f"/bots/{server.bot_id}")
        page.locator("[data-video-card]").first.wait_for()
        page.screenshot(path=artifacts / f"{name}-overview.png", full_page=True)
        tab.videos_tab()
        page.locator("[data-video-card]").first.wait_for()
        page.screenshot(path=artifacts / f"{name}-videos.png", full_page=True)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name}: the page scrolls sideways by {overflow}px"
        if name == "phone":
            dialog = tab.open_dialog()
            page.wait_for_function("() => document.querySelector('#vd-prompt').value.length > 20")
            page.screenshot(path=artifacts / "phone-dialog.png")
            dialog.get_by_role("button", name="Close").click()
        tab.assert_clean_console()
        context.close()
