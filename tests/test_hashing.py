"""lineage.hashing: streamed SHA-256 with a (path, size, mtime) cache."""

import hashlib
import os
import sqlite3

import pytest

from lineage.hashing import cached_sha256, default_cache_path, sha256_file


def test_sha256_matches_hashlib_across_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr("lineage.hashing.CHUNK", 7)
    data = os.urandom(1000)
    f = tmp_path / "w.safetensors"
    f.write_bytes(data)
    assert sha256_file(f) == hashlib.sha256(data).hexdigest()


def test_cache_hit_does_not_reread(tmp_path, monkeypatch):
    f = tmp_path / "w.bin"
    f.write_bytes(b"hello")
    cache = tmp_path / "c.sqlite"
    first = cached_sha256(f, cache)
    monkeypatch.setattr("lineage.hashing.sha256_file", lambda p: pytest.fail("re-hashed"))
    assert cached_sha256(f, cache) == first
    rows = sqlite3.connect(cache).execute("SELECT path, size FROM hashes").fetchall()
    assert rows == [(str(f.resolve()), 5)]


def test_changed_file_is_rehashed(tmp_path):
    f = tmp_path / "w.bin"
    cache = tmp_path / "c.sqlite"
    f.write_bytes(b"one")
    a = cached_sha256(f, cache)
    f.write_bytes(b"two!")
    os.utime(f, ns=(1, 1))
    b = cached_sha256(f, cache)
    assert a != b == hashlib.sha256(b"two!").hexdigest()
    assert sqlite3.connect(cache).execute("SELECT COUNT(*) FROM hashes").fetchone() == (1,)


def test_env_overrides_cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("LINEAGE_CACHE_DIR", str(tmp_path / "cd"))
    assert default_cache_path() == tmp_path / "cd" / "hashes.sqlite"
    f = tmp_path / "w.bin"
    f.write_bytes(b"x")
    cached_sha256(f)
    assert (tmp_path / "cd" / "hashes.sqlite").exists()


def test_missing_file_raises(tmp_path):
    with pytest.raises(FileNotFoundError):
        cached_sha256(tmp_path / "nope", tmp_path / "c.sqlite")
