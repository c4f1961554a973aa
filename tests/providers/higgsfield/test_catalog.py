from __future__ import annotations

from pathlib import Path

import pytest

from botvideo.core.errors import InvalidInput
from botvideo.providers.higgsfield import catalog
from botvideo.providers.higgsfield.catalog import REALISTIC_VISION_ALIAS, check_body, resolve_model
from tests.providers.higgsfield.conftest import create_request

SEEDANCE_T2V = "bytedance/seedance/v1/pro/fast/text-to-video"
SEEDANCE_I2V = "bytedance/seedance/v1/pro/fast/image-to-video"
KLING_T2V = "kling-video/v2.5-turbo/pro/text-to-video"
DOP_TURBO = "higgsfield-ai/dop/turbo"


def test_catalog_covers_the_required_models() -> None:
    required = {
        "higgsfield-ai/dop/lite",
        "higgsfield-ai/dop/turbo",
        "higgsfield-ai/dop/standard",
        "bytedance/seedance/v1/lite/text-to-video",
        "bytedance/seedance/v1/lite/image-to-video",
        SEEDANCE_T2V,
        SEEDANCE_I2V,
        KLING_T2V,
        "kling-video/v2.5-turbo/pro/image-to-video",
        "kling-video/v2.5-turbo/standard/image-to-video",
    }
    assert required <= set(catalog.MODELS)


def test_dop_makes_fixed_five_second_clips_and_needs_an_image() -> None:
    info = catalog.MODELS[DOP_TURBO].info()
    assert info.durations == (5,)
    assert info.needs_image
    assert info.kind == "image-to-video"


def test_seedance_offers_two_to_twelve_seconds_and_three_resolutions() -> None:
    info = catalog.MODELS[SEEDANCE_T2V].info()
    assert info.durations == tuple(range(2, 13))
    assert info.resolutions == ("480p", "720p", "1080p")
    assert "9:16" in info.aspect_ratios


def test_kling_text_to_video_has_no_aspect_ratio_choice() -> None:
    info = catalog.MODELS[KLING_T2V].info()
    assert info.durations == (5, 10)
    assert info.aspect_ratios == ()


def test_kling_rejects_a_seven_second_video_with_a_clear_message() -> None:
    with pytest.raises(InvalidInput, match=r"Kling 2\.5 Turbo makes 5 or 10 second videos"):
        catalog.MODELS[KLING_T2V].validate(create_request(model=KLING_T2V, duration_seconds=7))


def test_seedance_rejects_thirteen_seconds() -> None:
    with pytest.raises(InvalidInput, match="videos of 2 to 12 seconds"):
        catalog.MODELS[SEEDANCE_T2V].validate(create_request(duration_seconds=13))


def test_dop_rejects_any_length_but_five_seconds() -> None:
    request = create_request(model=DOP_TURBO, duration_seconds=8, source_image_url="https://cdn.example/a.png")
    with pytest.raises(InvalidInput, match="DoP Turbo makes 5 second videos"):
        catalog.MODELS[DOP_TURBO].validate(request)


def test_image_model_without_an_image_is_rejected() -> None:
    with pytest.raises(InvalidInput, match="animates an image"):
        catalog.MODELS[DOP_TURBO].validate(create_request(model=DOP_TURBO))


def test_unsupported_aspect_ratio_is_rejected() -> None:
    with pytest.raises(InvalidInput, match="aspect ratios"):
        catalog.MODELS[SEEDANCE_T2V].validate(create_request(aspect_ratio="2:1"))


def test_empty_prompt_is_rejected() -> None:
    with pytest.raises(InvalidInput, match="prompt"):
        catalog.MODELS[SEEDANCE_T2V].validate(create_request(prompt="   "))


def test_seedance_body_sends_resolution_without_p_and_integer_duration() -> None:
    body = catalog.MODELS[SEEDANCE_T2V].body_for(create_request(duration_seconds=6, resolution="720p"), None)
    assert body == {
        "prompt": "A friendly robot waves at the camera",
        "duration": 6,
        "resolution": "720",
        "aspect_ratio": "16:9",
    }


def test_dop_body_has_no_duration_resolution_or_aspect_fields() -> None:
    request = create_request(model=DOP_TURBO, source_image_url="https://cdn.example/a.png")
    body = catalog.MODELS[DOP_TURBO].body_for(request, "https://cdn.example/a.png")
    assert body == {"prompt": request.prompt, "image_url": "https://cdn.example/a.png"}


def test_seed_is_sent_only_when_set_and_in_range() -> None:
    model = catalog.MODELS[DOP_TURBO]
    assert model.body_for(create_request(seed=42), "https://x.example/a.png")["seed"] == 42
    assert "seed" not in model.body_for(create_request(seed=0), "https://x.example/a.png")


@pytest.mark.parametrize("model", catalog.CATALOG, ids=lambda m: m.id)
def test_every_model_body_passes_the_models_own_schema(model: catalog.HiggsfieldModel) -> None:
    request = create_request(
        model=model.id,
        duration_seconds=model.durations[0],
        resolution=model.resolutions[-1] if model.resolutions else "1080p",
        source_image_path=Path("avatar.png") if model.needs_image else None,
    )
    model.validate(request)
    assert check_body(model, model.body_for(request, "https://cdn.example/avatar.png")) == []


def test_schema_check_reports_fastapi_style_problems() -> None:
    problems = check_body(catalog.MODELS[SEEDANCE_I2V], {"duration": 30, "resolution": "1080p"})
    details = [problem.as_detail() for problem in problems]
    assert {"loc": ["body", "prompt"], "msg": "Field required", "type": "missing"} in details
    assert {"loc": ["body", "image_url"], "msg": "Field required", "type": "missing"} in details
    assert any(d["loc"] == ["body", "duration"] and d["type"] == "less_than_equal" for d in details)
    assert any(d["loc"] == ["body", "resolution"] and d["type"] == "enum" for d in details)


def test_default_is_text_to_video_for_promo() -> None:
    assert catalog.default_model("promo", has_image=True) == SEEDANCE_T2V


def test_default_intro_animates_the_avatar_when_there_is_one() -> None:
    assert catalog.default_model("intro", has_image=True) == SEEDANCE_I2V
    assert catalog.default_model("intro", has_image=False) == SEEDANCE_T2V


def test_realistic_vision_alias_resolves_to_the_default() -> None:
    assert resolve_model(REALISTIC_VISION_ALIAS, "token_reveal", False) == SEEDANCE_T2V
    assert resolve_model(REALISTIC_VISION_ALIAS, "intro", True) == SEEDANCE_I2V
    assert REALISTIC_VISION_ALIAS in catalog.MODELS[SEEDANCE_T2V].info().aliases


def test_unknown_model_is_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="Unknown Higgsfield model"):
        resolve_model("acme/video-9000", "promo", False)


def test_docs_list_every_catalog_model() -> None:
    doc = (Path(__file__).parents[3] / "docs" / "higgsfield.md").read_text()
    missing = [model.id for model in catalog.CATALOG if f"`{model.id}`" not in doc]
    assert missing == []


def test_docs_model_table_is_the_generated_one() -> None:
    doc = (Path(__file__).parents[3] / "docs" / "higgsfield.md").read_text()
    assert catalog.markdown_table() in doc
