"""CycloneDX 1.6 ML-BOMs (machine-learning bills of materials) of a model, a scan or a workflow.

Built with ``cyclonedx-python-lib``. Each model file is a ``machine-learning-model`` component with its
sha256 (when known), its licenses (``concluded`` from the curated data for a release; ``declared`` for what a
scanned file's sidecars say, since nothing checked them), its ancestry as ``pedigree.ancestors`` (each with
its own licenses), and the verdict per use as ``lineage:verdict:<use>`` properties with the part that decided
and the version assumed. :func:`validate` checks a BOM against the CycloneDX 1.6 JSON schema.

>>> from lineage.core.graph import load_graph
>>> text = model_bom(load_graph(), "anima-preview")
>>> validate(text) is None and '"specVersion": "1.6"' in text
True
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import networkx as nx
from cyclonedx.model import HashAlgorithm, HashType, Property
from cyclonedx.model.bom import Bom
from cyclonedx.model.component import Component, ComponentType, Pedigree
from cyclonedx.model.license import DisjunctiveLicense, LicenseAcknowledgement
from cyclonedx.output.json import JsonV1Dot6
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from lineage.answers.reasoner import verdict_table
from lineage.core.schema import USES
from lineage.scan.sbom_walk import derivation_ancestors, license_records, part_nodes, workflow_file


def _licenses(graph: nx.MultiDiGraph, node: str) -> list[DisjunctiveLicense]:
    out = []
    for lic in license_records(graph, node):
        ack = LicenseAcknowledgement.CONCLUDED
        if lic.spdx:
            out.append(DisjunctiveLicense(id=lic.spdx, acknowledgement=ack))
        else:
            out.append(DisjunctiveLicense(name=f"{lic.name} ({lic.id})", url=lic.url or None,
                                           acknowledgement=ack))
    return out


def _ref(prefix: str, text: str) -> str:
    return f"{prefix}-{hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:16]}"


def node_component(graph: nx.MultiDiGraph, node: str, ref_prefix: str = "node", with_pedigree: bool = True,
                   properties: list[Property] | None = None) -> Component:
    """A curated node as a component: its licenses, files' hashes, and its derivation ancestors."""
    attrs = graph.nodes[node]
    record = attrs.get("record")
    hashes = [HashType(alg=HashAlgorithm.SHA_256, content=f.sha256) for f in (record.files if record else [])
              if f.sha256][:1]
    pedigree = None
    if with_pedigree:
        seen = derivation_ancestors(graph, node)
        if seen:
            pedigree = Pedigree(ancestors=[node_component(graph, a, f"{ref_prefix}-anc", False) for a in seen])
    return Component(name=attrs["name"], type=ComponentType.MACHINE_LEARNING_MODEL,
                     bom_ref=_ref(ref_prefix, node), licenses=_licenses(graph, node), hashes=hashes,
                     pedigree=pedigree, properties=[Property(name="lineage:node", value=node), *(properties or [])])


def _verdict_props(verdicts: dict[str, dict[str, Any]]) -> list[Property]:
    props = []
    for use in USES:
        if use in verdicts:
            v = verdicts[use]
            props.append(Property(name=f"lineage:verdict:{use}", value=v["verdict"]))
            if v.get("decided_by"):
                props.append(Property(name=f"lineage:decided-by:{use}", value="; ".join(map(str, v["decided_by"]))))
    return props


def _bom(components: list[Component], root: Component) -> Bom:
    bom = Bom(components=components)
    bom.metadata.component = root
    bom.register_dependency(root, components)
    return bom


def _text(bom: Bom) -> str:
    return JsonV1Dot6(bom).output_as_string(indent=2)


def model_bom(graph: nx.MultiDiGraph, node: str) -> str:
    """The BOM of a curated model: the model (with verdicts), its parts, and every ancestor in its pedigree."""
    table = verdict_table(graph, node)
    verdicts = {u: {"verdict": a.verdict, "decided_by": a.deciding} for u, a in table.items()}
    root = node_component(graph, node, "model", True, _verdict_props(verdicts))
    parts = [node_component(graph, part, "part", True) for part in part_nodes(graph, node)]
    return _text(_bom(parts, root))


def file_component(graph: nx.MultiDiGraph, f: dict[str, Any]) -> Component:
    """A scanned file (a :class:`lineage.scan.run.FileResult` dict) as a component."""
    p = f.get("placement") or {}
    licenses: list[DisjunctiveLicense] = []
    pedigree = None
    if p.get("node") in graph:
        licenses = _licenses(graph, p["node"])
    else:
        for claim in (f.get("declared") or {}).get("claims", []):
            if claim["field"] in ("license", "license_name") and str(claim["value"]).lower() != "other":
                licenses.append(DisjunctiveLicense(name=f"{claim['value']} (self-declared)"[:200],
                                                   acknowledgement=LicenseAcknowledgement.DECLARED))
        if p.get("base") in graph:
            pedigree = Pedigree(ancestors=[node_component(graph, p["base"], _ref("base", f["path"]), True)],
                                notes=f"Base model: {p.get('base_by')}.")
    hashes = [HashType(alg=HashAlgorithm.SHA_256, content=f["sha256"])] if f.get("sha256") else []
    props = [Property(name="lineage:path", value=f["path"]), Property(name="lineage:kind", value=f["kind"]),
             Property(name="lineage:version-assumed", value=str(p.get("version") or "unknown")),
             Property(name="lineage:scanned-node", value=str(p.get("node") is None).lower())]
    flags = [c for c in (f.get("declared") or {}).get("claims", []) if c["field"].startswith("allow")]
    props += [Property(name=f"civitai:{c['field']}", value=json.dumps(c["value"])) for c in flags]
    return Component(name=f["name"], type=ComponentType.MACHINE_LEARNING_MODEL, bom_ref=_ref("file", f["path"]),
                     hashes=hashes, licenses=licenses, pedigree=pedigree,
                     properties=props + _verdict_props(f.get("verdicts") or {}))


def scan_bom(graph: nx.MultiDiGraph, scan: dict[str, Any]) -> str:
    """The BOM of a scan (:meth:`ScanResult.to_dict`): one component per judged weights file."""
    root = Component(name="scanned models: " + ", ".join(scan["roots"])[:300], type=ComponentType.APPLICATION,
                     bom_ref="lineage-scan")
    return _text(_bom([file_component(graph, f) for f in scan["files"] if f["status"] == "ok"], root))


def workflow_bom(graph: nx.MultiDiGraph, workflow: dict[str, Any]) -> str:
    """The BOM of a workflow: the workflow (with its combined verdicts) and one component per part."""
    root = Component(name=workflow["source"].rsplit("/", 1)[-1], type=ComponentType.APPLICATION,
                     bom_ref=_ref("workflow", workflow["source"]),
                     properties=[Property(name="lineage:workflow-format", value=workflow["format"]),
                                 *_verdict_props(workflow["verdicts"])])
    components = []
    for i, part in enumerate(workflow["parts"]):
        f = workflow_file(part)
        c = file_component(graph, f)
        c.bom_ref.value = _ref(f"part{i}", part["file"])
        c.properties.add(Property(name="lineage:role", value=part["role"]))
        c.properties.add(Property(name="lineage:active", value=str(part["active"]).lower()))
        if part.get("strength") is not None:
            c.properties.add(Property(name="lineage:strength", value=str(part["strength"])))
        components.append(c)
    return _text(_bom(components, root))


def validate(text: str) -> str | None:
    """``None`` when ``text`` is a valid CycloneDX 1.6 JSON BOM, else the validator's error message."""
    error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
    return None if error is None else str(error)
