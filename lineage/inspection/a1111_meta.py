"""AUTOMATIC1111 ``parameters`` text: prompt, negative prompt, and the settings line (Model, Model hash, Lora...).

>>> text = ('a cat <lora:paws:0.7>\\nNegative prompt: blurry\\nSteps: 20, Sampler: Euler, Model hash: 31e35c80fc, '
...         'Model: sd_xl_base_1.0, Lora hashes: "paws: 0123456789ab", Version: v1.10.1')
>>> info = parse_parameters(text)
>>> info.settings["Model"], info.negative
('sd_xl_base_1.0', 'blurry')
>>> [(f.role, f.name, f.hash, f.strength) for f in info.files]
[('checkpoint', 'sd_xl_base_1.0', '31e35c80fc', None), ('lora', 'paws', '0123456789ab', 0.7)]
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from lineage.inspection.comfy_meta import NamedFile

# Possessive quantifiers (*+, ++) never backtrack: both patterns run in linear time on any text.
_TOKEN = re.compile(r'"(?:\\.|[^\\"])*+"|"|[,:]|[^,:"]++')
_KEY = re.compile(r"[\w][\w \-/]*+")
_LORA_TAG = re.compile(r"<(?:lora|lyco):([^:>]++)(?::([-\d.]++))?[^>]*+>")
MAX_TEXT = 1024 * 1024
SOURCE = "a1111 parameters"


@dataclass
class A1111Info:
    prompt: str
    negative: str | None
    settings: dict[str, str]
    files: list[NamedFile] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"prompt": self.prompt, "negative": self.negative, "settings": self.settings,
                "files": [f.to_dict() for f in self.files]}


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        try:
            return str(json.loads(value))
        except ValueError:
            return value[1:-1]
    return value


def _settings(line: str) -> dict[str, str]:
    """``Steps: 20, Model: "a, b"`` -> ``{"Steps": "20", "Model": "a, b"}`` in one linear pass.

    >>> _settings('Steps: 2, junk, Lora hashes: "x: 1, y: 2", Size: 8x8')
    {'Steps': '2', 'Lora hashes': 'x: 1, y: 2', 'Size': '8x8'}
    """
    out: dict[str, str] = {}
    key: str | None = None
    parts: list[str] = []
    for token in [*_TOKEN.findall(line), ","]:
        if key is None and token == ":":
            key, parts = "".join(parts).strip(), []
        elif token == ",":
            if key is not None and _KEY.fullmatch(key):
                out[key] = _unquote("".join(parts))
            key, parts = None, []
        else:
            parts.append(token)
    return out


def _pairs(text: str) -> dict[str, str]:
    """``"a: 1, b: 2"`` -> ``{"a": "1", "b": "2"}``."""
    out: dict[str, str] = {}
    for part in text.split(","):
        name, sep, value = part.partition(":")
        if sep and name.strip():
            out[name.strip()] = value.strip()
    return out


def parse_parameters(text: str) -> A1111Info:
    """Split the text into prompt, negative prompt and settings, and list the files it names."""
    lines = text[:MAX_TEXT].strip().split("\n")
    settings_line = lines.pop() if lines and "Steps:" in lines[-1] else ""
    settings = _settings(settings_line)
    prompt_lines, negative_lines, in_negative = [], [], False
    for line in lines:
        if line.startswith("Negative prompt:"):
            in_negative = True
            line = line[len("Negative prompt:"):].strip()
        (negative_lines if in_negative else prompt_lines).append(line)
    prompt = "\n".join(prompt_lines).strip()
    info = A1111Info(prompt, "\n".join(negative_lines).strip() if in_negative else None, settings)
    civitai: dict[str, Any] = {}
    if settings.get("Hashes", "").startswith("{"):
        try:
            loaded = json.loads(settings["Hashes"])
            civitai = loaded if isinstance(loaded, dict) else {}
        except ValueError:
            civitai = {}
    if settings.get("Model"):
        model_hash = settings.get("Model hash") or civitai.get("model")
        info.files.append(NamedFile("checkpoint", settings["Model"], SOURCE, hash=model_hash))
    if settings.get("VAE"):
        vae_hash = settings.get("VAE hash") or civitai.get("vae")
        info.files.append(NamedFile("vae", settings["VAE"], SOURCE, hash=vae_hash))
    lora_hashes = _pairs(settings.get("Lora hashes", ""))
    lora_hashes |= {k.split(":", 1)[1]: str(v) for k, v in civitai.items() if k.startswith(("lora:", "lyco:"))}
    strengths = {m.group(1): float(m.group(2)) if _is_float(m.group(2)) else None for m in _LORA_TAG.finditer(prompt)}
    for name in dict.fromkeys([*strengths, *lora_hashes]):
        info.files.append(NamedFile("lora", name, SOURCE, hash=lora_hashes.get(name), strength=strengths.get(name)))
    return info


def _is_float(text: str | None) -> bool:
    try:
        float(text or "")
    except ValueError:
        return False
    return True
