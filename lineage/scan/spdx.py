"""SPDX 2.3 JSON documents of a model, a scan or a workflow (the SPDX twin of :mod:`lineage.scan.bom`).

Built with ``spdx-tools``. Every model, part, ancestor and scanned file is a package with its sha256 (when
known) and its licenses: the SPDX id where the license record has one, else ``LicenseRef-<id>`` with its name
and URL as extracted licensing info, else ``NOASSERTION`` (fail closed: never a guess). Curated licenses are
``licenseConcluded``; a scanned file's own sidecar claims are only ``licenseDeclared``, and only when they name
a license the data maps to an SPDX id. Relationships: the document ``DESCRIBES`` its root; a model ``DEPENDS_ON``
each part it runs with; a derived model is ``DESCENDANT_OF`` its parent (SPDX 2.3: "A is a descendant of (same
lineage) B", closer than ``VARIANT_OF``, which has no direction of descent, or ``GENERATED_FROM``, which
means built from source). :func:`validate` runs the spdx-tools validator.

>>> from lineage.core.graph import load_graph
>>> text = model_spdx(load_graph(), "anima-preview")
>>> validate(text), '"spdxVersion": "SPDX-2.3"' in text
([], True)
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import uuid
from datetime import UTC, datetime
from typing import Any

import networkx as nx
from license_expression import get_spdx_licensing
from spdx_tools.spdx.model import (
    Actor,
    ActorType,
    Checksum,
    ChecksumAlgorithm,
    CreationInfo,
    Document,
    ExtractedLicensingInfo,
    Package,
    Relationship,
    RelationshipType,
    SpdxNoAssertion,
)
from spdx_tools.spdx.parser.jsonlikedict.json_like_dict_parser import JsonLikeDictParser
from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document
from spdx_tools.spdx.writer.json.json_writer import write_document_to_stream

from lineage.core.schema import USES, License
from lineage.scan.sbom_walk import derivation_edges, license_records, part_nodes, workflow_file

_LICENSING = get_spdx_licensing()
DOC = "SPDXRef-DOCUMENT"


def spdx_id(prefix: str, text: str) -> str:
    """An SPDX element id: ``SPDXRef-<prefix>-<text>`` with only the characters SPDX allows.

    >>> spdx_id("node", "flux.1-dev")
    'SPDXRef-node-flux.1-dev'
    >>> spdx_id("file", "models/a b.safetensors").startswith("SPDXRef-file-")
    True
    """
    clean = re.sub(r"[^A-Za-z0-9.-]", "-", text)
    if clean != text or len(clean) > 80:
        clean = hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:16]
    return f"SPDXRef-{prefix}-{clean}"


class _Builder:
    """Collects packages, relationships and the LicenseRefs they use, then makes one document."""

    def __init__(self, graph: nx.MultiDiGraph, name: str) -> None:
        self.graph = graph
        self.name = name
        self.packages: dict[str, Package] = {}
        self.relationships: list[Relationship] = []
        self.extracted: dict[str, ExtractedLicensingInfo] = {}

    def license_expression(self, licenses: list[License]) -> Any:
        """All of ``licenses`` (each applies: AND), or NOASSERTION when there is none."""
        if not licenses:
            return SpdxNoAssertion()
        terms = []
        for lic in licenses:
            if lic.spdx:
                terms.append(lic.spdx)
            else:
                ref = "LicenseRef-" + re.sub(r"[^A-Za-z0-9.-]", "-", lic.id)
                self.extracted.setdefault(ref, ExtractedLicensingInfo(
                    license_id=ref, license_name=lic.name,
                    extracted_text=f"{lic.name}: see {lic.url}" if lic.url else lic.name,
                    cross_references=[lic.url] if lic.url else []))
                terms.append(ref)
        text = " AND ".join(dict.fromkeys(terms))
        return _LICENSING.parse(f"({text})" if len(terms) > 1 else text)

    def relate(self, a: str, kind: RelationshipType, b: str, comment: str | None = None) -> None:
        rel = Relationship(a, kind, b, comment)
        if rel not in self.relationships:
            self.relationships.append(rel)

    def node(self, node: str, comment: str | None = None) -> str:
        """``node`` as a package (once), with its parts and derivation ancestors and their relationships."""
        sid = spdx_id("node", node)
        if sid in self.packages:
            return sid
        attrs = self.graph.nodes[node]
        record = attrs.get("record")
        sums = [Checksum(ChecksumAlgorithm.SHA256, f.sha256) for f in (record.files if record else []) if f.sha256]
        self.packages[sid] = Package(
            sid, attrs["name"], SpdxNoAssertion(), files_analyzed=False, checksums=sums[:1],
            license_concluded=self.license_expression(license_records(self.graph, node)),
            license_declared=SpdxNoAssertion(), copyright_text=SpdxNoAssertion(),
            comment=f"lineage node {node} ({attrs.get('kind')})" + (f"; {comment}" if comment else ""))
        for part in part_nodes(self.graph, node):
            self.relate(sid, RelationshipType.DEPENDS_ON, self.node(part))
        for child, edge, parent in derivation_edges(self.graph, node):
            self.relate(self.node(child), RelationshipType.DESCENDANT_OF, self.node(parent), edge)
        return sid

    def file(self, f: dict[str, Any], prefix: str = "file") -> str:
        """A scanned file (a :class:`lineage.scan.run.FileResult` dict) as a package."""
        p = f.get("placement") or {}
        sid = spdx_id(prefix, f["path"])
        concluded: Any = SpdxNoAssertion()
        declared: Any = SpdxNoAssertion()
        notes = [f"path {f['path']}", f"kind {f['kind']}", f"version assumed {p.get('version') or 'unknown'}"]
        if p.get("node") in self.graph:
            self.relate(sid, RelationshipType.DESCENDANT_OF, self.node(p["node"]), "the curated release it is")
            concluded = self.license_expression(license_records(self.graph, p["node"]))
        else:
            claims = [c for c in (f.get("declared") or {}).get("claims", [])
                      if c["field"] in ("license", "license_name")]
            known = self._known_licenses([str(c["value"]) for c in claims])
            if known:
                declared = self.license_expression(known)
            notes += [f"self-declared {c['field']}: {c['value']}" for c in claims]
            if p.get("base") in self.graph:
                self.relate(sid, RelationshipType.DESCENDANT_OF, self.node(p["base"]),
                            f"base model: {p.get('base_by')}")
        notes += [f"{c['field']}: {json.dumps(c['value'])}" for c in (f.get("declared") or {}).get("claims", [])
                  if c["field"].startswith("allow")]
        notes += [f"verdict {use}: {v['verdict']}" for use, v in (f.get("verdicts") or {}).items() if use in USES]
        self.packages[sid] = Package(
            sid, f["name"], SpdxNoAssertion(), file_name=f["path"], files_analyzed=False,
            checksums=[Checksum(ChecksumAlgorithm.SHA256, f["sha256"])] if f.get("sha256") else [],
            license_concluded=concluded, license_declared=declared, copyright_text=SpdxNoAssertion(),
            comment="; ".join(notes))
        return sid

    def _known_licenses(self, values: list[str]) -> list[License]:
        """The curated licenses whose SPDX id a sidecar names (case-insensitive); others are not trusted."""
        by_spdx = {}
        for _, attrs in self.graph.nodes(data=True):
            rec = attrs.get("record")
            if attrs.get("kind") == "license" and rec is not None and rec.spdx:
                by_spdx[rec.spdx.lower()] = rec
        return [by_spdx[v.lower()] for v in values if v.lower() in by_spdx]

    def document(self, root: str) -> str:
        self.relate(DOC, RelationshipType.DESCRIBES, root)
        info = CreationInfo("SPDX-2.3", DOC, self.name[:300], f"https://spdx.org/spdxdocs/lineage-{uuid.uuid4()}",
                            [Actor(ActorType.TOOL, "lineage")], datetime.now(UTC).replace(microsecond=0))
        doc = Document(info, packages=list(self.packages.values()), relationships=self.relationships,
                       extracted_licensing_info=list(self.extracted.values()))
        out = io.StringIO()
        write_document_to_stream(doc, out, validate=False)
        return out.getvalue()


def model_spdx(graph: nx.MultiDiGraph, node: str) -> str:
    """The SPDX document of a curated model: the model, its parts and every ancestor, each a package."""
    b = _Builder(graph, f"lineage model {graph.nodes[node]['name']}")
    return b.document(b.node(node))


def scan_spdx(graph: nx.MultiDiGraph, scan: dict[str, Any]) -> str:
    """The SPDX document of a scan (:meth:`ScanResult.to_dict`): one package per judged weights file."""
    b = _Builder(graph, "lineage scan of " + ", ".join(scan["roots"]))
    root = "SPDXRef-scan"
    b.packages[root] = Package(root, "scanned models", SpdxNoAssertion(), files_analyzed=False,
                               license_concluded=SpdxNoAssertion(), license_declared=SpdxNoAssertion(),
                               copyright_text=SpdxNoAssertion(), comment="; ".join(scan["roots"]))
    for f in scan["files"]:
        if f["status"] == "ok":
            b.relate(root, RelationshipType.CONTAINS, b.file(f))
    return b.document(root)


def workflow_spdx(graph: nx.MultiDiGraph, workflow: dict[str, Any]) -> str:
    """The SPDX document of a workflow: the workflow (with its combined verdicts), which depends on each part."""
    name = workflow["source"].rsplit("/", 1)[-1]
    b = _Builder(graph, f"lineage workflow {name}")
    root = spdx_id("workflow", workflow["source"])
    verdicts = "; ".join(f"verdict {u}: {v['verdict']}" for u, v in workflow["verdicts"].items() if u in USES)
    b.packages[root] = Package(root, name, SpdxNoAssertion(), files_analyzed=False,
                               license_concluded=SpdxNoAssertion(), license_declared=SpdxNoAssertion(),
                               copyright_text=SpdxNoAssertion(),
                               comment=f"ComfyUI workflow ({workflow['format']}); {verdicts}")
    for i, part in enumerate(workflow["parts"]):
        sid = b.file(workflow_file(part), f"part{i}")
        strength = f", strength {part['strength']}" if part.get("strength") is not None else ""
        b.relate(root, RelationshipType.DEPENDS_ON, sid,
                 f"role {part['role']}, {'active' if part['active'] else 'inactive'}{strength}")
    return b.document(root)


def validate(text: str) -> list[str]:
    """The spdx-tools validator's messages for an SPDX 2.3 JSON document (``[]`` when it is valid).

    >>> validate("{}")[0].startswith("could not parse the document")
    True
    """
    try:
        doc = JsonLikeDictParser().parse(json.loads(text))
    except Exception as err:  # any parse failure is a validation message
        return [f"could not parse the document: {str(err)[:300]}"]
    return [m.validation_message for m in validate_full_spdx_document(doc, "SPDX-2.3")]
