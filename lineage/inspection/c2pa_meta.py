"""Read a C2PA manifest (PNG ``caBX`` chunk) with the optional ``c2pa-python`` package, as a short summary.

Without the package, or for a manifest it cannot read, the summary says so; it never raises.

>>> summarise({"active_manifest": "m", "manifests": {"m": {"claim_generator_info": [{"name": "lineage"}],
...     "assertions": [{"label": "c2pa.actions.v2", "data": {"actions": [{"action": "c2pa.created"}]}}]}}})["actions"]
[{'action': 'c2pa.created', 'digitalSourceType': None, 'softwareAgent': None}]
"""

from __future__ import annotations

import io
import json
from typing import Any

MAX_BYTES = 256 * 1024 * 1024
LINEAGE_LABEL = "org.lineage.trace"


def signature_state(store: dict[str, Any]) -> str:
    """How far the signature can be trusted, in words: never a bare "Valid".

    c2pa's ``Valid`` only means the signature matches the content; the signer is unknown unless the
    state is ``Trusted`` (on a trust list). A certificate from a locally generated CA is reported by
    c2pa as ``signingCredential.untrusted``.

    >>> signature_state({"validation_state": "Valid", "validation_status": [{"code": "signingCredential.untrusted"}]})
    'signed, untrusted signer'
    >>> signature_state({"validation_state": "Trusted"}), signature_state({"validation_state": "Invalid"})
    ('signed, trusted signer', 'invalid signature')
    """
    state = store.get("validation_state")
    if state == "Trusted":
        return "signed, trusted signer"
    if state == "Invalid":
        return "invalid signature"
    return "signed, untrusted signer"


def summarise(store: dict[str, Any]) -> dict[str, Any]:
    """Generator, actions, validation and any lineage assertion of the active manifest."""
    manifests = store.get("manifests") or {}
    active = manifests.get(store.get("active_manifest")) or {}
    actions, lineage = [], None
    for assertion in active.get("assertions") or []:
        label, data = assertion.get("label", ""), assertion.get("data") or {}
        if label.startswith("c2pa.actions"):
            for act in data.get("actions") or []:
                agent = act.get("softwareAgent")
                actions.append({"action": act.get("action"), "digitalSourceType": act.get("digitalSourceType"),
                                "softwareAgent": agent.get("name") if isinstance(agent, dict) else agent})
        elif label == LINEAGE_LABEL:
            lineage = data
    return {
        "present": True,
        "read": True,
        "claim_generator": [g.get("name") for g in active.get("claim_generator_info") or [] if isinstance(g, dict)],
        "title": active.get("title"),
        "actions": actions,
        "validation_state": store.get("validation_state"),
        "signature": signature_state(store),
        "validation_status": [s.get("code") for s in store.get("validation_status") or [] if isinstance(s, dict)],
        "lineage": lineage,
    }


def read_c2pa(png: bytes) -> dict[str, Any]:
    """The manifest summary of a PNG's bytes; ``read: False`` with a ``note`` when it cannot be read."""
    if len(png) > MAX_BYTES:
        return {"present": True, "read": False, "note": f"file over {MAX_BYTES:,} bytes; manifest not read"}
    try:
        import c2pa
    except ImportError:
        return {"present": True, "read": False, "note": "install c2pa-python to read and validate it"}
    try:
        store = json.loads(c2pa.Reader("image/png", io.BytesIO(png)).json())
    except Exception as err:  # the native reader raises several error types; report, never crash
        return {"present": True, "read": False, "note": f"the manifest could not be read: {str(err)[:200]}"}
    return summarise(store) if isinstance(store, dict) else {"present": True, "read": False, "note": "not a store"}
