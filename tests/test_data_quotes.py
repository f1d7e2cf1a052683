"""Every quote that the data attributes to a locally available source (the article) is in the local copy.

The data cites the article by its public URL; only this test maps that URL to the copy in ../shared.
"""

from __future__ import annotations

import pytest

from lineage.core.load import load_dataset
from lineage.core.validate import _walk_claims
from tests.shared_files import require_shared

from .conftest import ROOT

ARTICLE_URL = "https://www.ai-image-journey.com/2026/05/anima-alibaba-nvidia.html"
LOCAL_COPIES = {ARTICLE_URL: "shared/sources/000_95284bff3784a67a.txt"}


def _norm(text: str) -> str:
    for a, b in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("…", "...")):
        text = text.replace(a, b)
    return " ".join(text.split())


def _quotes():
    ds = load_dataset()
    registry = {s.id: s.ref for s in ds.sources}
    assert ARTICLE_URL in registry.values(), "the article's registry entry moved"

    def local(source: str | None) -> str | None:
        return LOCAL_COPIES.get(registry.get(source, source)) if source else None

    for section in ("organizations", "licenses", "nodes", "edges"):
        for record in getattr(ds, section):
            label = getattr(record, "id", None) or f"{record.source} {record.type.value} {record.target}"
            for _, claim in _walk_claims(record):
                if local(claim.source) and claim.quote:
                    yield pytest.param(local(claim.source), claim.quote, id=f"{label}:{claim.quote[:30]}")
    for lic in ds.licenses:
        clauses = [c for t in lic.terms.values() for c in t.clauses]
        clauses += [c for f in lic.facts.values() for c in f.clauses]
        clauses += lic.flow_down.clauses if lic.flow_down else []
        for clause in clauses:
            if local(clause.source):
                yield pytest.param(local(clause.source), clause.quote, id=f"{lic.id}:{clause.quote[:30]}")


QUOTES = list(_quotes())


def test_the_article_is_quoted() -> None:
    assert len(QUOTES) >= 20, "the article's quotes were lost from the data"


@pytest.mark.parametrize(("copy", "quote"), QUOTES)
def test_quote_is_in_its_source(copy: str, quote: str) -> None:
    require_shared(*copy.split("/")[1:])
    text = (ROOT.parent / copy).read_text(encoding="utf-8")
    assert _norm(quote) in _norm(text)
