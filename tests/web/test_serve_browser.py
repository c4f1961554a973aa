"""The web app as a new user meets it: `botvideo demo` then `botvideo serve` as a real process (what `make run`
does), driven in Chromium. The local engine path, the Higgsfield path (through the stand-in), the gallery's
cancel, filters and paging, and the polling fallback's five-minute cut-off (on Playwright's fake clock)."""

from __future__ import annotations

import json
import os
import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from botvideo.core.db import Database, utcnow
from botvideo.core.kinds import VideoType
from botvideo.providers.base import SAFE_MESSAGES, ErrorCode
from botvideo.videos.models import BotVideo
from tests.support.service_process import ServiceProcess
from tests.support.standin import StandinHandle, running_standin
from tests.web.console import ConsoleWatch

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DEMO_EMAIL = "demo@botvideo.local"
DEMO_PASSWORD = "botvideo-demo"
RENDER_TIMEOUT_MS = 120_000  # four local renders at once on a shared 2-core box
TYPE_LABELS = {kind.value: kind.label for kind in VideoType}
SEEDED = 26  # more than two pages of the gallery (12 a page); every filter still fits on one page
SEED_TYPES = ("intro", "promo", "token_reveal", "custom")
SEED_STATUSES = ("completed", "failed", "canceled")


# --- the service, as a process ------------------------------------------------------------------------------


@dataclass
class Served:
    process: ServiceProcess
    demo: dict[str, Any]  # what `botvideo demo` printed

    @property
    def base_url(self) -> str:
        return self.process.base_url

    @property
    def bot_id(self) -> str:
        return str(self.demo["community_id"])

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.demo['access_token']}"}

    def api(self, method: str, path: str, **kwargs: Any) -> Any:
        response = httpx.request(method, f"{self.base_url}{path}", headers=self.headers, timeout=10, **kwargs)
        response.raise_for_status()
        return response.json()

    def gallery_ids(self, **filters: str) -> tuple[list[str], str | None]:
        page = self.api("GET", f"/api/v1/communities/{self.bot_id}/videos", params={"limit": 100, **filters})
        return [item["id"] for item in page["items"]], page["next_cursor"]


@contextmanager
def serve(data_dir: Path, **extra_env: str) -> Iterator[Served]:
    """`botvideo demo` then `botvideo serve` with the README's defaults: a fresh data dir, nothing else set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOTVIDEO_", "HF_"))}
    env.update({"BOTVIDEO_DATA_DIR": str(data_dir), "BOTVIDEO_RENDER_PRESET": "ultrafast", **extra_env})
    process = ServiceProcess(env, data_dir.parent / f"{data_dir.name}-serve.log")
    demo = json.loads(process.cli("demo"))
    assert demo["email"] == DEMO_EMAIL
    process.start()
    try:
        yield Served(process, demo)
    finally:
        process.stop()


@dataclass
class HiggsfieldServed(Served):
    standin: StandinHandle | None = None


@pytest.fixture(scope="module")
def hf_service(chromium_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[HiggsfieldServed]:
    """One service whose default provider is Higgsfield (the stand-in), shared by the Higgsfield-path tests."""
    del chromium_path  # no Chromium: skip (or fail under CI) before starting anything
    data_dir = tmp_path_factory.mktemp("serve-hf") / "data"
    with running_standin() as standin:
        env = {
            "HF_KEY": standin.key,
            "HF_BASE_URL": standin.base_url,
            "BOTVIDEO_POLL_INTERVAL_SECONDS": "0.5",
            "BOTVIDEO_QUEUE_POLLING_INTERVAL_SECONDS": "0.2",
        }
        with serve(data_dir, **env) as served:
            yield HiggsfieldServed(served.process, served.demo, standin)


@pytest.fixture(scope="module")
def seeded(hf_service: HiggsfieldServed) -> list[str]:
    """SEEDED finished videos written straight into the service's database, older than anything made live."""
    data_dir = Path(hf_service.process.env["BOTVIDEO_DATA_DIR"])
    database = Database(f"sqlite:///{data_dir}/botvideo.db", pool_size=1)
    ids: list[str] = []
    start = utcnow() - timedelta(days=1)
    try:
        with database.transaction() as session:
            for index in range(SEEDED):
                video_type = SEED_TYPES[index % len(SEED_TYPES)]
                status = SEED_STATUSES[index % len(SEED_STATUSES)]
                video = BotVideo(
                    id=uuid.uuid4(),
                    community_id=uuid.UUID(hf_service.bot_id),
                    video_type=video_type,
                    prompt=f"Seeded {TYPE_LABELS[video_type]} video number {index}",
                    model="higgsfield-ai/dop/standard",
                    provider="higgsfield",
                    status=status,
                    duration=2 if status == "completed" else None,
                    error_message=SAFE_MESSAGES[ErrorCode.INTERNAL] if status == "failed" else None,
                    error_code=ErrorCode.INTERNAL.value if status == "failed" else None,
                    created_at=start - timedelta(minutes=index),
                    completed_at=start - timedelta(minutes=index) if status == "completed" else None,
                )
                session.add(video)
                ids.append(str(video.id))
    finally:
        database.dispose()
    return ids


# --- the browser ---------------------------------------------------------------------------------------------


class Tab:
    """One browser tab on a served app, with the console watched: pages must not log errors."""

    def __init__(self, page: Any, served: Served) -> None:
        self.page = page
        self.served = served
        self.console = ConsoleWatch(page)

    def sign_in(self) -> None:
        """From the home page, as the README says: open /, sign in with the demo account."""
        page = self.page
        page.goto("/")
        page.wait_for_url("**/signin**")
        page.get_by_label("Email").fill(DEMO_EMAIL)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/bots")

    def open_videos_tab(self) -> None:
        """My bots → Nova → Videos, by clicking."""
        page = self.page
        page.get_by_role("link", name=re.compile("Nova the Navigator")).click()
        page.wait_for_url(f"**/bots/{self.served.bot_id}")
        page.get_by_role("navigation", name="Bot sections").get_by_role("link", name="Videos").click()
        page.wait_for_url(f"**/bots/{self.served.bot_id}/videos")
        self.wait_gallery_loaded()

    def goto_videos(self) -> None:
        self.page.goto(f"/bots/{self.served.bot_id}/videos")
        self.wait_gallery_loaded()

    def wait_gallery_loaded(self) -> None:
        self.page.wait_for_selector("[data-gallery-grid]", state="attached")
        self.page.wait_for_selector("[data-gallery-loading]", state="hidden")

    def card(self, video_id: str) -> Any:
        return self.page.locator(f'[data-video-card][data-video-id="{video_id}"]')

    def card_ids(self) -> list[str]:
        ids: list[str] = self.page.locator("[data-video-card]").evaluate_all("els => els.map(e => e.dataset.videoId)")
        return ids

    def open_dialog(self) -> Any:
        self.page.get_by_role("button", name="Create Video").first.click()
        dialog = self.page.locator("dialog[data-video-dialog]")  # its title follows the stage: no fixed name
        dialog.wait_for(state="visible")
        assert dialog.get_by_role("heading", name="Create video").is_visible()
        self.page.wait_for_function("() => document.querySelector('#vd-model').options.length > 0")
        return dialog

    def fill_dialog(self, dialog: Any, video_type: str, *, prompt: str | None = None) -> None:
        dialog.get_by_label("Video type").select_option(label=video_type)
        if video_type != "Custom":
            self.page.wait_for_function(
                "() => { const p = document.querySelector('#vd-prompt'); return p.value.length > 20 && !p.disabled; }"
            )
        if prompt is not None:
            dialog.locator("#vd-prompt").fill(prompt)
        durations = dialog.get_by_label("Duration").locator("option").evaluate_all("os => os.map(o => o.value)")
        if "2" in durations:  # the shortest video the dialog offers, to keep the box cool
            dialog.get_by_label("Duration").select_option(value="2")
        resolution = dialog.get_by_label("Resolution")
        resolutions = resolution.locator("option").evaluate_all("os => os.map(o => o.value)")
        if resolution.is_enabled() and "720p" in resolutions:
            resolution.select_option(value="720p")

    def generate(self, dialog: Any) -> dict[str, Any]:
        with self.page.expect_response(
            lambda r: r.request.method == "POST" and re.search(r"/api/v1/communities/[^/]+/videos$", r.url)
        ) as response_info:
            dialog.get_by_role("button", name="Generate", exact=True).click()
        response = response_info.value
        assert response.status == 202, response.text()
        body: dict[str, Any] = response.json()
        return body

    def create(self, video_type: str, *, prompt: str | None = None) -> dict[str, Any]:
        """Create one video through the dialog and close the dialog (closing never stops the job)."""
        dialog = self.open_dialog()
        self.fill_dialog(dialog, video_type, prompt=prompt)
        video = self.generate(dialog)
        self.page.keyboard.press("Escape")
        dialog.wait_for(state="hidden")
        return video

    def wait_status(self, video_id: str, status: str, timeout: float = 30_000) -> Any:
        card = self.card(video_id)
        card.and_(self.page.locator(f'[data-status="{status}"]')).wait_for(timeout=timeout)
        return card

    def assert_clean_console(self, allowed: str | None = None) -> None:
        self.console.assert_clean(allowed)


@contextmanager
def open_tab(browser: Any, served: Served, **context_options: Any) -> Iterator[Tab]:
    context = browser.new_context(
        base_url=served.base_url, viewport={"width": 1280, "height": 860}, accept_downloads=True, **context_options
    )
    context.set_default_timeout(20_000)
    try:
        yield Tab(context.new_page(), served)
    finally:
        context.close()


# --- 1. the README's new user, local engine ---------------------------------------------------------------


def test_new_user_after_make_run_creates_every_type_and_plays_downloads_deletes(
    browser: Any, tmp_path: Path, artifacts: Path
) -> None:
    with serve(tmp_path / "data") as served, open_tab(browser, served) as tab:
        page = tab.page
        models = served.api("GET", "/api/v1/models")
        assert next(m for m in models if m["is_default"])["provider"] == "local", models

        tab.sign_in()
        tab.open_videos_tab()
        assert page.get_by_role("heading", name="No videos yet").is_visible()
        page.evaluate("() => { window.__sameDocument = true; }")

        created = {
            "Character Intro": tab.create("Character Intro"),
            "Promotional": tab.create("Promotional"),
            "Token Launch": tab.create("Token Launch"),
            "Custom": tab.create("Custom", prompt="A slow aerial push-in over a neon city at night, wet streets."),
        }
        assert [v["video_type"] for v in created.values()] == ["intro", "promo", "token_reveal", "custom"]
        assert all(v["provider"] == "local" for v in created.values())
        assert tab.card_ids() == [v["id"] for v in reversed(created.values())]  # newest first
        page.screenshot(path=artifacts / "serve-rendering.png", full_page=True)

        for label, video in created.items():
            card = tab.wait_status(video["id"], "completed", timeout=RENDER_TIMEOUT_MS)
            assert card.locator("[data-type-badge]").inner_text() == label
            assert card.locator("[data-status-badge]").inner_text() == "Completed"
            assert "2s" in card.locator("[data-meta]").inner_text()
        assert page.evaluate("() => window.__sameDocument") is True  # live updates, no reload
        page.screenshot(path=artifacts / "serve-completed.png", full_page=True)

        # Every card shows its poster: the image is loaded, not just present.
        for video in created.values():
            poster = tab.card(video["id"]).locator("[data-poster]")
            poster.scroll_into_view_if_needed()
            page.wait_for_function(
                "img => !img.hidden && img.complete && img.naturalWidth > 0", arg=poster.element_handle()
            )

        promo = tab.card(created["Promotional"]["id"])
        promo.get_by_role("button", name="Play Promotional video").click()
        player = promo.locator("video")
        player.evaluate("v => { v.muted = true; return v.play().catch(() => {}); }")
        page.wait_for_function("v => v.readyState === 4", arg=player.element_handle(), timeout=30_000)
        start = player.evaluate("v => v.currentTime")
        page.wait_for_function(
            "([v, t]) => v.currentTime > t + 0.2", arg=[player.element_handle(), start], timeout=15_000
        )
        page.screenshot(path=artifacts / "serve-playing.png")

        intro = tab.card(created["Character Intro"]["id"])
        with page.expect_download() as download_info:
            intro.get_by_role("link", name="Download Character Intro video").click()
        download = download_info.value
        assert download.suggested_filename.endswith(".mp4")
        assert Path(download.path()).read_bytes()[4:8] == b"ftyp"

        token_card = tab.card(created["Token Launch"]["id"])
        token_card.get_by_role("button", name="Delete Token Launch video").click()
        confirm = page.get_by_role("dialog", name="Delete this Token Launch video?")
        confirm.wait_for(state="visible")
        confirm.get_by_role("button", name="Delete").click()
        token_card.wait_for(state="detached")
        page.locator("[data-toast=info]", has_text="Video deleted.").wait_for()
        assert created["Token Launch"]["id"] not in served.gallery_ids()[0]
        assert len(tab.card_ids()) == 3
        page.screenshot(path=artifacts / "serve-deleted.png", full_page=True)
        tab.assert_clean_console()


# --- 2. the Higgsfield path ---------------------------------------------------------------------------------


def test_higgsfield_default_provider_completes_a_promo_and_reports_moderation_safely(
    browser: Any, hf_service: HiggsfieldServed, artifacts: Path
) -> None:
    assert hf_service.standin is not None
    models = hf_service.api("GET", "/api/v1/models")
    default = next(m for m in models if m["is_default"])
    assert default["provider"] == "higgsfield", default

    with open_tab(browser, hf_service) as tab:
        page = tab.page
        tab.sign_in()
        tab.open_videos_tab()
        dialog = tab.open_dialog()
        assert dialog.get_by_label("Model").input_value() == default["id"]
        tab.fill_dialog(dialog, "Promotional")
        promo = tab.generate(dialog)
        assert promo["provider"] == "higgsfield"
        # The dialog follows the video to the end.
        dialog.locator("[data-player] video").wait_for(state="visible", timeout=60_000)
        page.keyboard.press("Escape")
        card = tab.wait_status(promo["id"], "completed")
        assert card.locator("[data-status-badge]").inner_text() == "Completed"
        assert card.get_by_role("link", name="Download Promotional video").is_visible()
        assert any(r["status"] == "completed" for r in hf_service.standin.stats()["requests"].values())

        blocked = tab.create("Custom", prompt="[standin:nsfw] A dancer in a neon-lit club, slow orbit shot.")
        toast = page.locator("[data-toast=error]")
        toast.wait_for(timeout=60_000)
        safe = SAFE_MESSAGES[ErrorCode.MODERATION]
        assert toast.locator(".toast-text").inner_text() == safe
        assert "nsfw" not in toast.inner_text().lower()
        assert toast.get_by_role("button", name="Retry").is_visible()
        card = tab.wait_status(blocked["id"], "failed")
        assert card.locator("[data-status-badge]").inner_text() == "Failed"
        assert card.locator("[data-error]").inner_text() == safe
        page.screenshot(path=artifacts / "serve-higgsfield.png", full_page=True)
        tab.assert_clean_console()


# --- 3. gallery controls -------------------------------------------------------------------------------------


def test_cancel_on_a_queued_card_turns_it_canceled(browser: Any, hf_service: HiggsfieldServed, artifacts: Path) -> None:
    standin = hf_service.standin
    assert standin is not None
    standin.set_scenario(queued_seconds=30)  # stays in Higgsfield's queue, where it can still be canceled
    try:
        with open_tab(browser, hf_service) as tab:
            page = tab.page
            tab.sign_in()
            tab.open_videos_tab()
            video = tab.create("Promotional")
            card = tab.card(video["id"])
            cancel = card.get_by_role("button", name="Cancel Promotional video")
            cancel.wait_for(state="visible")
            # Processing: the job has submitted it, so the cancel has to reach the provider.
            tab.wait_status(video["id"], "processing")
            cancels_before = standin.stats()["cancels"]
            cancel.click()
            tab.wait_status(video["id"], "canceled", timeout=10_000)
            assert card.locator("[data-status-badge]").inner_text() == "Canceled"
            assert card.get_by_role("button", name="Cancel Promotional video").is_hidden()
            page.locator("[data-toast=info]", has_text="The video was canceled.").wait_for()
            assert standin.stats()["cancels"] == cancels_before + 1
            page.screenshot(path=artifacts / "serve-canceled.png")
            # A reload agrees: the server holds it canceled.
            tab.goto_videos()
            assert tab.card(video["id"]).locator("[data-status-badge]").inner_text() == "Canceled"
            tab.assert_clean_console()
    finally:
        standin.reset_scenario()


@pytest.mark.usefixtures("seeded")
def test_type_and_status_filters_show_only_matching_cards(
    browser: Any, hf_service: HiggsfieldServed, artifacts: Path
) -> None:
    with open_tab(browser, hf_service) as tab:
        page = tab.page
        tab.sign_in()
        tab.open_videos_tab()
        toolbar = page.get_by_role("group", name="Filter videos")
        type_filter = toolbar.get_by_label("Type", exact=True)
        status_filter = toolbar.get_by_label("Status", exact=True)

        cases = [
            ({"type": "token_reveal"}, "Token Launch", ""),
            ({"type": "promo"}, "Promotional", ""),
            ({"status": "failed"}, "", "Failed"),
            ({"type": "custom", "status": "completed"}, "Custom", "Completed"),
        ]
        for filters, type_label, status_label in cases:
            with page.expect_response(lambda r: "/videos?" in r.url and r.request.method == "GET"):
                type_filter.select_option(label=type_label or "All types")
                if status_label:
                    status_filter.select_option(label=status_label)
                else:
                    status_filter.select_option(label="All statuses")
            tab.wait_gallery_loaded()
            expected, more = hf_service.gallery_ids(**filters)
            assert more is None, filters
            assert 0 < len(expected) <= 12, (filters, len(expected))  # one page: all of them show without scrolling
            page.wait_for_function(
                "n => document.querySelectorAll('[data-video-card]').length === n", arg=len(expected)
            )
            assert tab.card_ids() == expected, filters
            if "type" in filters:
                assert set(page.locator("[data-video-card]").evaluate_all("els => els.map(e => e.dataset.type)")) == {
                    filters["type"]
                }
                assert set(page.locator("[data-type-badge]").all_inner_texts()) == {type_label}
            if "status" in filters:
                assert set(page.locator("[data-video-card]").evaluate_all("els => els.map(e => e.dataset.status)")) == {
                    filters["status"]
                }
                assert set(page.locator("[data-status-badge]").all_inner_texts()) == {status_label}
        page.screenshot(path=artifacts / "serve-filtered.png", full_page=True)

        # Nothing matches: the empty state says so instead of offering the first video.
        type_filter.select_option(label="Character Intro")
        status_filter.select_option(label="Processing")
        page.get_by_role("heading", name="No videos match these filters").wait_for()
        assert tab.card_ids() == []
        tab.assert_clean_console()


def test_more_cards_load_on_scroll(
    browser: Any, hf_service: HiggsfieldServed, seeded: list[str], artifacts: Path
) -> None:
    everything, more = hf_service.gallery_ids()
    assert more is None
    assert len(everything) > 24
    assert set(seeded) <= set(everything)
    with open_tab(browser, hf_service) as tab:
        page = tab.page
        tab.sign_in()
        tab.open_videos_tab()
        page.wait_for_timeout(1000)  # nothing more arrives without scrolling
        assert tab.card_ids() == everything[:12]
        assert page.get_by_role("button", name="Load more").is_visible()

        seen = [12]
        deadline = time.monotonic() + 30
        while len(tab.card_ids()) < len(everything):
            assert time.monotonic() < deadline, f"stuck at {len(tab.card_ids())} of {len(everything)} cards"
            # To the bottom at once (a wheel scroll animates, and may fetch two pages in one go: also fine).
            page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
            page.wait_for_timeout(300)
            tab.wait_gallery_loaded()
            if len(tab.card_ids()) != seen[-1]:
                seen.append(len(tab.card_ids()))
        assert seen == [12, 24, len(everything)]  # page by page, as the user scrolls
        assert tab.card_ids() == everything  # newest first, no duplicates, nothing skipped
        assert page.get_by_role("button", name="Load more").is_hidden()
        page.screenshot(path=artifacts / "serve-scrolled.png")
        tab.assert_clean_console()


# --- 4. the polling fallback's cut-off ---------------------------------------------------------------------


def test_polling_fallback_stops_after_five_minutes_and_offers_refresh(
    browser: Any, hf_service: HiggsfieldServed, artifacts: Path
) -> None:
    with open_tab(browser, hf_service) as tab:
        page = tab.page
        page.clock.install()  # fake timers and Date in every page of this tab, before any script runs
        page.route(re.compile(r"/events(\?|$)"), lambda route: route.abort())
        polls: list[str] = []
        list_url = re.compile(rf"/api/v1/communities/{hf_service.bot_id}/videos\?")
        page.on("request", lambda r: r.method == "GET" and list_url.search(r.url) and polls.append(r.url))

        tab.sign_in()
        tab.open_videos_tab()
        indicator = page.locator("[data-live-indicator]")
        stale = page.get_by_role("status").filter(has_text="Live updates paused.")
        indicator.filter(has_text="Checking every 5 s").wait_for()
        first_load = len(polls)

        page.clock.run_for("04:50")  # every 5 s tick of almost five minutes
        page.wait_for_timeout(500)  # let the last poll requests leave
        assert stale.is_hidden()
        assert indicator.inner_text() == "Checking every 5 s"
        assert len(polls) - first_load >= 50, len(polls) - first_load  # it really was polling

        page.clock.run_for("00:15")  # past the five minutes
        stale.wait_for()
        assert indicator.inner_text() == ""
        page.wait_for_timeout(500)
        stopped_at = len(polls)
        page.clock.run_for("02:00")
        page.wait_for_timeout(500)
        assert len(polls) == stopped_at  # no more polling after the cut-off
        page.screenshot(path=artifacts / "serve-polling-stopped.png")

        with page.expect_navigation():
            stale.get_by_role("button", name="Refresh").click()
        tab.wait_gallery_loaded()
        indicator.filter(has_text="Checking every 5 s").wait_for()
        assert stale.is_hidden()
        # Only the blocked stream may have logged errors.
        tab.assert_clean_console(allowed="ERR_FAILED")
