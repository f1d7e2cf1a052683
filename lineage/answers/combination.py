"""Answers for a combination of parts: a model with a LoRA, another VAE, a weights file...

Each part is a name in the graph or a path to a weights file or PNG, which :mod:`lineage.inspection`
identifies. The combination's verdict is the most restrictive over the parts, and every part keeps its own
answer. Fail closed: a file nothing is known about is ``unknown``, and a file identified only by its layout
or its name (not by a verified hash), or a LoRA (whose own author's terms are not in the data), cannot make a
use ``yes`` or ``conditional``: its part answers ``unknown`` and says what its base would answer.

>>> from lineage.core.graph import load_graph
>>> c = combination_answer(load_graph(), ["anima-preview-2", "flux1-ae"], "sell-outputs")
>>> c.verdict, [p.verdict for p in c.parts]
('yes', ['yes', 'yes'])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from lineage.answers.reasoner import RANK, USE_LABELS, USE_QUESTIONS, Answer, can_i, most_restrictive
from lineage.core.problems import LineageError
from lineage.core.resolve import resolve
from lineage.core.schema import USES

FILE_SUFFIXES = (".safetensors", ".sft", ".gguf", ".png", ".ckpt", ".pt", ".pth", ".bin")
PART_KINDS = {"model", "family", "text_encoder", "denoiser", "vae", "adapter", "tokenizer", "guardrail"}


@dataclass(frozen=True)
class PartAnswer:
    """One part of a combination: what was given, the node it was identified as, and its verdict."""

    given: str
    node: str | None
    name: str | None
    identified_by: str  # "name" | "sha256" | "file name" | "architecture" | "lora base" | "unidentified"
    verdict: str
    answer: dict[str, Any] | None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class CombinationAnswer:
    """The most restrictive verdict over ``parts``; ``deciding`` names the parts that give it."""

    use: str
    use_label: str
    question: str
    verdict: str
    parts: list[PartAnswer]
    deciding: list[str]
    notes: list[str]

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["parts"] = [p.to_dict() for p in self.parts]
        return out


def is_file_part(text: str) -> bool:
    """A part given as a file: an existing path, or a name ending in a weights or image suffix."""
    return text.lower().endswith(FILE_SUFFIXES) or Path(text).is_file()


def _capped(answer: Answer, given: str, node: str, how: str, why: str) -> PartAnswer:
    """An answer for a part identified without a verified hash: never better than ``unknown``."""
    if RANK[answer.verdict] >= RANK["unknown"]:
        return PartAnswer(given, node, answer.model_name, how, answer.verdict, answer.to_dict(), [why])
    return PartAnswer(given, node, answer.model_name, how, "unknown", answer.to_dict(),
                      [f"{why} {answer.model_name} itself would answer {answer.verdict}, but this file's own "
                       "terms are not known."])


def file_part(graph: nx.MultiDiGraph, path: str, use: str, compute_hash: bool = False) -> PartAnswer:
    """Identify a file with :mod:`lineage.inspection` and answer for the node it is (fail closed)."""
    from lineage.inspection.dispatch import inspect_path
    from lineage.inspection.errors import InspectionError

    if not Path(path).exists():
        raise LineageError(f"{path}: no such file; give a path to a weights file or PNG, or a model name.")
    try:
        report = inspect_path(path, graph, compute_hash=compute_hash)
    except InspectionError as err:
        return PartAnswer(path, None, None, "unidentified", "unknown", None, [f"{err} Its license is unknown."])
    subject = report.subject
    if not subject:
        return PartAnswer(path, None, None, "unidentified", "unknown", None,
                          [f"{Path(path).name} could not be placed in the graph, so its license is unknown."])
    answer = can_i(graph, subject, use)
    match = report.file_match or {}
    if report.kind == "lora":
        return _capped(answer, path, subject, "lora base",
                       f"{Path(path).name} is a LoRA for {answer.model_name}; the LoRA author's own terms are not "
                       "in the data.")
    if match.get("verified") and match.get("node_id") == subject:
        return PartAnswer(path, subject, answer.model_name, "sha256", answer.verdict, answer.to_dict(),
                          [f"{Path(path).name} is {answer.model_name} by its sha256."])
    how = "file name" if match else "architecture"
    return _capped(answer, path, subject, how, f"{Path(path).name} was identified by its {how} only.")


def combination_answer(graph: nx.MultiDiGraph, parts: Sequence[str], use: str,
                       compute_hash: bool = False) -> CombinationAnswer:
    """Answer ``use`` for the combination of ``parts`` (node ids, names, or paths to files).

    The verdict is the most restrictive of the parts' verdicts; each part keeps its own answer and reason.
    Raises :class:`lineage.core.problems.LineageError` for a name that is neither in the graph nor a file.
    """
    if use not in USES:
        from lineage.answers.reasoner import UnknownUse

        raise UnknownUse(use)
    if not parts:
        raise LineageError("a combination needs at least one part")
    answers: list[PartAnswer] = []
    for given in parts:
        if is_file_part(given):
            answers.append(file_part(graph, given, use, compute_hash))
            continue
        node = resolve(graph, given, PART_KINDS)
        answer = can_i(graph, node, use)
        answers.append(PartAnswer(given, node, answer.model_name, "name", answer.verdict, answer.to_dict()))
    verdict = most_restrictive([p.verdict for p in answers])
    deciding = [p.name or p.given for p in answers if p.verdict == verdict]
    names = " + ".join(p.name or Path(p.given).name for p in answers)
    notes = [f"{p.name or p.given}: {n}" for p in answers for n in p.notes]
    return CombinationAnswer(use, USE_LABELS[use], USE_QUESTIONS[use].format(name=names), verdict, answers,
                             deciding, notes)
