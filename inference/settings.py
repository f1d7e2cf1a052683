"""What a user asks for in one generation, validated without importing torch (fast CLI errors).

Examples
--------
>>> s = GenerationSettings(prompt="1girl", width=512, height=768)
>>> s.validate(); (s.steps, s.cfg, s.sigmas, s.quantize)
(30, 4.0, 'comfy', 'truncate')
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from inference.errors import GenerationError

SCHEDULES = ("comfy", "diffusers")
QUANTIZE = ("truncate", "round")


@dataclass
class GenerationSettings:
    """What the user asked for.

    ``sigmas``: ``comfy`` (simple schedule + ComfyUI noise) or ``diffusers``; ``quantize``:
    ``truncate`` (ComfyUI's SaveImage) or ``round`` (diffusers).
    """

    prompt: str
    negative: str = ""
    seed: int = 0
    steps: int = 30
    cfg: float = 4.0
    width: int = 1024
    height: int = 1024
    batch: int = 1
    sigmas: str = "comfy"
    quantize: str = "truncate"

    def validate(self) -> None:
        """Raise ``GenerationError`` for settings the model cannot run."""
        if self.width % 16 or self.height % 16 or self.width < 16 or self.height < 16:
            raise GenerationError(
                f"width and height must be positive multiples of 16, got {self.width}x{self.height}",
                hint="for example 1024x1024, 896x1152 or 832x1216",
            )
        if not 1 <= self.steps <= 1000:
            raise GenerationError(f"steps must be between 1 and 1000, got {self.steps}")
        if not 1 <= self.batch <= 64:
            raise GenerationError(f"batch must be between 1 and 64, got {self.batch}")
        if self.sigmas not in SCHEDULES:
            raise GenerationError(f"sigmas must be one of {', '.join(SCHEDULES)}, got {self.sigmas!r}")
        if self.quantize not in QUANTIZE:
            raise GenerationError(f"quantize must be one of {', '.join(QUANTIZE)}, got {self.quantize!r}")
        if not 0 <= self.seed < 2**64:
            raise GenerationError(f"seed must be between 0 and 2**64-1, got {self.seed}")

    def to_dict(self) -> dict:
        """Plain dict, as stored in the gallery and the PNG."""
        return asdict(self)
