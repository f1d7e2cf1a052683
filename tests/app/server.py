"""Start a real `streamlit run` server on 127.0.0.1 and Debian's chromium (for the browser tests and the benchmark).

`playwright install` cannot download here; the set-up installs Debian's browser with `apt-get install -y chromium`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
LOCAL_SCHEMES = {"data", "blob", "about"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def command(port: int, script: str = "streamlit_app.py") -> list[str]:
    """The README's command (``streamlit run streamlit_app.py``, from the project folder), plus only a free port
    and headless mode (no browser tab, no e-mail prompt). Every other setting comes from .streamlit/config.toml,
    exactly as a user gets it.

    >>> command(8600)[1:]
    ['-m', 'streamlit', 'run', 'streamlit_app.py', '--server.port', '8600', '--server.headless', 'true']
    """
    return [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port), "--server.headless", "true"]


@contextmanager
def serve(data: Path | None = None, timeout: float = 30.0, script: Path = ROOT / "streamlit_app.py",
          env: dict[str, str] | None = None) -> Iterator[str]:
    """Run the app (on ``data`` when given, else the shipped data) from its folder and yield its base URL.

    ``env`` adds environment variables (e.g. ``LINEAGE_MODELS_DIR``).
    """
    port = free_port()
    environ = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    if data is not None:
        environ["LINEAGE_DATA"] = str(data)
    else:
        environ.pop("LINEAGE_DATA", None)
    inside = script.is_relative_to(ROOT)
    # the server's output goes to a file: a pipe nobody reads fills up after many page views and blocks the server
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(command(port, str(script.relative_to(ROOT)) if inside else str(script)),
                                cwd=ROOT if inside else script.parent, env=environ, stdout=log,
                                stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                        if r.read() == b"ok":
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    out = log.read().decode(errors="replace")
                    raise RuntimeError(f"streamlit did not start on {url}:\n{out[-3000:]}")
                time.sleep(0.1)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def require_chromium() -> None:
    """Fail (never skip) when Debian's chromium is missing: CI installs it."""
    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} is missing; run `apt-get install -y chromium` (playwright install "
                           "cannot download here)")


def is_local(url: str) -> bool:
    """True for URLs that stay on this machine.

    >>> is_local("http://127.0.0.1:8501/static/x.js"), is_local("data:image/png;base64,"), is_local("https://cdn.x/y")
    (True, True, False)
    """
    parsed = urlparse(url)
    return parsed.scheme in LOCAL_SCHEMES or (parsed.hostname or "") in LOCAL_HOSTS


def wait_for_app(page, timeout: float = 20_000) -> None:
    """Wait until the script has finished and no skeleton is left."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)
    page.wait_for_selector('[data-testid="stSkeleton"]', state="detached", timeout=timeout)
