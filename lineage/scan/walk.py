"""Walk model folders safely: find weight files and pickles by name, never opening anything.

Only ``os.scandir`` and ``stat`` are used here, so a FIFO, a device or a socket is recognised and skipped
before anything could block on it. Directory symlinks are followed once (a loop is reported, not walked
again); file symlinks are followed (the Hugging Face cache keeps its snapshot files as links to blobs).
Trees deeper than :data:`MAX_DEPTH` are reported and cut.

>>> import pathlib, tempfile
>>> d = pathlib.Path(tempfile.mkdtemp()); (d / "loras").mkdir()
>>> _ = (d / "loras" / "style.safetensors").write_bytes(b"x"); _ = (d / "m.ckpt").write_bytes(b"x")
>>> [(e.kind, e.role, e.name) for e in walk([d]) if isinstance(e, Entry)]
[('weights', 'lora', 'style.safetensors'), ('pickle', None, 'm.ckpt')]
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

WEIGHT_EXTENSIONS = frozenset({".safetensors", ".sft", ".gguf"})
PICKLE_EXTENSIONS = frozenset({".ckpt", ".pt", ".pth", ".bin", ".pkl", ".pickle"})
MAX_DEPTH = 40
#: Sidecar suffixes (as in :data:`lineage.scan.sidecars.SUFFIXES`, in the same order).
SIDECAR_SUFFIXES = (".civitai.info", ".metadata.json", ".cm-info.json", ".json")
#: Folder names (lower case) of ComfyUI, AUTOMATIC1111/Forge and InvokeAI -> the role of the files in them.
ROLE_DIRS: dict[str, str] = {
    "checkpoints": "checkpoint", "stable-diffusion": "checkpoint", "main": "checkpoint",
    "diffusion_models": "diffusion model", "unet": "diffusion model",
    "loras": "lora", "lora": "lora", "lycoris": "lora",
    "vae": "vae", "vae_approx": "vae",
    "text_encoders": "text encoder", "clip": "text encoder", "text_encoder": "text encoder",
    "controlnet": "controlnet", "t2i_adapter": "controlnet",
    "upscale_models": "upscaler", "esrgan": "upscaler", "realesrgan": "upscaler", "swinir": "upscaler",
    "embeddings": "embedding", "embedding": "embedding",
    "clip_vision": "clip vision", "ipadapter": "adapter", "ip_adapter": "adapter", "style_models": "adapter",
}
#: InvokeAI sorts models by base first (``models/sdxl/lora/...``): the base folder names the base model.
INVOKEAI_BASES: dict[str, str] = {"sd-1": "sd-v1-5", "sd-2": "sd-2.1", "sdxl": "sdxl-1.0", "sdxl-refiner": "sdxl-1.0",
                                  "flux": "flux1-dev", "sd-3": "sd3-medium"}


@dataclass(frozen=True)
class Entry:
    """A file worth reporting: ``kind`` is ``weights`` or ``pickle`` (refused, never opened)."""

    path: str
    name: str
    kind: str
    size: int
    mtime_ns: int
    role: str | None
    layout: str
    base_hint: str | None = None  # a node id the folder layout names (InvokeAI)
    hf_repo: str | None = None  # "org/name" for a file in a Hugging Face cache snapshot
    blob: str | None = None  # the blob name a HF cache symlink points at (the sha256 of an LFS file)
    sidecars: str = ""  # "name:size:mtime" of each sidecar beside it: part of the scan cache key


@dataclass(frozen=True)
class Skipped:
    """Something the walk did not read, and why (a FIFO, a loop, an unreadable folder, a tree too deep)."""

    path: str
    reason: str


def classify(parts: tuple[str, ...]) -> tuple[str | None, str, str | None, str | None]:
    """``(role, layout, base_hint, hf_repo)`` from the folder names above a file.

    >>> classify(("ComfyUI", "models", "loras", "SDXL"))
    ('lora', 'comfyui', None, None)
    >>> classify(("invokeai", "models", "sdxl", "lora"))
    ('lora', 'invokeai', 'sdxl-1.0', None)
    >>> classify(("hub", "models--black-forest-labs--FLUX.1-dev", "snapshots", "abc"))[1:]
    ('hf-cache', None, 'black-forest-labs/FLUX.1-dev')
    """
    role = layout = base = repo = None
    lower = [p.lower() for p in parts]
    for i, name in enumerate(lower):
        if name.startswith("models--") and "snapshots" in lower[i:]:
            repo, layout = parts[i][len("models--"):].replace("--", "/", 1), "hf-cache"
        if name in ROLE_DIRS:
            role = ROLE_DIRS[name]
            if i > 0 and lower[i - 1] in INVOKEAI_BASES:
                layout, base = "invokeai", INVOKEAI_BASES[lower[i - 1]]
            elif parts[i] in ("Stable-diffusion", "Lora", "LyCORIS", "VAE", "ESRGAN") and layout is None:
                layout = "a1111"
            elif layout is None and name in ("checkpoints", "diffusion_models", "loras", "text_encoders", "unet",
                                             "upscale_models", "clip", "vae", "controlnet"):
                layout = "comfyui"
    return role, layout or "folder", base, repo


def walk(roots: list[Path], max_depth: int = MAX_DEPTH) -> Iterator[Entry | Skipped]:
    """Every weight file and pickle under ``roots`` (a root may be a file), plus what was skipped and why."""
    seen_dirs: set[tuple[int, int]] = set()
    for root in roots:
        try:
            st = os.stat(root)
        except OSError as err:
            yield Skipped(str(root), f"cannot be read ({err.strerror or err})")
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk_dir(str(root), (), seen_dirs, 0, max_depth)
        else:
            path = Path(root)
            found = _file(str(path), path.name, path.parent.parts, st, False, _signature_of(path))
            if found is not None:
                yield found


def stat_signature(paths: list[Path]) -> str:
    """``name:size:mtime`` of each of ``paths`` that exists (from ``stat`` only): part of the scan cache key."""
    out = []
    for p in paths:
        try:
            st = os.stat(p)
        except OSError:
            continue
        out.append(f"{p.name}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(out)


def _signature_of(path: Path) -> str:
    """``name:size:mtime`` of each sidecar beside a file given on its own (a root that is a file)."""
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    return stat_signature([path.with_name(stem + suffix) for suffix in SIDECAR_SUFFIXES])


def _walk_dir(path: str, parts: tuple[str, ...], seen: set[tuple[int, int]], depth: int,
              max_depth: int) -> Iterator[Entry | Skipped]:
    try:
        st = os.stat(path)
    except OSError as err:
        yield Skipped(path, f"cannot be read ({err.strerror or err})")
        return
    key = (st.st_dev, st.st_ino)
    if key in seen:
        yield Skipped(path, "a folder already walked (a symlink loop or a second link to it); not walked again")
        return
    seen.add(key)
    if depth > max_depth:
        yield Skipped(path, f"deeper than {max_depth} folders; not walked")
        return
    try:
        with os.scandir(path) as it:
            children = sorted(it, key=lambda e: e.name)
    except OSError as err:
        yield Skipped(path, f"folder cannot be listed ({err.strerror or err})")
        return
    here = (*parts, os.path.basename(path))
    sidecars: dict[str, str] = {}  # sidecar name -> "name:size:mtime", from this listing (no stat of absent files)
    for child in children:
        if child.name.endswith(SIDECAR_SUFFIXES):
            try:
                cst = child.stat()
            except OSError:
                continue
            sidecars[child.name] = f"{child.name}:{cst.st_size}:{cst.st_mtime_ns}"
    for child in children:
        try:
            child_st = child.stat()  # follows symlinks; a dangling or looping one raises
        except OSError as err:
            link = child.is_symlink()
            if _interesting(child.name) or link:
                yield Skipped(child.path, "a dangling or looping symlink" if link
                              else f"cannot be read ({err.strerror})")
            continue
        if stat.S_ISDIR(child_st.st_mode):
            yield from _walk_dir(child.path, here, seen, depth + 1, max_depth)
        elif _interesting(child.name):
            stem = os.path.splitext(child.name)[0]
            sig = "|".join(sidecars[stem + s] for s in SIDECAR_SUFFIXES if stem + s in sidecars)
            found = _file(child.path, child.name, here, child_st, child.is_symlink(), sig)
            if found is not None:
                yield found


def _interesting(name: str) -> bool:
    suffix = os.path.splitext(name)[1].lower()
    return suffix in WEIGHT_EXTENSIONS or suffix in PICKLE_EXTENSIONS


def _file(path: str, name: str, parts: tuple[str, ...], st: os.stat_result, is_link: bool,
          sidecars: str) -> Entry | Skipped | None:
    if not _interesting(name):
        return None
    if not stat.S_ISREG(st.st_mode):
        return Skipped(path, "not a regular file (a FIFO, socket or device); never opened")
    suffix = os.path.splitext(name)[1].lower()
    role, layout, base, repo = classify(parts)
    blob = None
    if repo and is_link:
        target = os.path.basename(os.readlink(path))
        blob = target if len(target) == 64 else None
    kind = "weights" if suffix in WEIGHT_EXTENSIONS else "pickle"
    return Entry(path, name, kind, st.st_size, st.st_mtime_ns, role, layout, base, repo, blob, sidecars)
