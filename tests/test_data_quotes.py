"""Every quote that the data attributes to a text in ../shared (the article, the reference notes) is in it."""

from __future__ import annotations

import pytest

from lineage.load import load_dataset
from lineage.validate import _walk_claims
from tests.shared_files import require_shared

from .conftest import ROOT

SHARED_TEXTS = {
    "article-easygoing": "shared/sources/000_95284bff3784a67a.txt",
    "ref-licensing": "shared/reference/licensing.md",
    "ref-anima-stack": "shared/reference/anima-stack.md",
}


def _norm(text: str) -> str:
    for a, b in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("…", "...")):
        text = text.replace(a, b)
    return " ".join(text.split())


def _quotes():
    ds = load_dataset()
    registry = {s.id: s.ref for s in ds.sources}
    assert all(registry[k] == v for k, v in SHARED_TEXTS.items()), "the registry entries moved"
    for section in ("organizations", "licenses", "nodes", "edges"):
        for record in getattr(ds, section):
            label = getattr(record, "id", None) or f"{record.source} {record.type.value} {record.target}"
            for _, claim in _walk_claims(record):
                if claim.source in SHARED_TEXTS and claim.quote:
                    yield pytest.param(claim.source, claim.quote, id=f"{label}:{claim.quote[:30]}")
    for lic in ds.licenses:
        clauses = [c for t in lic.terms.values() for c in t.clauses]
        clauses += [c for f in lic.facts.values() for c in f.clauses]
        clauses += lic.flow_down.clauses if lic.flow_down else []
        for clause in clauses:
            if clause.source in SHARED_TEXTS:
                yield pytest.param(clause.source, clause.quote, id=f"{lic.id}:{clause.quote[:30]}")


@pytest.mark.parametrize(("source", "quote"), list(_quotes()))
def test_quote_is_in_its_source(source: str, quote: str) -> None:
    require_shared(*SHARED_TEXTS[source].split("/")[1:])
    text = (ROOT.parent / SHARED_TEXTS[source]).read_text(encoding="utf-8")
    assert _norm(quote) in _norm(text)
