"""Refuse Python pickles (``.ckpt``, ``.pt``, ``.pth``, ``.bin``, ``.pkl``) by extension and by magic bytes.

Unpickling runs code chosen by whoever made the file, so these are never opened, only recognised.

>>> sniff_pickle(b"\\x80\\x04\\x95...")
'a raw Python pickle'
>>> sniff_pickle(b"PK\\x03\\x04" + b"\\0" * 26 + b"archive/data.pkl")
'a PyTorch ZIP archive holding a pickle (data.pkl)'
>>> sniff_pickle(b"\\x10\\x00\\x00\\x00\\x00\\x00\\x00\\x00{") is None
True
"""

from __future__ import annotations

from pathlib import Path

from lineage.inspection.errors import PickleRefused

PICKLE_EXTENSIONS = frozenset({".ckpt", ".pt", ".pth", ".bin", ".pkl", ".pickle"})


def sniff_pickle(head: bytes) -> str | None:
    """What kind of pickle the first bytes of a file show, or ``None``.

    A safetensors file starts with its header length, whose low byte may be ``0x80``; its JSON ``{`` at
    byte 8 tells it apart (and it is never unpickled either way).
    """
    if head[8:9] == b"{":
        return None
    if len(head) >= 2 and head[0] == 0x80 and 2 <= head[1] <= 5:
        return "a raw Python pickle"
    if head.startswith(b"PK\x03\x04"):
        if b"data.pkl" in head:
            return "a PyTorch ZIP archive holding a pickle (data.pkl)"
        return "a ZIP archive (PyTorch's .pt/.ckpt format is a ZIP holding a pickle)"
    return None


def refuse_pickle(path: Path, head: bytes) -> None:
    """Raise :class:`PickleRefused` when ``path`` is a pickle by its extension or its first bytes."""
    kind = sniff_pickle(head)
    if kind is None and path.suffix.lower() not in PICKLE_EXTENSIONS:
        return
    what = kind or f"a {path.suffix} file, a format that is usually a Python pickle"
    raise PickleRefused(
        f"{path.name} is {what}. Loading a pickle can run arbitrary code, so lineage never opens one. "
        "Get the .safetensors release of this model, or convert the file to safetensors inside a sandbox "
        "(for example with safetensors' convert script in a throwaway container), then inspect that."
    )
