"""The soundtrack: music composed in numpy to the clip's plan, mastered to -14 LUFS, encoded as AAC.

Pads, bass and drums follow the mood's tempo and the plan's beats; a riser builds into the reveal, a hit lands
on it, and the music rings out over the tail. Loudness is measured the ITU-R BS.1770 way (K-weighting,
400 ms blocks, absolute and relative gates) and true peak on a 4x oversampled signal, so every clip plays at the
level social platforms normalise to, with no clipping after encoding. Everything random is seeded: the same
spec gives the same samples.
"""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np

from botvideo.engine.plan import Plan
from botvideo.engine.spec import ClipSpec

RATE = 48_000
TARGET_LUFS = -14.0
PEAK_CEILING_DBTP = -1.6  # headroom below -1 dBTP for the AAC encoder's own overshoot
AAC_BITRATE = 192_000
TABLE_SIZE = 2048

# Chord roots as semitones above the key, four chords a loop; minor and major colours per mood.
PROGRESSIONS = {
    "minor": ((0, 3, 7, 10), (-4, 0, 3, 7), (-9, -5, -2, 3), (-2, 2, 5, 9)),
    "major": ((0, 4, 7, 11), (-3, 0, 4, 7), (-7, -3, 0, 4), (-5, -1, 2, 7)),
}
MOOD_STYLE: dict[str, dict[str, Any]] = {
    # scale, pad brightness (harmonic roll-off), kick pattern per bar, hats per beat, bass notes per beat
    "calm": {"scale": "major", "rolloff": 2.2, "kicks": (), "hats": 0, "bass": 1, "key": 0},
    "dreamy": {"scale": "major", "rolloff": 1.8, "kicks": (0,), "hats": 1, "bass": 1, "key": 2},
    "cinematic": {"scale": "minor", "rolloff": 1.6, "kicks": (0, 2), "hats": 1, "bass": 1, "key": -3},
    "dark": {"scale": "minor", "rolloff": 2.0, "kicks": (0, 2.5), "hats": 2, "bass": 2, "key": -5},
    "epic": {"scale": "minor", "rolloff": 1.4, "kicks": (0, 1.5, 2), "hats": 2, "bass": 2, "key": -2},
    "energetic": {"scale": "minor", "rolloff": 1.3, "kicks": (0, 1, 2, 3), "hats": 2, "bass": 2, "key": 0},
    "playful": {"scale": "major", "rolloff": 1.5, "kicks": (0, 1, 2, 3), "hats": 2, "bass": 2, "key": 5},
}
KEY_ROOT_HZ = 110.0  # A2


def soundtrack(spec: ClipSpec, plan: Plan) -> np.ndarray:
    """The mastered stereo soundtrack as float32 samples, shape (2, frames) at 48 kHz."""
    rng = np.random.default_rng(abs(hash_spec(spec)) % 2**63)
    n = max(1, round(plan.duration * RATE))
    style = MOOD_STYLE.get(plan.mood, MOOD_STYLE["cinematic"])
    music = np.zeros((2, n), dtype=np.float64)
    root = KEY_ROOT_HZ * 2 ** ((style["key"] + (spec.seed % 3) * 2) / 12)
    pad = _pads(n, plan, root, style)
    bass = _bass(n, plan, root, style)
    drums = _drums(n, plan, style, rng)
    fx = _riser_and_hit(n, plan, rng)
    music += 0.55 * pad + 0.5 * bass[None, :] + drums + fx
    wet = _reverb(0.45 * pad + 0.25 * drums + 0.5 * fx, rng)
    music += wet
    music *= _tail_envelope(n, plan)[None, :]
    return master(music)


def hash_spec(spec: ClipSpec) -> int:
    import hashlib

    text = "\x1f".join(str(p) for p in (spec.video_type, spec.title, spec.seed, spec.scene_prompt, spec.prompt))
    return int.from_bytes(hashlib.sha256(text.encode("utf-8", "replace")).digest()[:8], "big")


# --- instruments --------------------------------------------------------------------------------------------


def _wavetable(rolloff: float, harmonics: int = 10) -> np.ndarray:
    """One period of a warm saw-like wave: harmonics falling off as 1/k^rolloff."""
    phase = np.arange(TABLE_SIZE) / TABLE_SIZE * math.tau
    table = np.zeros(TABLE_SIZE)
    for k in range(1, harmonics + 1):
        table += np.sin(k * phase) / k**rolloff
    return np.asarray(table / np.abs(table).max())


def _oscillator(table: np.ndarray, freq: float, n: int, phase: float = 0.0) -> np.ndarray:
    """Reads the wavetable at `freq` Hz with linear interpolation."""
    cycles = np.arange(n) * (freq / RATE) + phase
    position = (cycles % 1.0) * TABLE_SIZE
    index = position.astype(np.int64)
    frac = position - index
    return np.asarray(table[index % TABLE_SIZE] * (1 - frac) + table[(index + 1) % TABLE_SIZE] * frac)


def _pads(n: int, plan: Plan, root: float, style: dict[str, Any]) -> np.ndarray:
    """Sustained chords, one per bar, cross-faded; two detuned voices spread left and right."""
    table = _wavetable(style["rolloff"])
    bar = plan.beat * 4
    chords = PROGRESSIONS[style["scale"]]
    out = np.zeros((2, n))
    t = np.arange(n) / RATE
    bars = max(1, math.ceil(plan.duration / bar))
    fade = min(0.35, bar * 0.25)
    for b in range(bars):
        start, stop = b * bar, (b + 1) * bar
        weight = np.clip((t - start + fade) / fade, 0, 1) * np.clip((stop + fade - t) / fade, 0, 1)
        live = weight > 0
        if not live.any():
            continue
        segment = np.nonzero(live)[0]
        lo, hi = segment[0], segment[-1] + 1
        for semitone in chords[b % len(chords)]:
            freq = root * 2 * 2 ** (semitone / 12)
            for channel, detune in ((0, 0.9985), (1, 1.0015)):
                voice = _oscillator(table, freq * detune, hi - lo, phase=0.13 * channel + semitone * 0.07)
                out[channel, lo:hi] += voice * weight[lo:hi] * 0.16
    swell = 0.75 + 0.25 * np.sin(t * math.tau / (bar * 2))  # slow breathing so sustained chords still move
    return out * swell[None, :]


def _bass(n: int, plan: Plan, root: float, style: dict[str, Any]) -> np.ndarray:
    """Plucked bass notes on the chord root, `bass` notes per beat, soft-saturated for presence on phones."""
    out = np.zeros(n)
    chords = PROGRESSIONS[style["scale"]]
    step = plan.beat / style["bass"]
    note_len = int(min(step * 0.95, 0.6) * RATE)
    envelope = np.exp(-np.arange(note_len) / (RATE * step * 0.45))
    envelope[: int(0.004 * RATE)] *= np.linspace(0, 1, int(0.004 * RATE))
    for i in range(int(plan.duration / step) + 1):
        start_time = i * step
        if start_time >= plan.tail_start + plan.beat:
            break
        chord = chords[int(start_time / (plan.beat * 4)) % len(chords)]
        freq = root / 2 * 2 ** (chord[0] / 12)
        start = int(start_time * RATE)
        length = min(note_len, n - start)
        if length <= 0:
            break
        t = np.arange(length) / RATE
        tone = np.sin(math.tau * freq * t) + 0.35 * np.sin(math.tau * 2 * freq * t)
        out[start : start + length] += np.tanh(1.6 * tone) * envelope[:length] * 0.5
    return out


def _kick() -> np.ndarray:
    length = int(0.42 * RATE)
    t = np.arange(length) / RATE
    freq = 42 + 110 * np.exp(-t * 28)
    phase = np.cumsum(freq) / RATE * math.tau
    return np.asarray(np.sin(phase) * np.exp(-t * 7.5))


def _noise_hit(rng: np.random.Generator, seconds: float, decay: float, brightness: int) -> np.ndarray:
    """A noise burst; differencing `brightness` times tilts it towards the highs (snare body → hat sizzle)."""
    length = int(seconds * RATE)
    noise = rng.standard_normal(length + brightness)
    for _ in range(brightness):
        noise = np.diff(noise)
    t = np.arange(length) / RATE
    return np.asarray(noise[:length] / (2.0**brightness) * np.exp(-t * decay))


def _drums(n: int, plan: Plan, style: dict[str, Any], rng: np.random.Generator) -> np.ndarray:
    out = np.zeros((2, n))
    kick = _kick()
    clap = _noise_hit(rng, 0.22, 22, 1)
    hat = _noise_hit(rng, 0.06, 70, 1)  # more differencing puts energy near Nyquist, where AAC overshoots

    def place(sample: np.ndarray, time: float, gain: float, pan: float = 0.0) -> None:
        start = int(time * RATE)
        if start >= n:
            return
        length = min(len(sample), n - start)
        out[0, start : start + length] += sample[:length] * gain * (1 - pan)
        out[1, start : start + length] += sample[:length] * gain * (1 + pan)

    beat = plan.beat
    bars = int(plan.duration / (beat * 4)) + 1
    end = plan.tail_start
    # Drums come in after the reveal (the build-up belongs to the riser) and stop for the tail.
    enter = plan.hit if plan.cuts == (0.0,) else 0.0
    for b in range(bars):
        bar_start = b * beat * 4
        for k in style["kicks"]:
            time = bar_start + k * beat
            if enter <= time < end:
                place(kick, time, 0.9)
        if style["hats"]:
            for i in range(4 * style["hats"]):
                time = bar_start + i * beat / style["hats"]
                if enter <= time < end:
                    place(hat, time, 0.5 if i % 2 else 0.3, pan=0.35 if i % 2 else -0.35)
        if len(style["kicks"]) >= 2:
            for k in (1, 3):
                time = bar_start + k * beat
                if enter <= time < end:
                    place(clap, time, 0.45)
    if plan.cuts != (0.0,):
        # The promo accents each cut with a kick and a clap so the edit is heard as well as seen.
        for cut in plan.cuts[1:]:
            place(kick, cut, 0.5)
    return out


def _riser_and_hit(n: int, plan: Plan, rng: np.random.Generator) -> np.ndarray:
    out = np.zeros((2, n))
    start = int(plan.riser_start * RATE)
    hit = int(plan.hit * RATE)
    if hit - start > RATE * 0.3:
        length = hit - start
        x = np.linspace(0, 1, length)
        noise = np.diff(rng.standard_normal((2, length + 1)), axis=1) * 0.5
        sweep_freq = 200 * 2 ** (x * 3)
        sweep = np.sin(np.cumsum(sweep_freq) / RATE * math.tau)
        swell = x**2.2
        out[:, start:hit] += (noise * 0.35 + sweep[None, :] * 0.18) * swell[None, :]
    if hit < n:
        length = min(int(2.2 * RATE), n - hit)
        t = np.arange(length) / RATE
        boom = np.sin(math.tau * 55 * t + 3 * np.exp(-t * 20)) * np.exp(-t * 2.2)
        crash = _noise_hit(rng, length / RATE, 2.6, 2)
        out[0, hit : hit + length] += 0.8 * boom + 0.45 * crash
        out[1, hit : hit + length] += 0.8 * boom + 0.45 * np.roll(crash, 37)
    return out


def _reverb(send: np.ndarray, rng: np.random.Generator, seconds: float = 1.6) -> np.ndarray:
    """A plate-like tail: FFT convolution with exponentially decaying noise, different per side for width."""
    n = send.shape[1]
    length = int(seconds * RATE)
    t = np.arange(length) / RATE
    impulse = rng.standard_normal((2, length)) * np.exp(-t * 4.2)[None, :]
    impulse[:, : int(0.012 * RATE)] = 0  # pre-delay keeps the dry hit clear
    impulse /= np.sqrt((impulse**2).sum(axis=1, keepdims=True))
    size = 1 << (n + length).bit_length()
    spectrum = np.fft.rfft(send, size, axis=1) * np.fft.rfft(impulse, size, axis=1)
    return np.asarray(np.fft.irfft(spectrum, size, axis=1)[:, :n] * 0.35)


def _tail_envelope(n: int, plan: Plan) -> np.ndarray:
    """Full level until the tail, then a gentle fall, and a short fade at the very end to avoid a click."""
    t = np.arange(n) / RATE
    tail = np.clip((t - plan.tail_start) / max(0.1, plan.duration - plan.tail_start), 0, 1)
    envelope = 1.0 - 0.6 * tail**1.5
    fade = np.clip((plan.duration - t) / 0.08, 0, 1)
    return np.asarray(envelope * fade)


# --- mastering ----------------------------------------------------------------------------------------------

# ITU-R BS.1770 K-weighting at 48 kHz: a high shelf then a high pass (the standard's published coefficients).
_SHELF = ((1.53512485958697, -2.69169618940638, 1.19839281085285), (1.0, -1.69065929318241, 0.73248077421585))
_HIGHPASS = ((1.0, -2.0, 1.0), (1.0, -1.99004745483398, 0.99007225036621))


def _k_weight(samples: np.ndarray) -> np.ndarray:
    """K-weighted copy, filtered in the frequency domain by the two biquads' magnitude responses.

    Loudness depends on power only, so the filters' phase does not matter; one FFT is far cheaper in numpy than
    running the recursive filters sample by sample.
    """
    n = samples.shape[-1]
    size = 1 << max(1, (n - 1).bit_length())
    z = np.exp(-1j * np.linspace(0, math.pi, size // 2 + 1))
    response = np.ones_like(z)
    for b, a in (_SHELF, _HIGHPASS):
        response *= (b[0] + b[1] * z + b[2] * z**2) / (a[0] + a[1] * z + a[2] * z**2)
    spectrum = np.fft.rfft(samples, size, axis=-1) * np.abs(response)
    return np.asarray(np.fft.irfft(spectrum, size, axis=-1)[..., :n])


def integrated_loudness(samples: np.ndarray) -> float:
    """Integrated loudness in LUFS of stereo samples (2, n) at 48 kHz, gated as BS.1770-4 describes."""
    weighted = _k_weight(samples)
    block, hop = int(0.4 * RATE), int(0.1 * RATE)
    n = weighted.shape[1]
    if n < block:
        weighted = np.pad(weighted, ((0, 0), (0, block - n)))
        n = block
    power = weighted**2
    cumulative = np.concatenate([np.zeros((2, 1)), np.cumsum(power, axis=1)], axis=1)
    starts = np.arange(0, n - block + 1, hop)
    means = (cumulative[:, starts + block] - cumulative[:, starts]) / block
    blocks = means.sum(axis=0)
    with np.errstate(divide="ignore"):
        loudness = -0.691 + 10 * np.log10(blocks)
    kept = blocks[loudness > -70]
    if kept.size == 0:
        return -math.inf
    relative = -0.691 + 10 * math.log10(kept.mean()) - 10
    with np.errstate(divide="ignore"):
        final = blocks[(loudness > -70) & (-0.691 + 10 * np.log10(blocks) > relative)]
    return float(-0.691 + 10 * math.log10(final.mean())) if final.size else -math.inf


def oversampled(samples: np.ndarray, factor: int = 4) -> np.ndarray:
    """The signal band-limited-interpolated `factor` times (FFT zero padding), as a true-peak meter sees it."""
    n = samples.shape[-1]
    spectrum = np.fft.rfft(samples, axis=-1)
    return np.asarray(np.fft.irfft(spectrum, n * factor, axis=-1) * factor)


def true_peak_db(samples: np.ndarray) -> float:
    peak = float(np.abs(oversampled(samples)).max())
    return 20 * math.log10(peak) if peak > 0 else -math.inf


def _limit(samples: np.ndarray, ceiling_db: float, block: int = 240) -> np.ndarray:
    """Gain reduction wherever the true peak would pass the ceiling, smoothed between 5 ms blocks.

    Each block's gain is the least its own samples need; gains are interpolated linearly between block edges
    that take the lower of their two neighbours, so no sample gets more gain than its block allows.
    """
    ceiling = 10 ** (ceiling_db / 20)
    n = samples.shape[1]
    peaks = np.abs(oversampled(samples)).reshape(2, n, 4).max(axis=(0, 2))
    blocks = -(-n // block)
    padded = np.pad(peaks, (0, blocks * block - n))
    need = np.minimum(1.0, ceiling / np.maximum(padded.reshape(blocks, block).max(axis=1), 1e-12))
    # Spread each reduction one block either side, so gain moves over >= 10 ms (no audible pumping clicks).
    spread = np.minimum(need, np.minimum(np.roll(need, 1), np.roll(need, -1)))
    edges = np.minimum(np.concatenate([[spread[0]], spread]), np.concatenate([spread, [spread[-1]]]))
    gain = np.interp(np.arange(blocks * block), np.arange(blocks + 1) * block, edges)[:n]
    return np.asarray(samples * gain[None, :])


def master(music: np.ndarray) -> np.ndarray:
    """Glue, loudness to -14 LUFS and a true-peak ceiling; returns float32 (2, n)."""
    glued = np.tanh(music * 0.9)  # gentle saturation: lowers the crest factor the limiter has to handle
    out = glued
    for _ in range(3):
        loudness = integrated_loudness(out)
        if not math.isfinite(loudness):
            break
        out = out * 10 ** ((TARGET_LUFS - loudness) / 20)
        out = _limit(out, PEAK_CEILING_DBTP)
    return out.astype(np.float32)


# --- encoding -----------------------------------------------------------------------------------------------


DECODED_PEAK_LIMIT_DBTP = -1.2


def write_soundtrack(samples: np.ndarray, path: Path, attempts: int = 3) -> None:
    """Encode as AAC and check the decoded result's true peak: the encoder can add up to ~3 dB of overshoot on
    sharp transients, so when it does, the level is lowered by the excess and the audio is encoded again."""
    for _ in range(attempts):
        write_aac(samples, path)
        peak = true_peak_db(decode(path))
        if peak <= DECODED_PEAK_LIMIT_DBTP:
            return
        samples = samples * np.float32(10 ** ((PEAK_CEILING_DBTP - peak) / 20))


def decode(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        chunks = [frame.to_ndarray() for frame in container.decode(stream)]
    return np.concatenate(chunks, axis=1) if chunks else np.zeros((2, 0), dtype=np.float32)


def write_aac(samples: np.ndarray, path: Path) -> None:
    """Encode (2, n) float samples as AAC-LC stereo in an MP4 container, for the join to copy from."""
    with av.open(str(path), mode="w", format="mp4") as container:
        stream: Any = container.add_stream("aac", rate=RATE)
        stream.layout = "stereo"
        stream.bit_rate = AAC_BITRATE
        stream.time_base = Fraction(1, RATE)
        frame_size = 1024
        data = np.ascontiguousarray(samples, dtype=np.float32)
        for start in range(0, data.shape[1], frame_size):
            chunk = np.ascontiguousarray(data[:, start : start + frame_size])
            frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout="stereo")
            frame.sample_rate = RATE
            frame.pts = start
            frame.time_base = Fraction(1, RATE)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
