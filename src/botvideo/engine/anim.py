"""The animation vocabulary: easing curves, keyframed tracks, staggers and handheld drift.

A scene describes motion as data: a `Track` of keyframes per property (opacity, position, scale, reveal), each
segment with its own easing, and `stagger` to offset the same entrance across words, letters or cards. Frames
evaluate the tracks at `t`; nothing here draws.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

Easing = Callable[[float], float]


def clamp01(value: float) -> float:
    return 0.0 if value < 0.0 else 1.0 if value > 1.0 else value


def lerp(a: float, b: float, x: float) -> float:
    return a + (b - a) * x


def linear(x: float) -> float:
    return clamp01(x)


def ease_in_cubic(x: float) -> float:
    return clamp01(x) ** 3


def ease_out_cubic(x: float) -> float:
    return 1.0 - (1.0 - clamp01(x)) ** 3


def ease_in_out_cubic(x: float) -> float:
    x = clamp01(x)
    return 4 * x**3 if x < 0.5 else 1 - (-2 * x + 2) ** 3 / 2


def ease_out_expo(x: float) -> float:
    x = clamp01(x)
    return 1.0 if x >= 1.0 else 1 - 2 ** (-10 * x)


def ease_in_expo(x: float) -> float:
    x = clamp01(x)
    return 0.0 if x <= 0.0 else 2 ** (10 * x - 10)


def ease_in_out_sine(x: float) -> float:
    return -(math.cos(math.pi * clamp01(x)) - 1) / 2


def ease_out_back(x: float) -> float:
    """Overshoots by about 10 % and settles: entrances that land with weight."""
    x = clamp01(x)
    c1 = 1.70158
    return 1 + (c1 + 1) * (x - 1) ** 3 + c1 * (x - 1) ** 2


def spring(x: float, *, damping: float = 6.5, frequency: float = 2.6) -> float:
    """A damped spring released from 0 towards 1: a fast rise, a couple of shrinking wobbles, rest at 1."""
    x = clamp01(x)
    if x >= 1.0:
        return 1.0
    decay = math.exp(-damping * x)
    # The (1 - x) factor lands the curve exactly on 1 at the end of its window.
    return 1.0 - decay * math.cos(frequency * math.tau * x) * (1 - x)


@dataclass(frozen=True)
class Key:
    time: float  # seconds
    value: float
    easing: Easing = ease_out_cubic  # the curve from the previous key into this one


class Track:
    """A property animated by keyframes; before the first key it holds the first value, after the last the last."""

    def __init__(self, *keys: Key) -> None:
        if not keys:
            raise ValueError("a track needs at least one key")
        self.keys = tuple(sorted(keys, key=lambda k: k.time))

    def __call__(self, t: float) -> float:
        keys = self.keys
        if t <= keys[0].time:
            return keys[0].value
        for previous, key in itertools.pairwise(keys):
            if t < key.time:
                span = key.time - previous.time
                x = (t - previous.time) / span if span > 0 else 1.0
                return lerp(previous.value, key.value, key.easing(x))
        return keys[-1].value


def window(t: float, start: float, length: float, easing: Easing = ease_out_cubic) -> float:
    """Eased progress 0..1 of an animation that starts at `start` seconds and lasts `length`."""
    if length <= 0:
        return 1.0 if t >= start else 0.0
    return easing((t - start) / length)


def stagger(index: int, count: int, start: float, spread: float) -> float:
    """The start time of item `index` of `count` when their entrances spread over `spread` seconds."""
    if count <= 1:
        return start
    return start + spread * index / (count - 1)


def drift(t: float, phase: float, *, amplitude: float = 1.0, speed: float = 1.0) -> float:
    """Smooth, never-repeating-looking wander in -amplitude..amplitude: sums of incommensurate sines (handheld)."""
    s = t * speed
    return amplitude * (
        0.55 * math.sin(0.71 * s + phase)
        + 0.3 * math.sin(1.37 * s + phase * 2.1)
        + 0.15 * math.sin(2.93 * s + phase * 3.7)
    )


def pulse(t: float, times: Sequence[float], *, decay: float = 6.0) -> float:
    """1 at each time in `times`, decaying exponentially after it: flashes and bumps on the beat."""
    level = 0.0
    for moment in times:
        if t >= moment:
            level = max(level, math.exp(-decay * (t - moment)))
    return level
