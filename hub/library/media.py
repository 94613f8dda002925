"""ffprobe and ffmpeg: duration and codecs, a poster frame, an audio-only and a 360p version.

Every command is a list (never a shell line), writes into tmp/ under a generated name, and has a
time limit. When the programs are missing, available() is False and the hub plays the original.
"""

import json
import shutil
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from hub.library import storage

PROBE_TIMEOUT = 60
CONVERT_TIMEOUT = 3600


class MediaError(Exception):
    """ffprobe or ffmpeg could not read or convert the file; str() says why."""


@dataclass
class Probe:
    duration: float | None
    codecs: str
    has_video: bool
    has_audio: bool


def available() -> bool:
    """Whether ffmpeg and ffprobe are installed."""
    cfg = current_app.config
    return bool(shutil.which(cfg["FFMPEG"]) and shutil.which(cfg["FFPROBE"]))


def _run(command: list[str], timeout: int) -> str:
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise MediaError("took too long") from None
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise MediaError(lines[-1][:300] if lines else f"exit status {done.returncode}")
    return done.stdout.decode("utf-8", "replace")


def probe(path: Path) -> Probe:
    """Duration and codecs of an audio or video file; MediaError when ffprobe cannot read it."""
    output = _run([current_app.config["FFPROBE"], "-v", "error", "-print_format", "json",
                   "-show_format", "-show_streams", str(path)], PROBE_TIMEOUT)
    data = json.loads(output or "{}")
    streams = [s for s in data.get("streams", []) if s.get("codec_type") in ("audio", "video")]
    if not streams:
        raise MediaError("no audio or video stream")
    duration = data.get("format", {}).get("duration")
    kinds = {s["codec_type"] for s in streams}
    video = [s for s in streams if s["codec_type"] == "video"
             and s.get("disposition", {}).get("attached_pic") != 1]
    return Probe(duration=float(duration) if duration else None,
                 codecs=", ".join(sorted({s.get("codec_name", "?") for s in streams}))[:200],
                 has_video=bool(video), has_audio="audio" in kinds)


def _convert(source: Path, extension: str, arguments: list[str]) -> Path:
    """Run ffmpeg from `source` into a new temporary file; removed again on failure."""
    target = storage.temp_path(f"{uuid.uuid4().hex}.{extension}")
    command = [current_app.config["FFMPEG"], "-nostdin", "-v", "error", "-y", "-i", str(source),
               *arguments, str(target)]
    try:
        _run(command, CONVERT_TIMEOUT)
    except MediaError:
        storage.remove(target)
        raise
    if not target.exists() or target.stat().st_size == 0:
        storage.remove(target)
        raise MediaError("ffmpeg produced no output")
    return target


def poster(source: Path, duration: float | None) -> Path:
    """A JPEG frame from a tenth of the way in (at most 10 s), 640 pixels wide at most."""
    at = min((duration or 0) / 10, 10)
    return _convert(source, "jpg", ["-ss", f"{at:.2f}", "-frames:v", "1",
                                    "-vf", "scale='min(640,iw)':-2", "-q:v", "4"])


def audio_only(source: Path) -> Path:
    """A mono Opus audio file at about 48 kbit/s: listening on a small data plan."""
    return _convert(source, "ogg", ["-vn", "-map", "0:a:0", "-ac", "1", "-c:a", "libopus", "-b:a", "48k"])


def video_360p(source: Path) -> Path:
    """A 360-pixel-high H.264/AAC MP4 that starts playing before it has fully arrived."""
    return _convert(source, "mp4", ["-map", "0:v:0", "-map", "0:a:0?", "-vf", "scale=-2:'min(360,ih)'",
                                    "-c:v", "libx264", "-preset", "veryfast", "-crf", "28",
                                    "-c:a", "aac", "-b:a", "64k", "-movflags", "+faststart"])
