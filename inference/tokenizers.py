"""The two tokenizers Anima needs: Qwen2Tokenizer (Qwen3 vocab) and T5TokenizerFast (ids only).

Looked up in order: an explicit folder holding ``qwen25/`` and ``t5/`` (the layout of
``shared/tokenizers``), a diffusers folder (``tokenizer/``, ``t5_tokenizer/``), the folder named by
``$LINEAGE_TOKENIZERS``, then the Hugging Face cache (``Qwen/Qwen3-0.6B-Base``, ``google/t5-v1_1-xxl``;
offline unless ``allow_download``).

Examples
--------
>>> from pathlib import Path
>>> shared = Path(__file__).resolve().parents[2] / "shared" / "tokenizers"
>>> qwen, t5 = load_tokenizers(tokenizers_dir=shared)
>>> qwen("a cat").input_ids, t5("a cat").input_ids
([64, 8251], [3, 9, 1712, 1])
"""

from __future__ import annotations

import contextlib
import os
from functools import lru_cache
from pathlib import Path

from inference.errors import TokenizerError

HUB_IDS = {"qwen": "Qwen/Qwen3-0.6B-Base", "t5": "google/t5-v1_1-xxl"}
_MIN_VOCAB = {"qwen": 150000, "t5": 32000}
_SUBDIRS = {"qwen": ("qwen25", "tokenizer"), "t5": ("t5", "t5_tokenizer")}
HINT = (
    "pass --tokenizers DIR with qwen25/ (vocab.json, merges.txt) and t5/ (tokenizer.json), "
    f"use the diffusers folder, or download once with network: {HUB_IDS['qwen']} and {HUB_IDS['t5']} "
    "from Hugging Face"
)


@lru_cache(maxsize=8)
def _cached(kind: str, source: str, local_only: bool, cache_dir: str | None = None):
    from transformers import Qwen2Tokenizer, T5TokenizerFast

    cls = Qwen2Tokenizer if kind == "qwen" else T5TokenizerFast
    tokenizer = cls.from_pretrained(source, local_files_only=local_only, cache_dir=cache_dir)
    # transformers 5 may return an empty tokenizer instead of raising when the files are absent
    if len(tokenizer) < _MIN_VOCAB[kind]:
        raise OSError(f"no usable {kind} tokenizer files in {source}")
    return tokenizer


def load_tokenizers(
    tokenizers_dir: Path | None = None,
    diffusers_dir: Path | None = None,
    allow_download: bool = False,
    hub_cache: Path | None = None,
):
    """Return ``(qwen_tokenizer, t5_tokenizer)`` or raise ``TokenizerError`` saying what is missing.

    ``hub_cache`` overrides the Hugging Face cache folder (default: the hub's own).
    """
    out = {}
    tried: dict[str, list[str]] = {"qwen": [], "t5": []}
    env = os.environ.get("LINEAGE_TOKENIZERS")
    for kind in ("qwen", "t5"):
        candidates = []
        if tokenizers_dir is not None:
            candidates.append(Path(tokenizers_dir) / _SUBDIRS[kind][0])
        if diffusers_dir is not None:
            candidates.append(Path(diffusers_dir) / _SUBDIRS[kind][1])
        if env:
            candidates.append(Path(env) / _SUBDIRS[kind][0])
        for folder in candidates:
            tried[kind].append(str(folder))
            if folder.is_dir() and any(folder.iterdir()):
                try:
                    out[kind] = _cached(kind, str(folder.resolve()), True)
                    break
                except Exception as exc:  # corrupt files: OSError, ValueError or the tokenizers library's own
                    raise TokenizerError(f"cannot load the {kind} tokenizer ({exc})", path=folder, hint=HINT) from None
        else:
            tried[kind].append(f"Hugging Face cache ({HUB_IDS[kind]})")
            with contextlib.suppress(OSError, ValueError):
                out[kind] = _cached(kind, HUB_IDS[kind], not allow_download, str(hub_cache) if hub_cache else None)
    missing = [k for k in ("qwen", "t5") if k not in out]
    if missing:
        detail = "; ".join(f"{k} tokenizer not found in: {', '.join(tried[k])}" for k in missing)
        raise TokenizerError(detail, hint=HINT)
    return out["qwen"], out["t5"]
