"""Print the spermatogenesis direction table of docs/model.md (typical man; TE 200 mg weekly
courses and two TU courses, as in tests/test_spermatogenesis.py): reserve at its lowest,
months from the first missed dose to 20 M/mL and to 85 % of own baseline, and the
concentration one year after the first missed dose relative to baseline.
Usage: python scripts/direction_table.py
"""

from __future__ import annotations

import numpy as np

from hpgsim.engine.precision import enable_x64
from hpgsim.engine.simulation import simulate_many
from hpgsim.measure.events import DAYS_PER_MONTH, androgen_window, sperm_events
from hpgsim.scenario import scenario_from_dict

enable_x64()

WEEK = 7.0
HORIZON = 104 * WEEK + 3 * 365.0


def te(weeks: int) -> list[dict[str, str]]:
    return [
        {
            "drug": "testosterone_enanthate",
            "dose": "200 mg",
            "route": "intramuscular",
            "every": "7 d",
            "stop": f"{weeks * WEEK:g} d",
        }
    ]


def tu(dose: str, every: str, stop_day: float) -> list[dict[str, str]]:
    return [
        {
            "drug": "testosterone_undecanoate",
            "dose": dose,
            "route": "intramuscular",
            "every": every,
            "stop": f"{stop_day:g} d",
        }
    ]


def man(
    name: str, regimen: list[dict[str, str]], horizon: float = HORIZON, **patient: object
) -> object:
    return scenario_from_dict(
        {"name": name, "horizon": f"{horizon:g} d", "patient": patient, "regimen": regimen}
    )


COURSES = {
    "6 months": man("6m", te(26)),
    "1 year": man("1y", te(52)),
    "2 years": man("2y", te(104)),
    "1 year, testes 8 mL": man("small", te(52), testicular_volume_ml=8),
    "1 year, primary dysfunction (T 250 ng/dL)": man(
        "primary", te(52), condition="primary_hypogonadism", baseline_total_testosterone_ng_dl=250
    ),
    "1 year, baseline 120 M/mL": man("hi", te(52), baseline_sperm_concentration_m_per_ml=120),
    "1 year, baseline 30 M/mL": man("lo", te(52), baseline_sperm_concentration_m_per_ml=30),
    "1 year, TU 750 mg every 4 weeks": man("tu750", tu("750 mg", "28 d", 52 * WEEK)),
    "1 year, TU 500 mg every 30 days (Gu 2009)": man("tu500", tu("500 mg", "30 d", 360.0)),
    "TC 200 mg weekly for 5 years": man(
        "tc5y",
        [
            {
                "drug": "testosterone_cypionate",
                "dose": "200 mg",
                "route": "intramuscular",
                "every": "7 d",
                "stop": f"{5 * 365:g} d",
            }
        ],
        horizon=8 * 365.0,
    ),
}


def main() -> None:
    frames = simulate_many(list(COURSES.values()))  # type: ignore[arg-type]
    print(
        "| course | reserve at its lowest | months to 20 M/mL | months to 85 % of baseline "
        "| x baseline 1 y after the first missed dose |"
    )
    print("|---|---|---|---|---|")
    for (label, sc), df in zip(COURSES.items(), frames, strict=True):
        ev = sperm_events(df, sc)  # type: ignore[arg-type]
        _, stop = androgen_window(sc)  # type: ignore[arg-type]
        assert stop is not None
        r20 = ev["recovery"]["reach_m_per_ml"]["20"]
        r85 = ev["recovery"]["reach_fraction_of_baseline"]["0.85"]
        t = df.time_days.to_numpy()
        c = df.sperm_concentration_m_per_ml.to_numpy()
        one_year = c[np.argmin(np.abs(t - (stop + 365.0)))] / c[0]

        def months(x: float | None) -> str:
            return "not reached" if x is None else f"{x / DAYS_PER_MONTH:.1f}"

        print(
            f"| {label} | {df.stem_cell_reserve_fraction.min():.2f} | {months(r20)} | "
            f"{months(r85)} | {one_year:.2f} |"
        )


if __name__ == "__main__":
    main()
