"""Project exceptions: every error names the file or thing involved and what to do.

Examples
--------
>>> err = WeightsError("not a safetensors file", path="x.bin", hint="pass the .safetensors file")
>>> print(err)
x.bin: not a safetensors file (pass the .safetensors file)
"""

from __future__ import annotations

from pathlib import Path


class InferenceError(Exception):
    """Base class: a message for the user, the path concerned, and a hint on what to do."""

    def __init__(self, message: str, *, path: str | Path | None = None, hint: str | None = None):
        self.message = message
        self.path = str(path) if path is not None else None
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"{self.path}: {self.message}" if self.path else self.message
        return f"{text} ({self.hint})" if self.hint else text


class WeightsError(InferenceError):
    """A weight file is missing, unreadable, corrupt, or not the component expected."""


class TokenizerError(InferenceError):
    """A tokenizer cannot be found or loaded."""


class GenerationError(InferenceError):
    """Bad generation settings or a failure while generating."""


class GenerationCancelled(InferenceError):
    """The generation was cancelled by the user."""
