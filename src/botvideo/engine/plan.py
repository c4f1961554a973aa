"""The shared clock of a clip: mood, tempo, beats and the key moments that picture and sound both follow.

Computed from the spec alone (cheap: no fonts, no images), so the parent process can compose the soundtrack
while the workers draw, and the promo's cuts land exactly on the music's beats.
"""

from __future__ import annotations

from dataclasses import dataclass

from botvideo.engine.describe import SceneDescription, describe
from botvideo.engine.spec import ClipSpec

DEFAULT_MOODS = {"intro": "cinematic", "promo": "energetic", "token_reveal": "epic", "custom": "cinematic"}
TEMPO = {"calm": 84, "dreamy": 90, "cinematic": 96, "dark": 88, "epic": 100, "energetic": 124, "playful": 116}
# The moment of the reveal (the "logo"), as a fraction of the clip, for each type.
HIT_AT = {"intro": 0.26, "token_reveal": 0.3, "custom": 0.22}


@dataclass(frozen=True)
class Plan:
    duration: float
    mood: str
    bpm: float
    hit: float  # seconds: the reveal the riser builds to
    riser_start: float
    tail_start: float  # from here the music resolves and rings out
    cuts: tuple[float, ...]  # section starts on the beat (the promo's edit points)
    scene: SceneDescription

    @property
    def beat(self) -> float:
        return 60.0 / self.bpm

    def beats(self) -> list[float]:
        count = int(self.duration / self.beat + 1e-6)
        return [i * self.beat for i in range(count + 1) if i * self.beat < self.duration]


def scene_prompt_of(spec: ClipSpec) -> str:
    """The words that set the scene: the override when given, else (custom only) the prompt."""
    if spec.scene_prompt:
        return spec.scene_prompt
    return spec.prompt if spec.video_type == "custom" else ""


def plan_for(spec: ClipSpec) -> Plan:
    duration = spec.frame_count / spec.fps
    default = DEFAULT_MOODS.get(spec.video_type, "cinematic")
    scene = describe(scene_prompt_of(spec), seed=spec.seed, default_mood=default)
    mood = scene.mood if scene_prompt_of(spec) else default
    # Whole beats in the clip, so the last bar ends with the picture.
    beats = max(4, round(duration * TEMPO[mood] / 60))
    bpm = beats * 60 / duration
    beat = 60 / bpm
    tail = max(duration - 1.0, duration * 0.8)
    if spec.video_type == "promo":
        # Sections in beats: hook, three cards, the avatar, the call to action, the end card.
        marks = (0.0, 0.18, 0.28, 0.38, 0.5, 0.64, 0.8)
        cuts = tuple(sorted({round(m * beats) * beat for m in marks}))
        hit = cuts[-1]
        riser = max(0.0, hit - 2 * beat)
    else:
        hit_beat = max(1, round(HIT_AT.get(spec.video_type, 0.25) * beats))
        hit = hit_beat * beat
        riser = 0.0
        cuts = (0.0,)
    return Plan(
        duration=duration,
        mood=mood,
        bpm=bpm,
        hit=hit,
        riser_start=riser,
        tail_start=tail,
        cuts=cuts,
        scene=scene,
    )
