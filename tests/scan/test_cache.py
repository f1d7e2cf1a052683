"""The scan cache: a second scan of an unchanged folder opens no weights file; changes are noticed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lineage.scan import ScanStore, default_store_path, scan_paths
from tests.scan.conftest import lora, write

STRICT = {"name": "v1", "baseModel": "SDXL 1.0", "model": {"name": "Ink", "allowCommercialUse": ["None"]}}


def _folder(tmp_path: Path, n: int = 12) -> Path:
    root = tmp_path / "models"
    for i in range(n):
        write(root / "loras" / f"l{i}.safetensors", lora(), STRICT if i % 2 else None)
    write(root / "checkpoints" / "old.ckpt", b"\x80\x04")
    return root


def _scan(graph, root: Path, store: ScanStore, **kw):
    return scan_paths([root], graph, store, **kw)


def test_second_scan_reads_nothing_and_answers_the_same(sg, tmp_path: Path) -> None:
    root = _folder(tmp_path)
    nodes_before = sg.number_of_nodes()
    with ScanStore(tmp_path / "c.sqlite") as store:
        first = _scan(sg, root, store)
        assert first.stats["opened"] == 12 and first.stats["from_cache"] == 0
        # Replace every file's bytes with garbage of the same size and put the mtime back: a scan that read
        # any file would now fail to parse it.
        for f in (root / "loras").glob("*.safetensors"):
            st = f.stat()
            f.write_bytes(b"\xff" * st.st_size)
            os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
        second = _scan(sg, root, store)
    assert second.stats["opened"] == 0 and second.stats["from_cache"] == 12
    assert [f.to_dict() | {"cached": None} for f in first.files] == [f.to_dict() | {"cached": None}
                                                                     for f in second.files]
    assert all(f.status in ("ok", "refused") for f in second.files)
    assert sg.number_of_nodes() == nodes_before  # scanned nodes live in SQLite, never in the graph


def test_changed_file_changed_sidecar_and_rehash(sg, tmp_path: Path) -> None:
    root = _folder(tmp_path)
    with ScanStore(tmp_path / "c.sqlite") as store:
        _scan(sg, root, store)
        target = root / "loras" / "l0.safetensors"
        os.utime(target, ns=(target.stat().st_atime_ns, target.stat().st_mtime_ns + 10**9))
        (root / "loras" / "l3.civitai.info").write_text('{"name": "v2", "baseModel": "Flux.1 D"}')
        again = _scan(sg, root, store)
        assert again.stats["opened"] == 2
        l3 = next(f for f in again.files if f.name == "l3.safetensors")
        assert l3.placement["base"] == "flux1-dev" and not l3.cached
        assert _scan(sg, root, store, rehash=True).stats["opened"] == 12
        assert store.count() == 12


def test_default_location_is_the_user_cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert default_store_path() == tmp_path / "cache" / "scan.sqlite"  # $LINEAGE_CACHE_DIR (set by conftest)
    monkeypatch.delenv("LINEAGE_CACHE_DIR")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_store_path() == tmp_path / "home" / ".cache" / "lineage" / "scan.sqlite"
