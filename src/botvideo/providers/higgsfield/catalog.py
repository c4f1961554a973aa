"""The Higgsfield video models botvideo offers, written down as their request schemas.

Each model is its documented field list (docs OpenAPI snapshot, see docs/higgsfield.md) plus a label.
Everything else is derived from those fields: the lengths, resolutions and aspect ratios a user may pick, how
our request maps onto the model's body, the user-facing validation messages, and the stand-in's 422 checks.
A model without a field does not let the user choose that property (DoP has no duration: it always
makes 5 s clips).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from botvideo.core.errors import InvalidInput
from botvideo.providers.base import GenerationRequest, ModelInfo

PROVIDER_NAME = "higgsfield"

# The spec's "free model". It exists in no Higgsfield source; it names our default.
REALISTIC_VISION_ALIAS = "higgsfield/realistic-vision-v5"

FieldType = Literal["string", "integer", "number", "boolean", "array"]
Kind = Literal["text-to-video", "image-to-video"]


@dataclass(frozen=True)
class WireField:
    """One field of a model's JSON body, as the provider validates it."""

    name: str
    type: FieldType
    required: bool = False
    choices: tuple[str | int, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None
    max_items: int | None = None
    default: str | int | float | bool | None = None


@dataclass(frozen=True)
class HiggsfieldModel:
    id: str
    label: str
    description: str
    kind: Kind
    fields: tuple[WireField, ...]
    fixed_duration: int | None = None  # for models without a duration field
    aliases: tuple[str, ...] = ()

    def field(self, name: str) -> WireField | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def durations(self) -> tuple[int, ...]:
        duration = self.field("duration")
        if duration is None:
            return (self.fixed_duration or 5,)
        if duration.choices:
            return tuple(int(c) for c in duration.choices)
        assert duration.minimum is not None
        assert duration.maximum is not None
        return tuple(range(int(duration.minimum), int(duration.maximum) + 1))

    @property
    def resolutions(self) -> tuple[str, ...]:
        """Our names ("1080p"); empty when the model picks its own resolution."""
        resolution = self.field("resolution")
        if resolution is None:
            return ()
        return tuple(_our_resolution(str(c)) for c in resolution.choices)

    @property
    def aspect_ratios(self) -> tuple[str, ...]:
        """Empty when the model has no aspect_ratio field (image-to-video follows the image)."""
        aspect = self.field("aspect_ratio")
        return tuple(str(c) for c in aspect.choices) if aspect else ()

    @property
    def needs_image(self) -> bool:
        image = self.field("image_url")
        return image is not None and image.required

    def info(self) -> ModelInfo:
        return ModelInfo(
            id=self.id,
            provider=PROVIDER_NAME,
            label=self.label,
            description=self.description,
            kind=self.kind,
            durations=self.durations,
            resolutions=self.resolutions,
            aspect_ratios=self.aspect_ratios,
            needs_image=self.needs_image,
            accepts_image=self.field("image_url") is not None,
            aliases=self.aliases,
        )

    def duration_phrase(self) -> str:
        durations = self.durations
        if len(durations) == 1:
            return f"{durations[0]} second videos"
        duration = self.field("duration")
        if duration is not None and not duration.choices:
            return f"videos of {durations[0]} to {durations[-1]} seconds"
        listed = ", ".join(str(d) for d in durations[:-1])
        return f"{listed} or {durations[-1]} second videos"

    def validate(self, request: GenerationRequest) -> None:
        """Raise InvalidInput, in words a user understands, before any credit is spent."""
        if request.duration_seconds not in self.durations:
            raise InvalidInput(f"{self.label} makes {self.duration_phrase()}.")
        if self.resolutions and request.resolution not in self.resolutions:
            raise InvalidInput(f"{self.label} makes {_or_list(self.resolutions)} videos.")
        if self.aspect_ratios and request.aspect_ratio not in self.aspect_ratios:
            raise InvalidInput(f"{self.label} supports the aspect ratios {_or_list(self.aspect_ratios)}.")
        if self.needs_image and not (request.source_image_url or request.source_image_path):
            raise InvalidInput(f"{self.label} animates an image: add a source image (for example the bot's avatar).")
        if not request.prompt.strip():
            raise InvalidInput("Write a prompt describing the video.")
        prompt = self.field("prompt")
        if prompt is not None and prompt.max_length is not None and len(request.prompt) > prompt.max_length:
            raise InvalidInput(f"{self.label} accepts prompts of up to {prompt.max_length} characters.")

    def body_for(self, request: GenerationRequest, image_url: str | None) -> dict[str, Any]:
        """The flat JSON body for this model. Only fields the model declares are sent."""
        body: dict[str, Any] = {"prompt": request.prompt}
        if self.field("image_url") is not None and image_url:
            body["image_url"] = image_url
        duration = self.field("duration")
        if duration is not None:
            body["duration"] = str(request.duration_seconds) if duration.type == "string" else request.duration_seconds
        if self.field("resolution") is not None:
            body["resolution"] = _wire_resolution(request.resolution)
        if self.field("aspect_ratio") is not None:
            body["aspect_ratio"] = request.aspect_ratio
        seed = self.field("seed")
        if seed is not None and request.seed and _in_range(request.seed, seed):
            body["seed"] = request.seed
        return body


def _our_resolution(wire: str) -> str:
    return wire if wire.endswith("p") else f"{wire}p"


def _wire_resolution(ours: str) -> str:
    # Seedance v1 wants "1080", not "1080p".
    return ours.removesuffix("p")


def _in_range(value: float, spec: WireField) -> bool:
    return (spec.minimum is None or value >= spec.minimum) and (spec.maximum is None or value <= spec.maximum)


def _or_list(items: tuple[str, ...]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


# --- field sets, from the docs OpenAPI snapshot --------------------------------------------

_PROMPT = WireField("prompt", "string", required=True)
_IMAGE = WireField("image_url", "string", required=True)

_DOP_FIELDS = (
    _PROMPT,
    _IMAGE,
    WireField("end_image_url", "string"),
    WireField("seed", "integer", minimum=1, maximum=1_000_000),
    WireField("motions", "array", max_items=2),
    WireField("enhance_prompt", "boolean", default=True),
)

_SEEDANCE_ASPECTS = ("16:9", "9:16", "4:3", "3:4", "1:1", "21:9")


def _seedance_fields(*, image: bool, default_resolution: str) -> tuple[WireField, ...]:
    return (
        _PROMPT,
        *((_IMAGE,) if image else ()),
        WireField("duration", "integer", minimum=2, maximum=12, default=5),
        WireField("resolution", "string", choices=("480", "720", "1080"), default=default_resolution),
        WireField("aspect_ratio", "string", choices=_SEEDANCE_ASPECTS, default="16:9"),
        WireField("camera_fixed", "boolean", default=False),
    )


def _kling_fields(*, image: bool) -> tuple[WireField, ...]:
    # Kling 2.5 Turbo exposes no aspect_ratio (nor sound) field, text-to-video included [D-K25], [OAS].
    return (
        _PROMPT,
        *((_IMAGE,) if image else ()),
        WireField("duration", "integer", choices=(5, 10), default=5),
        WireField("cfg_scale", "number", minimum=0, maximum=1, default=0.5),
        WireField("negative_prompt", "string", default=""),
    )


CATALOG: tuple[HiggsfieldModel, ...] = (
    HiggsfieldModel(
        id="bytedance/seedance/v1/pro/fast/text-to-video",
        label="Seedance V1 Pro Fast",
        description="ByteDance Seedance 1 Pro, fast tier: text to video, 2–12 s, up to 1080p.",
        kind="text-to-video",
        fields=_seedance_fields(image=False, default_resolution="1080"),
        aliases=(REALISTIC_VISION_ALIAS,),
    ),
    HiggsfieldModel(
        id="bytedance/seedance/v1/pro/fast/image-to-video",
        label="Seedance V1 Pro Fast (image)",
        description="ByteDance Seedance 1 Pro, fast tier: animates an image, 2–12 s, up to 1080p.",
        kind="image-to-video",
        fields=_seedance_fields(image=True, default_resolution="1080"),
    ),
    HiggsfieldModel(
        id="bytedance/seedance/v1/lite/text-to-video",
        label="Seedance V1 Lite",
        description="ByteDance Seedance 1 Lite: cheaper text to video, 2–12 s, up to 1080p.",
        kind="text-to-video",
        fields=_seedance_fields(image=False, default_resolution="720"),
    ),
    HiggsfieldModel(
        id="bytedance/seedance/v1/lite/image-to-video",
        label="Seedance V1 Lite (image)",
        description="ByteDance Seedance 1 Lite: cheaper image to video, 2–12 s, up to 1080p.",
        kind="image-to-video",
        fields=_seedance_fields(image=True, default_resolution="1080"),
    ),
    HiggsfieldModel(
        id="kling-video/v2.5-turbo/pro/text-to-video",
        label="Kling 2.5 Turbo",
        description="Kling 2.5 Turbo Pro: text to video, 5 or 10 s; the model picks resolution and framing.",
        kind="text-to-video",
        fields=_kling_fields(image=False),
    ),
    HiggsfieldModel(
        id="kling-video/v2.5-turbo/pro/image-to-video",
        label="Kling 2.5 Turbo (image)",
        description="Kling 2.5 Turbo Pro: animates an image, 5 or 10 s.",
        kind="image-to-video",
        fields=_kling_fields(image=True),
    ),
    HiggsfieldModel(
        id="kling-video/v2.5-turbo/standard/image-to-video",
        label="Kling 2.5 Turbo Standard (image)",
        description="Kling 2.5 Turbo Standard: cheaper image to video, 5 or 10 s.",
        kind="image-to-video",
        fields=_kling_fields(image=True),
    ),
    HiggsfieldModel(
        id="higgsfield-ai/dop/lite",
        label="DoP Lite",
        description="Higgsfield Director of Photography, lite: animates an image with camera motion, 5 s.",
        kind="image-to-video",
        fields=_DOP_FIELDS,
        fixed_duration=5,
    ),
    HiggsfieldModel(
        id="higgsfield-ai/dop/turbo",
        label="DoP Turbo",
        description="Higgsfield Director of Photography, turbo: twice as fast with a priority queue, 5 s.",
        kind="image-to-video",
        fields=_DOP_FIELDS,
        fixed_duration=5,
    ),
    HiggsfieldModel(
        id="higgsfield-ai/dop/standard",
        label="DoP Standard",
        description="Higgsfield Director of Photography, standard: highest quality, 5 s.",
        kind="image-to-video",
        fields=_DOP_FIELDS,
        fixed_duration=5,
    ),
)

MODELS: Mapping[str, HiggsfieldModel] = {model.id: model for model in CATALOG}

DEFAULT_TEXT_MODEL = "bytedance/seedance/v1/pro/fast/text-to-video"
DEFAULT_IMAGE_MODEL = "bytedance/seedance/v1/pro/fast/image-to-video"

# Alias -> (text-to-video id, image-to-video id): the alias names "the default", which depends on the image.
_ALIASES: Mapping[str, tuple[str, str]] = {REALISTIC_VISION_ALIAS: (DEFAULT_TEXT_MODEL, DEFAULT_IMAGE_MODEL)}


def default_model(video_type: str, *, has_image: bool) -> str:
    """5 s at 1080p as the spec asks: intros animate the avatar when there is one, else text to video."""
    if video_type == "intro" and has_image:
        return DEFAULT_IMAGE_MODEL
    return DEFAULT_TEXT_MODEL


def resolve_model(model_id: str, video_type: str, has_image: bool) -> str:
    """The canonical catalog id for what the user asked for: "", "auto" and aliases mean the default."""
    if not model_id or model_id == "auto":
        return default_model(video_type, has_image=has_image)
    if model_id in _ALIASES:
        return default_model(video_type, has_image=has_image)
    if model_id in MODELS:
        return model_id
    raise InvalidInput(f"Unknown Higgsfield model {model_id!r}. Pick one from the model list.")


def lookup(model_id: str) -> HiggsfieldModel | None:
    return MODELS.get(model_id)


# --- body validation, FastAPI style (used by the stand-in) --------------------------------------------------


@dataclass(frozen=True)
class BodyProblem:
    loc: tuple[str, ...]
    msg: str
    type: str

    def as_detail(self) -> dict[str, Any]:
        return {"loc": list(self.loc), "msg": self.msg, "type": self.type}


def check_body(model: HiggsfieldModel, body: Any) -> list[BodyProblem]:
    """What Higgsfield's FastAPI validation would say about `body`; empty when it is acceptable.

    Unknown extra fields are accepted: Higgsfield's behaviour for them is undocumented.
    """
    if not isinstance(body, dict):
        return [BodyProblem(("body",), "Input should be a valid dictionary", "dict_type")]
    problems: list[BodyProblem] = []
    for spec in model.fields:
        loc = ("body", spec.name)
        if spec.name not in body or body[spec.name] is None:
            if spec.required:
                problems.append(BodyProblem(loc, "Field required", "missing"))
            continue
        problem = _check_value(spec, body[spec.name])
        if problem is not None:
            problems.append(BodyProblem(loc, *problem))
    return problems


def _check_value(spec: WireField, value: Any) -> tuple[str, str] | None:
    if spec.type == "string" and not isinstance(value, str):
        return "Input should be a valid string", "string_type"
    if spec.type == "integer" and (isinstance(value, bool) or not isinstance(value, int)):
        return "Input should be a valid integer", "int_type"
    if spec.type == "number" and (isinstance(value, bool) or not isinstance(value, int | float)):
        return "Input should be a valid number", "float_type"
    if spec.type == "boolean" and not isinstance(value, bool):
        return "Input should be a valid boolean", "bool_type"
    if spec.type == "array":
        if not isinstance(value, list):
            return "Input should be a valid list", "list_type"
        if spec.max_items is not None and len(value) > spec.max_items:
            return f"List should have at most {spec.max_items} items", "too_long"
    if spec.choices and value not in spec.choices:
        listed = [repr(c) if isinstance(c, str) else str(c) for c in spec.choices]
        joined = listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " or " + listed[-1]
        return f"Input should be {joined}", "enum" if isinstance(spec.choices[0], str) else "literal_error"
    if isinstance(value, int | float) and not isinstance(value, bool):
        if spec.minimum is not None and value < spec.minimum:
            return f"Input should be greater than or equal to {_number(spec.minimum)}", "greater_than_equal"
        if spec.maximum is not None and value > spec.maximum:
            return f"Input should be less than or equal to {_number(spec.maximum)}", "less_than_equal"
    if isinstance(value, str) and spec.max_length is not None and len(value) > spec.max_length:
        return f"String should have at most {spec.max_length} characters", "string_too_long"
    return None


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def markdown_table() -> str:
    """The catalog as the table in docs/higgsfield.md (a test keeps the two identical)."""
    rows = [
        "| model id | label | kind | lengths (s) | resolutions | aspect ratios | notes |",
        "|---|---|---|---|---|---|---|",
    ]
    for model in CATALOG:
        durations = model.durations
        lengths = (
            f"{durations[0]}–{durations[-1]}"
            if len(durations) > 2 and durations == tuple(range(durations[0], durations[-1] + 1))
            else ", ".join(str(d) for d in durations)
        )
        notes = []
        if model.field("duration") is None:
            notes.append("no duration field (fixed length)")
        if model.field("resolution") is not None:
            notes.append('resolution sent without "p"')
        if model.aliases:
            notes.append("alias " + ", ".join(f"`{alias}`" for alias in model.aliases))
        rows.append(
            f"| `{model.id}` | {model.label} | {model.kind} | {lengths} "
            f"| {', '.join(model.resolutions) or 'model decides'} "
            f"| {', '.join(model.aspect_ratios) or 'model decides'} | {'; '.join(notes)} |"
        )
    return "\n".join(rows)
