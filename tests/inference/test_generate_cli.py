"""CLI end to end: PNG metadata, C2PA, caption, gallery rows, clean failures, queue."""

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from inference.c2pa_sign import read_manifest
from inference.cli import gallery, generate
from inference.gallery import Gallery
from inference.generate import GenerateRequest
from inference.locate import find_weights
from inference.pipeline import GenerationSettings
from inference.png_meta import read_metadata
from inference.service import GenerationService, Job
from lineage.inspection import inspect_path
from lineage.inspection.c2pa_meta import read_c2pa
from lineage.inspection.format import format_report


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("LINEAGE_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


def _args(comfy_models, tokenizers_dir, out, db, *extra):
    return ["--comfy-models", str(comfy_models), "--prompt", "1girl, smile", "--negative", "lowres",
            "--seed", "11", "--steps", "2", "--width", "32", "--height", "48", "--device", "cpu",
            "--tokenizers", str(tokenizers_dir), "--out", str(out), "--gallery", str(db), *extra]


def test_generate_writes_png_with_metadata_and_gallery_row(env, comfy_models, tokenizers_dir):
    out, db = env / "out" / "img.png", env / "g.sqlite"
    result = CliRunner().invoke(generate, _args(comfy_models, tokenizers_dir, out, db, "--caption"))
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.output and "model: anima" in result.output
    meta = read_metadata(out)
    assert meta["parameters"].startswith("1girl, smile\nNegative prompt: lowres\nSteps: 2, Sampler: Euler")
    assert "Seed: 11, Size: 32x48" in meta["parameters"]
    lineage = meta["lineage"]
    assert lineage["settings"]["seed"] == 11 and lineage["software"].startswith("lineage-inference")
    files = {f["component"]: f for f in lineage["trace"]["files"]}
    assert set(files) == {"dit", "text_encoder", "vae"}
    assert all(len(f["sha256"]) == 64 for f in files.values())
    assert files["dit"]["node_id"] == "anima" and files["dit"]["verified"] is False
    assert Image.open(out).size == (32, 48)
    assert Image.open(out.with_name("img.caption.png")).size[1] > 48
    row = Gallery(db).recent()[0]
    assert row["status"] == "done" and row["outputs"] == [str(out)] and row["trace"] == lineage["trace"]
    listing = CliRunner().invoke(gallery, ["--gallery", str(db)])
    assert listing.exit_code == 0 and "done" in listing.output and "1girl, smile" in listing.output
    shown = CliRunner().invoke(gallery, ["--gallery", str(db), "--show", str(row["id"])])
    assert json.loads(shown.output)["seed"] == 11


def test_trace_resolves_to_graph_nodes(env, comfy_models, tokenizers_dir):
    from lineage.core.graph import load_graph

    graph = load_graph()
    out = env / "t.png"
    result = CliRunner().invoke(generate, _args(comfy_models, tokenizers_dir, out, env / "g.sqlite", "--json"))
    trace = json.loads(result.stdout)["trace"]
    assert "graph_error" not in trace
    assert all(f["node_id"] in graph for f in trace["files"])
    assert set(trace["verdicts"]) == {"sell-outputs", "train-on-outputs"}
    assert all(v["verdict"] for v in trace["verdicts"].values())


def test_c2pa_signed_png_keeps_text_chunks(env, comfy_models, tokenizers_dir):
    out = env / "signed.png"
    result = CliRunner().invoke(generate, _args(comfy_models, tokenizers_dir, out, env / "g.sqlite", "--c2pa"))
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    store = read_manifest(data)
    assert store["validation_state"] == "Valid"  # c2pa's word: the signature matches; the signer is unknown
    assert "signingCredential.untrusted" in [s["code"] for s in store["validation_status"]]
    summary = read_c2pa(data)
    assert summary["signature"] == "signed, untrusted signer"
    from lineage.core.graph import load_graph

    text = format_report(inspect_path(out, load_graph()).to_dict())  # what `lineage inspect` prints
    assert "C2PA manifest: signed, untrusted signer" in text and "Valid" not in text
    manifest = store["manifests"][store["active_manifest"]]
    labels = [a["label"] for a in manifest["assertions"]]
    assert "org.lineage.trace" in labels
    actions = json.dumps(manifest["assertions"])
    assert "trainedAlgorithmicMedia" in actions
    assert set(Image.open(io.BytesIO(data)).text) == {"parameters", "lineage"}


def test_bad_settings_are_one_line_errors(env, comfy_models, tokenizers_dir):
    result = CliRunner().invoke(generate, _args(comfy_models, tokenizers_dir, env / "x.png", env / "g.sqlite",
                                                "--width", "50"))
    assert result.exit_code == 1 and "multiples of 16" in result.output and "Traceback" not in result.output


def test_failure_leaves_no_file_and_a_failed_row(env, comfy_models, tokenizers_dir):
    out, db = env / "never.png", env / "g.sqlite"
    # a certificate that looks like PEM but is not one fails at signing, after generation, before anything is written
    for name in ("bad.pem", "bad.key"):
        (env / name).write_text("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")
    result = CliRunner().invoke(generate, _args(comfy_models, tokenizers_dir, out, db, "--c2pa", "--c2pa-cert",
                                                str(env / "bad.pem"), "--c2pa-key", str(env / "bad.key")))
    assert result.exit_code == 1 and "C2PA" in result.output and "Traceback" not in result.output
    assert not out.exists() and not list(env.glob("*.tmp"))
    row = Gallery(db).recent()[0]
    assert row["status"] == "failed" and row["outputs"] == [] and "C2PA" in row["error"]


def test_missing_certificate_is_refused_before_loading(env, comfy_models, tokenizers_dir):
    result = CliRunner().invoke(generate, _args(comfy_models, tokenizers_dir, env / "never.png", env / "g.sqlite",
                                                "--c2pa", "--c2pa-cert", str(env / "none.pem"),
                                                "--c2pa-key", str(env / "k")))
    assert result.exit_code == 2 and "none.pem" in result.output
    assert not (env / "g.sqlite").exists() or Gallery(env / "g.sqlite").recent() == []


def test_queue_positions_and_cancel(env, comfy_models, tokenizers_dir):
    service = GenerationService("cpu")
    weights = find_weights(comfy_models=comfy_models)
    seen = []

    def request(name, steps):
        return GenerateRequest(settings=GenerationSettings(prompt="x", steps=steps, width=32, height=32),
                               weights=weights, out=env / name, device="cpu", tokenizers_dir=tokenizers_dir,
                               gallery=env / "g.sqlite")

    second = Job(request("b.png", 2))

    def on_step(i, n):
        if i == 0:
            service.submit_job(second)
            seen.append((service.position(first), service.position(second)))
            service.cancel(second)

    first = Job(request("a.png", 3))
    service.run(first, on_step=on_step)
    second.done.wait(30)
    assert seen == [(0, 1)]
    assert first.status == "done" and second.status == "cancelled"
    assert (env / "a.png").exists() and not (env / "b.png").exists()
    assert [r["status"] for r in Gallery(env / "g.sqlite").recent()] == ["done"]  # never started: no row


def _strings(value):
    if isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, str):
        yield value


def test_metadata_holds_no_local_paths(env, comfy_models, tokenizers_dir):
    out = env / "private.png"
    result = CliRunner().invoke(generate, _args(comfy_models, tokenizers_dir, out, env / "g.sqlite", "--c2pa"))
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    chunk = read_metadata(out)["lineage"]
    manifest = read_manifest(data)
    active = manifest["manifests"][manifest["active_manifest"]]
    for where in (chunk, active):
        text = json.dumps(where)
        assert str(comfy_models) not in text and str(env) not in text and str(Path.home()) not in text
        assert not [s for s in _strings(where) if s.startswith("/") or "/tmp/" in s or "\\" in s]
    files = chunk["trace"]["files"]
    assert {f["file_name"] for f in files} == {"anima-tiny-test.safetensors", "qwen_3_06b_base.safetensors",
                                               "qwen_image_vae.safetensors"}
    assert all(set(f) >= {"size", "sha256"} and "path" not in f for f in files)


def test_bad_arguments_fail_before_torch_is_imported(tmp_path, comfy_models):
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from inference.cli import generate\n"
        "r = CliRunner().invoke(generate, sys.argv[1:])\n"
        "print(r.exit_code, 'torch' in sys.modules, r.output.strip())\n"
    )
    for extra in (["--width", "50"], ["--lora", str(tmp_path / "missing.safetensors:0.5")]):
        out = subprocess.run([sys.executable, "-c", script, "--comfy-models", str(comfy_models), "--prompt", "x",
                              "--out", str(tmp_path / "o.png"), *extra], capture_output=True, text=True, check=True)
        code, torch_loaded, message = out.stdout.split(" ", 2)
        assert (code, torch_loaded) == ("1", "False"), out.stdout
        assert "multiples of 16" in message or "LoRA file not found" in message
