"""`hpgsim report`: a self-contained, offline HTML page of a scenario (and of a trial of it)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hpgsim.cli import app
from hpgsim.output.html_report import parameters_used
from hpgsim.scenario import load_scenario

runner = CliRunner()

SCENARIO = """\
name: te-20-weeks-then-stop
horizon: 280 d
output_every: 1 d
patient: {age_years: 35, bmi_kg_m2: 25, baseline_sperm_concentration_m_per_ml: 60}
regimen:
  - {drug: testosterone_enanthate, dose: 200 mg, route: intramuscular, every: 7 d, stop: 140 d}
  - {drug: anastrozole, dose: 0.5 mg, route: oral, every: 3.5 d, stop: 140 d}
"""


@pytest.fixture(scope="module")
def scenario_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sc") / "te.yaml"
    path.write_text(SCENARIO)
    return path


@pytest.fixture(scope="module")
def page(scenario_file: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("report")
    res = runner.invoke(
        app,
        [
            "report",
            str(scenario_file),
            "--out",
            str(out),
            "--population",
            "healthy_men_18_51",
            "--n",
            "12",
            "--seed",
            "3",
        ],
    )
    assert res.exit_code == 0, res.output
    return (out / "report.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_page_is_self_contained(page: str) -> None:
    # nothing to fetch: no scripts, style sheets or images from elsewhere
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "<script" not in page
    images = re.findall(r'<img alt="[^"]*" src="data:image/png;base64,', page)
    assert len(images) >= 6  # timeline, hormones, other hormones, sperm, drugs, Kaplan-Meier


@pytest.mark.slow
def test_page_has_every_section(page: str) -> None:
    for anchor in (
        "regimen",
        "hormones",
        "sperm",
        "events",
        "gaps",
        "drugs",
        "trial",
        "parameters",
    ):
        assert f'id="{anchor}"' in page, anchor
    assert page.count("not a medical device") == 2  # top and bottom
    assert "Testosterone enanthate" in page and "Anastrozole" in page
    assert "WHO 2010 lower reference limit" in page
    assert "264-916 ng/dL" in page  # the reference range of total testosterone
    # events: suppression from the first dose, recovery from the first missed dose (day 140)
    assert "first missed androgen dose: day 140" in page
    assert "back to &gt;= 20 M/mL" in page
    # the trial: 12 men, probabilities by month
    assert "12 men of <code>healthy_men_18_51</code>" in page
    assert "by 6 mo" in page


def test_parameters_used_are_the_axis_and_the_regimens_drugs(scenario_file: Path) -> None:
    params, cites = parameters_used(load_scenario(scenario_file))
    groups = {p.group for p in params}
    assert "drug:testosterone_enanthate" in groups and "drug:anastrozole" in groups
    assert "drug:clomiphene_citrate" not in groups
    assert "pituitary" in groups and "spermatogenesis" in groups
    keys = {k for k, _ in cites}
    assert {"Travison2017", "Leder2004"} <= keys


def test_bad_input_writes_nothing(tmp_path: Path, scenario_file: Path) -> None:
    res = runner.invoke(
        app, ["report", str(tmp_path / "missing.yaml"), "--out", str(tmp_path / "r")]
    )
    assert res.exit_code == 2
    assert not (tmp_path / "r" / "report.html").exists()
    res = runner.invoke(
        app, ["report", str(scenario_file), "--out", str(tmp_path / "r"), "--population", "nobody"]
    )
    assert res.exit_code == 2 and "population" in res.output
    assert not (tmp_path / "r" / "report.html").exists()


@pytest.mark.slow
def test_page_names_the_known_gaps_of_its_drugs(page: str, scenario_file: Path) -> None:
    from hpgsim.evidence.registry import known_gaps_for

    notes = known_gaps_for(load_scenario(scenario_file).drugs_present())
    assert notes  # TE and anastrozole both have studies with known gaps
    gaps = page.split('id="gaps"')[1].split("<h2")[0]
    for n in notes:
        assert n.study in gaps and n.measure.replace(">", "&gt;") in gaps


def test_known_gaps_are_those_of_studies_giving_the_drugs() -> None:
    from hpgsim.evidence.registry import KNOWN_GAPS, known_gaps_for, registry

    notes = known_gaps_for(["hcg"])
    assert notes and all(n.drugs == ("hcg",) for n in notes)
    by_id = {t.id: t for t in registry()}
    for n in notes:
        assert KNOWN_GAPS[(n.study, n.measure)] == n.reason
        assert any("hcg" in s.drugs_present() for s in by_id[n.study].scenarios)
    assert known_gaps_for([]) == []


@pytest.mark.slow
def test_page_opens_with_the_answer(page: str) -> None:
    """The first screen answers 'when, and how likely by 3/6/12/24 months' (issue #21)."""
    box = page.split('class="summary"')[1].split("</div>")[0]
    assert page.index('class="summary"') < page.index("<nav>")
    assert "One simulated man" in box and "first missed androgen dose (day 140)" in box
    assert "&gt;= 15 M/mL:" in box and "&gt;= 20 M/mL:" in box
    assert "A virtual cohort</strong> of 12 men" in box
    for m in ("3", "6", "12", "24"):
        assert f"by {m} months" in box
    # a probability with its interval, or an explicit 'beyond follow-up'
    assert re.search(r"\d+% \(\d+-\d+%\)", box) or "beyond follow-up" in box
