"""docs/model.md is generated where it states equations, parameters and sources: it must be
current, and its table of the source article's claims must quote the article and name things
that exist."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from hpgsim.model import axis
from hpgsim.model.drugs import FAMILIES
from hpgsim.model.parameters import PARAMETERS
from hpgsim.output.model_doc import ARTICLE_CLAIMS, BLOCKS, update
from hpgsim.scenario import Patient

ROOT = Path(__file__).resolve().parents[1]
MODEL_DOC = ROOT / "docs" / "model.md"
SEED = ROOT.parent / "shared" / "seed"


def test_model_doc_is_current() -> None:
    text = MODEL_DOC.read_text()
    assert update(text) == text, "docs/model.md is stale: run `make docs`"


def test_every_block_is_generated_and_non_empty() -> None:
    text = MODEL_DOC.read_text()
    for name in BLOCKS:
        body = text.split(f"<!-- BEGIN GENERATED: {name} -->")[1].split("<!-- END")[0]
        assert len(body.strip()) > 200, name
    # every parameter appears with its value in the generated table
    for p in PARAMETERS:
        assert f"| `{p.name}` | {p.value:.4g} |" in text, p.name
    # the equations block is the code itself
    assert "def rhs(y: Array, p: Params, families: Sequence[str] | None = None) -> Array:" in text


def test_claims_name_real_model_elements() -> None:
    names = (
        {p.name for p in PARAMETERS}
        | set(axis.STATES)
        | {n for n in dir(axis) if not n.startswith("_")}
        | {n for f in FAMILIES for n in dir(inspect.getmodule(f.derivatives))}
        | set(Patient.model_fields)
        | {"primary_hypogonadism"}
    )
    for claim in ARTICLE_CLAIMS:
        for ident in re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)`", claim.represented_by):
            assert ident in names, (ident, claim.quote[:40])


@pytest.mark.skipif(not SEED.is_dir(), reason="the source article is not in this checkout")
def test_claims_quote_the_article_verbatim() -> None:
    article = " ".join(p.read_text() for p in SEED.glob("*.txt"))
    for claim in ARTICLE_CLAIMS:
        assert claim.quote in article, claim.quote


def test_claims_point_at_real_tests_and_targets() -> None:
    from hpgsim.evidence.registry import registry

    ids = {t.id for t in registry()}
    for claim in ARTICLE_CLAIMS:
        for module, name in re.findall(r"(test_\w+\.py)::(test_\w+)", claim.checked_by):
            assert f"def {name}(" in (ROOT / "tests" / module).read_text(), (module, name)
        for ident in re.findall(r"\b((?:target|support|check)\w*)\b", claim.checked_by):
            assert ident in ids, ident
