"""Process-wide generation service: one generation at a time per device, a visible queue.

Loaded runners are cached by (weights, device, dtype, offload) so the panel and repeated CLI calls
in one process load the model once. ``submit`` returns a ``Job`` whose ``position`` (0 = running)
and ``step``/``steps`` the UI polls; ``cancel`` stops a job at its next step.

Examples
--------
>>> svc = get_service("cpu")
>>> svc is get_service("cpu"), svc.queue_length()
(True, 0)
"""

from __future__ import annotations

import contextlib
import itertools
import threading
import time
from dataclasses import dataclass, field

from inference.errors import GenerationCancelled
from inference.generate import GenerateRequest, GenerationRecord, run_generation

_ids = itertools.count(1)


@dataclass
class Job:
    """A queued or running generation, as the UI sees it."""

    request: GenerateRequest
    id: int = field(default_factory=lambda: next(_ids))
    status: str = "queued"  # queued | loading | running | done | failed | cancelled
    step: int = 0
    steps: int = 0
    record: GenerationRecord | None = None
    error: str | None = None
    cancel_requested: bool = False
    submitted_at: float = field(default_factory=time.time)
    done: threading.Event = field(default_factory=threading.Event)


class GenerationService:
    """Serialises generations on one device and caches the loaded pipelines."""

    def __init__(self, device: str):
        self.device = device
        self._lock = threading.Lock()  # held while a generation runs on this device
        self._state = threading.Lock()  # guards _queue and _runners
        self._queue: list[Job] = []
        self._runners: dict[tuple, object] = {}

    def queue_length(self) -> int:
        """Jobs waiting or running."""
        with self._state:
            return len(self._queue)

    def position(self, job: Job) -> int:
        """0 when running, n when n jobs are ahead, -1 when finished."""
        with self._state:
            return self._queue.index(job) if job in self._queue else -1

    def runner(self, request: GenerateRequest):
        """The loaded ``AnimaRunner`` for a request (loaded on first use)."""
        from inference.pipeline import AnimaRunner

        key = (request.weights, request.device or self.device, request.dtype, request.cpu_offload,
               str(request.tokenizers_dir), request.compile, request.attention)
        with self._state:
            cached = self._runners.get(key)
        if cached is None:
            if self._runners:  # one model set per device: free the old one first
                with self._state:
                    self._runners.clear()
                _empty_cache(self.device)
            cached = AnimaRunner.load(request.weights, device=request.device or self.device, dtype=request.dtype,
                                      tokenizers_dir=request.tokenizers_dir, cpu_offload=request.cpu_offload,
                                      compile=request.compile, attention=request.attention)
            with self._state:
                self._runners[key] = cached
        return cached

    def run(self, job: Job, on_step=None) -> GenerationRecord:
        """Run ``job`` in this thread once it is its turn; returns its record or raises."""
        with self._state:
            if job not in self._queue:
                self._queue.append(job)
        try:
            with self._lock:
                if job.cancel_requested:
                    raise GenerationCancelled("cancelled before it started")
                job.status = "loading"
                runner = self.runner(job.request)
                job.status, job.steps = "running", job.request.settings.steps

                def step(i: int, n: int) -> None:
                    job.step, job.steps = i + 1, n
                    if job.cancel_requested:
                        raise GenerationCancelled("cancelled by the user")
                    if on_step is not None:
                        on_step(i, n)

                job.record = run_generation(runner, job.request, step_callback=step)
                job.status = "done"
                return job.record
        except GenerationCancelled as exc:
            job.status, job.error = "cancelled", str(exc)
            raise
        except Exception as exc:
            job.status, job.error = "failed", str(exc)
            raise
        finally:
            with self._state:
                if job in self._queue:
                    self._queue.remove(job)
            job.done.set()

    def run_sample_set(self, request: GenerateRequest, jobs: list, out_dir, on_step=None):
        """Generate a sample set (``inference.samples.generate_set``) with this device to itself."""
        from inference.generate import SOFTWARE
        from inference.samples import generate_set

        with self._lock:
            runner = self.runner(request)
            return generate_set(runner, request.weights, jobs, out_dir, loras=request.loras, software=SOFTWARE,
                                on_step=on_step)

    def submit(self, request: GenerateRequest) -> Job:
        """Queue a generation in a background thread; poll the returned job."""
        return self.submit_job(Job(request))

    def submit_job(self, job: Job) -> Job:
        """Queue an existing ``Job`` in a background thread."""
        with self._state:
            self._queue.append(job)

        def work() -> None:
            with contextlib.suppress(Exception):  # recorded on the job and in the gallery
                self.run(job)

        threading.Thread(target=work, name=f"anima-job-{job.id}", daemon=True).start()
        return job

    def cancel(self, job: Job) -> None:
        """Ask a queued or running job to stop."""
        job.cancel_requested = True


def _empty_cache(device: str) -> None:
    import torch

    if device.startswith("cuda") and torch.cuda.is_available():
        torch.cuda.empty_cache()


_services: dict[str, GenerationService] = {}
_services_lock = threading.Lock()


def get_service(device: str) -> GenerationService:
    """The process-wide service for ``device`` (``cpu``, ``cuda``, ``cuda:1`` ...)."""
    with _services_lock:
        if device not in _services:
            _services[device] = GenerationService(device)
        return _services[device]
