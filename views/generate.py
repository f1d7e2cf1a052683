"""Generate with Anima: run the real model, then trace the image through the lineage graph."""

import time
from pathlib import Path

import streamlit as st

from app.paths import MODELS_ENV, OUTPUTS_ENV, confine, folders
from inference.panel import default_weights_dir, environment, trace_dot
from lineage.core.problems import LineageError
from views._shared import table, title

title("Generate with Anima")
#: Server folders this page may read weights from and write images to (set by the operator).
readable = folders(MODELS_ENV) + ([Path(default_weights_dir()).expanduser().resolve()] if default_weights_dir() else [])
writable = folders(OUTPUTS_ENV, [Path.home() / "lineage-outputs"])

with st.sidebar:
    weights_text = st.text_input("Weights (ComfyUI models folder or diffusers folder)", default_weights_dir(),
                                 help=f"Only inside the folders the operator allows ({MODELS_ENV}).")
    tokenizers_text = st.text_input("Tokenizers folder (qwen25/, t5/); leave it blank to use the weights folder", "")
weights_dir, tokenizers = "", ""
try:
    weights_dir = str(confine(weights_text, readable)) if weights_text.strip() else ""
    tokenizers = str(confine(tokenizers_text, readable)) if tokenizers_text.strip() else ""
except LineageError as err:
    st.error(str(err))
env = environment(weights_dir)

if env.gpu is None and env.installed:
    st.warning("No GPU found: generation runs on the CPU in float32 and takes minutes per image.")
if env.problem:
    st.info(f"Generation is unavailable: {env.problem}")

with st.form("generate"):
    prompt = st.text_area("Prompt", "masterpiece, best quality, score_7, safe, 1girl, smile")
    negative = st.text_input("Negative prompt", "worst quality, low quality, score_1, score_2, score_3")
    c1, c2, c3, c4 = st.columns(4)
    seed = c1.number_input("Seed", 0, 2**53 - 1, 0)
    steps = c2.number_input("Steps", 1, 200, 30)
    cfg = c3.number_input("CFG", 0.0, 30.0, 4.0, 0.5)
    batch = c4.number_input("Batch", 1, 8, 1)
    c1, c2, c3, c4 = st.columns(4)
    width = c1.number_input("Width", 256, 2048, 1024, 16)
    height = c2.number_input("Height", 256, 2048, 1024, 16)
    sigmas = c3.selectbox("Sigmas", ["comfy", "diffusers"], help="comfy reproduces ComfyUI's euler/simple")
    device = c4.selectbox("Device", ["cuda", "cpu"] if env.gpu else ["cpu"])
    c1, c2, c3 = st.columns(3)
    offload, sign, caption = c1.checkbox("CPU offload"), c2.checkbox("C2PA sign"), c3.checkbox("Caption variant")
    lora_text = st.text_area("LoRAs (FILE or FILE:STRENGTH, one per line)", "", height=68)
    out_dir = st.text_input("Output folder", str(writable[0]), key="out_dir",
                            help=f"Only inside the folders the operator allows ({OUTPUTS_ENV}).")
    submitted = st.form_submit_button("Generate", disabled=env.weights is None)

out_path = None
if submitted:
    try:
        out_path = confine(out_dir, writable, what="write to")
    except LineageError as err:
        st.error(str(err))
if submitted and env.weights is not None and out_path is not None:
    from inference.generate import GenerateRequest
    from inference.lora import parse_lora_arg
    from inference.pipeline import GenerationSettings
    from inference.service import get_service

    settings = GenerationSettings(prompt=prompt, negative=negative, seed=int(seed), steps=int(steps), cfg=float(cfg),
                                  width=int(width), height=int(height), batch=int(batch), sigmas=sigmas)
    out = out_path / f"anima-{int(time.time())}-{int(seed)}.png"
    request = GenerateRequest(settings=settings, weights=env.weights, out=out, device=device, cpu_offload=offload,
                              tokenizers_dir=Path(tokenizers) if tokenizers else None, c2pa=sign, caption=caption,
                              loras=[(Path(f), w) for f, w in map(parse_lora_arg, lora_text.split("\n")) if f.strip()])
    service = get_service(device)
    job = service.submit(request)
    bar, status = st.progress(0.0), st.empty()
    while not job.done.wait(0.25):
        position = service.position(job)
        if job.status == "queued":
            status.write(f"Waiting: {position} generation(s) ahead of yours on {device}.")
        else:
            status.write(f"{job.status.capitalize()}: step {job.step}/{job.steps or steps}")
            bar.progress(job.step / max(1, job.steps or steps))
    if job.status == "done":
        st.session_state["last_record"] = job.record
        status.empty()
    else:
        st.error(f"Generation {job.status}: {job.error}")

with st.expander("Sample set: prompts x seeds, traced, with a contact sheet"):
    st.caption("YAML as for `lineage samples` (docs/inference.md); the weights and device above are used.")
    spec = st.text_area("Prompts file", "settings: {steps: 30}\nseeds: [1, 2]\nprompts:\n  - 1girl, smile\n")
    if st.button("Generate the set", disabled=env.weights is None):
        import yaml

        from inference.errors import InferenceError
        from inference.generate import GenerateRequest
        from inference.samples import parse_prompts
        from inference.service import get_service

        try:
            jobs = parse_prompts(yaml.safe_load(spec), "prompts")
            folder = Path(out_dir) / f"samples-{int(time.time())}"
            request = GenerateRequest(settings=jobs[0].settings, weights=env.weights, out=folder, device=device,
                                      tokenizers_dir=Path(tokenizers) if tokenizers else None)
            total, bar = sum(j.settings.steps for j in jobs), st.progress(0.0)
            seen = [0]

            def tick(i: int, n: int) -> None:
                seen[0] += 1
                bar.progress(min(1.0, seen[0] / total))

            done = get_service(device).run_sample_set(request, jobs, folder, on_step=tick)
            st.success(f"{len(done.results) - len(done.failed)} of {len(done.results)} images in {folder}")
            st.image(str(done.sheet_png))
        except (InferenceError, yaml.YAMLError) as exc:
            st.error(str(exc))

record = st.session_state.get("last_record")
if record is not None:
    st.image([str(p) for p in record.outputs], caption=[str(p) for p in record.outputs])
    trace = record.trace
    st.subheader("Trace")
    st.graphviz_chart(trace_dot(trace))
    table([{k: f.get(k) for k in ("component", "file_name", "sha256", "node_id", "matched_by", "verified")}
           for f in trace["files"]], "trace-files", "g_trace_files")
    if trace.get("loras"):
        table([{k: lo.get(k) for k in ("file_name", "strength", "sha256", "declared_base", "license", "node_id")}
               for lo in trace["loras"]], "trace-loras", "g_trace_loras")
    for use, answer in trace.get("verdicts", {}).items():
        st.markdown(f"**{use}**: {answer.get('verdict')}")
    if trace.get("graph_error"):
        st.warning(f"The lineage graph could not be loaded: {trace['graph_error']}")

st.subheader("Gallery")
try:
    from inference.gallery import Gallery

    rows = Gallery().recent(12)
except Exception as exc:  # the gallery is optional; the page keeps working
    rows = []
    st.caption(f"The gallery of earlier images is not available here ({exc}).")
if not rows:
    st.caption("No generations yet.")
for row in rows:
    label = f"#{row['id']} {row['status']} seed {row['seed']} · {row['prompt'][:60]}"
    with st.expander(label):
        existing = [p for p in row["outputs"] if Path(p).exists()]
        if existing:
            st.image(existing, width=256)
        st.json({"settings": {k: row[k] for k in ("steps", "cfg", "width", "height", "sigmas")},
                 "model": row["model"], "timings": row["timings"], "error": row["error"]}, expanded=False)
