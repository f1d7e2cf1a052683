"""Read a GGUF header (metadata and tensor names/shapes) without reading tensor data, within fixed limits.

Layout (v2/v3): ``GGUF``, uint32 version, uint64 tensor count, uint64 metadata count, the metadata
key/value pairs, then per tensor: name, uint32 number of dims, uint64 dims (innermost first), uint32 type,
uint64 offset. Shapes are returned outermost first, as PyTorch writes them.

>>> import io, struct
>>> s = lambda t: struct.pack("<Q", len(t)) + t
>>> blob = (b"GGUF" + struct.pack("<IQQ", 3, 1, 1) + s(b"general.architecture") + struct.pack("<I", 8)
...         + s(b"flux") + s(b"img_in.weight") + struct.pack("<IQQIQ", 2, 64, 3072, 1, 0))
>>> h = parse_gguf(io.BytesIO(blob), "x.gguf")
>>> h.metadata["general.architecture"], h.tensors["img_in.weight"]
('flux', (3072, 64))
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import IO, Any

from lineage.inspection.errors import InspectionError

MAX_BYTES = 100 * 1024 * 1024
MAX_TENSORS = 1_000_000
MAX_KV = 100_000
MAX_STRING = 16 * 1024 * 1024
MAX_NDIM = 8
_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}


@dataclass(frozen=True)
class GGUFHeader:
    version: int
    metadata: dict[str, Any]
    tensors: dict[str, tuple[int, ...]]


class _Reader:
    def __init__(self, fh: IO[bytes], name: str):
        self.fh, self.name, self.used = fh, name, 0

    def take(self, n: int) -> bytes:
        self.used += n
        if self.used > MAX_BYTES:
            raise InspectionError(f"{self.name}: the GGUF header is larger than {MAX_BYTES:,} bytes; refused.")
        data = self.fh.read(n)
        if len(data) != n:
            raise InspectionError(f"{self.name}: the file ended inside the GGUF header; it is truncated.")
        return data

    def unpack(self, fmt: str) -> Any:
        return struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0]

    def string(self) -> str:
        n = self.unpack("<Q")
        if n > MAX_STRING:
            raise InspectionError(f"{self.name}: a GGUF string claims {n:,} bytes; the header is corrupt.")
        return self.take(n).decode("utf-8", errors="replace")

    def value(self, vtype: int, depth: int = 0) -> Any:
        if vtype in _SCALARS:
            return self.unpack(_SCALARS[vtype])
        if vtype == 8:
            return self.string()
        if vtype == 9 and depth == 0:
            etype, count = self.unpack("<I"), self.unpack("<Q")
            if count > MAX_BYTES:
                raise InspectionError(f"{self.name}: a GGUF array claims {count:,} items; the header is corrupt.")
            for _ in range(count):  # arrays (token lists) are skipped, not kept
                self.value(etype, depth + 1)
            return f"<array of {count} items>"
        raise InspectionError(f"{self.name}: unknown GGUF value type {vtype}; the header is corrupt.")


def parse_gguf(fh: IO[bytes], name: str) -> GGUFHeader:
    """Parse the GGUF header from the start of ``fh``."""
    r = _Reader(fh, name)
    if r.take(4) != b"GGUF":
        raise InspectionError(f"{name}: not a GGUF file (bad magic).")
    version = r.unpack("<I")
    if version not in (2, 3):
        raise InspectionError(f"{name}: GGUF version {version} is not supported (2 and 3 are).")
    n_tensors, n_kv = r.unpack("<Q"), r.unpack("<Q")
    if n_tensors > MAX_TENSORS or n_kv > MAX_KV:
        raise InspectionError(f"{name}: the GGUF header claims {n_tensors:,} tensors and {n_kv:,} metadata "
                              "entries; over the limits, refused.")
    metadata: dict[str, Any] = {}
    for _ in range(n_kv):
        key = r.string()
        value = r.value(r.unpack("<I"))
        metadata[key] = value[:300] if isinstance(value, str) else value
    tensors: dict[str, tuple[int, ...]] = {}
    for _ in range(n_tensors):
        tname = r.string()
        ndim = r.unpack("<I")
        if ndim > MAX_NDIM:
            raise InspectionError(f"{name}: tensor {tname[:80]!r} claims {ndim} dimensions; the header is corrupt.")
        dims = [r.unpack("<Q") for _ in range(ndim)]
        r.unpack("<I")  # ggml type
        r.unpack("<Q")  # offset
        tensors[tname] = tuple(reversed(dims))
    return GGUFHeader(version, metadata, tensors)
