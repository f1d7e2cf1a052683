"""A bounded PNG chunk walker: text chunks and the C2PA chunk, never pixels.

Checks the signature, each chunk's length and CRC, and stops at ``IEND``. Image data (``IDAT``) is skipped
by seeking. Compressed text (``zTXt``, compressed ``iTXt``) is inflated at most to :data:`MAX_TEXT` bytes,
so a decompression bomb is refused instead of filling memory.

>>> import struct, zlib
>>> def chunk(kind, data):
...     return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
>>> png = SIGNATURE + chunk(b"IHDR", bytes(13)) + chunk(b"tEXt", b"parameters\\0a cat") + chunk(b"IEND", b"")
>>> import io
>>> read_png(io.BytesIO(png), "x.png", len(png)).text
{'parameters': 'a cat'}
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field
from typing import IO

from lineage.inspection.errors import InspectionError

SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_CHUNK = 64 * 1024 * 1024  # metadata chunk read into memory
MAX_TEXT = 16 * 1024 * 1024  # one text value after decompression
MAX_METADATA = 64 * 1024 * 1024  # all metadata chunks together
MAX_CHUNKS = 100_000
_READ = {b"tEXt", b"zTXt", b"iTXt", b"caBX", b"IHDR"}


@dataclass
class PngMetadata:
    width: int | None = None
    height: int | None = None
    text: dict[str, str] = field(default_factory=dict)
    c2pa: bytes | None = None
    warnings: list[str] = field(default_factory=list)


def _inflate(data: bytes, name: str, key: str) -> bytes:
    d = zlib.decompressobj()
    try:
        out = d.decompress(data, MAX_TEXT)
    except zlib.error as err:
        raise InspectionError(f"{name}: the compressed text chunk {key!r} is corrupt ({err}).") from None
    if d.unconsumed_tail:
        raise InspectionError(f"{name}: the text chunk {key!r} inflates to more than {MAX_TEXT:,} bytes "
                              "(a decompression bomb?); refused.")
    return out


def _text(kind: bytes, data: bytes, name: str) -> tuple[str, str]:
    key_raw, sep, rest = data.partition(b"\0")
    if not sep or not 1 <= len(key_raw) <= 79:
        raise InspectionError(f"{name}: a {kind.decode()} chunk has no valid keyword; the file is corrupt.")
    key = key_raw.decode("latin-1")
    if kind == b"tEXt":
        return key, rest.decode("latin-1")
    if kind == b"zTXt":
        if not rest or rest[0] != 0:
            raise InspectionError(f"{name}: zTXt chunk {key!r} uses an unknown compression method.")
        return key, _inflate(rest[1:], name, key).decode("latin-1")
    # iTXt: flag, method, language\0, translated keyword\0, text (UTF-8)
    if len(rest) < 2:
        raise InspectionError(f"{name}: iTXt chunk {key!r} is too short; the file is corrupt.")
    compressed, method = rest[0], rest[1]
    parts = rest[2:].split(b"\0", 2)
    if len(parts) != 3:
        raise InspectionError(f"{name}: iTXt chunk {key!r} is malformed; the file is corrupt.")
    body = parts[2]
    if compressed:
        if method != 0:
            raise InspectionError(f"{name}: iTXt chunk {key!r} uses an unknown compression method.")
        body = _inflate(body, name, key)
    try:
        return key, body.decode("utf-8")
    except UnicodeDecodeError:
        raise InspectionError(f"{name}: iTXt chunk {key!r} is not valid UTF-8; the file is corrupt.") from None


def read_png(fh: IO[bytes], name: str, size: int) -> PngMetadata:
    """Walk the chunks of the PNG in ``fh`` (``size`` bytes long) and collect its metadata."""
    if fh.read(8) != SIGNATURE:
        raise InspectionError(f"{name}: not a PNG file (bad signature).")
    meta = PngMetadata()
    pos, total, count = 8, 0, 0
    while True:
        head = fh.read(8)
        if len(head) < 8:
            raise InspectionError(f"{name}: the file ends without an IEND chunk; it is truncated.")
        length, kind = struct.unpack(">I4s", head)
        count += 1
        if count > MAX_CHUNKS:
            raise InspectionError(f"{name}: more than {MAX_CHUNKS:,} chunks; refused.")
        if not kind.isalpha() or not kind.isascii():
            raise InspectionError(f"{name}: a chunk at byte {pos:,} has an invalid type {kind!r}; the file is corrupt.")
        if length > 2**31 - 1 or pos + 12 + length > size:
            raise InspectionError(f"{name}: the {kind.decode()} chunk at byte {pos:,} claims {length:,} bytes, more "
                                  "than the file holds; the file is truncated or corrupt.")
        if kind in _READ:
            if length > MAX_CHUNK:
                raise InspectionError(f"{name}: the {kind.decode()} chunk is {length:,} bytes, over the "
                                      f"{MAX_CHUNK:,}-byte limit; refused.")
            total += length
            if total > MAX_METADATA:
                raise InspectionError(f"{name}: more than {MAX_METADATA:,} bytes of metadata chunks; refused.")
            data = fh.read(length)
            crc = fh.read(4)
            if len(data) != length or len(crc) != 4:
                raise InspectionError(f"{name}: the file ended inside the {kind.decode()} chunk; it is truncated.")
            if zlib.crc32(kind + data) != struct.unpack(">I", crc)[0]:
                raise InspectionError(f"{name}: the {kind.decode()} chunk at byte {pos:,} fails its CRC check; "
                                      "the file is corrupt.")
            if kind == b"IHDR" and length >= 8:
                meta.width, meta.height = struct.unpack(">II", data[:8])
            elif kind == b"caBX":
                meta.c2pa = data
            else:
                key, value = _text(kind, data, name)
                if key in meta.text:
                    meta.warnings.append(f"the text chunk {key!r} appears more than once; the first is used")
                else:
                    meta.text[key] = value
        else:
            fh.seek(length + 4, 1)
        pos += 12 + length
        if kind == b"IEND":
            return meta
