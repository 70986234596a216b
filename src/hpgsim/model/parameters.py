"""The parameter table of the HPG-axis model: one record per parameter with its value, unit,
meaning, provenance and between-man variability.

Every number the model uses is a :class:`Parameter` in :data:`PARAMETERS`: the axis's rows are
written here, each drug family's rows in its own module (:mod:`hpgsim.model.drugs`), the
post-menopausal woman's in :mod:`hpgsim.model.woman_parameters`, and this module joins them
(with the citations only a family names). A row's provenance says where the number comes
from, as one of (records in :mod:`hpgsim.model.parameter_records`):

- :class:`Literature`: a published value (the citation keys of :data:`CITATIONS`, and the
  note of what was read where);
- :class:`Derived`: arithmetic on sourced numbers, the expression written out;
- :class:`Assumption`: no published value; the reason for the choice;
- :class:`Calibrated`: fitted by the package's fitter to a named target, with the fit's start
  and bounds (the one place they are written; ``scripts/calibrate.py`` reads them) and stage.
  The fitted value is read from ``hpgsim/data/calibrated.json``, which the fitter writes.

Checked when the module is imported: every unit parses in pint (:data:`hpgsim.units.ureg`),
every citation key a row names exists, every citation is named by some row, names are unique,
and a calibrated start lies within its bounds. :func:`on_bound` lists the calibrated values that
sit on a bound.

Time is in days throughout; concentrations are nmol/L (testosterone, SHBG), pmol/L (estradiol),
IU/L (LH, FSH), pg/mL (inhibin B), ng/mL (drugs); amounts are nmol (testosterone), IU, or mg.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from hpgsim.model import woman_parameters
from hpgsim.model.drugs import FAMILIES
from hpgsim.model.parameter_records import (
    CAL_FILE,
    CALIBRATED,
    HOUR_DAYS,
    MINUTE_DAYS,
    ON_BOUND_LOG_TOLERANCE,
    Assumption,
    Calibrated,
    Derived,
    Literature,
    Parameter,
    Provenance,
    calibrated_cv,
    calibrated_value,
    rate_from_half_life,
    two_compartment_from_biexponential,
)
from hpgsim.units import ureg

__all__ = [
    "CALIBRATED",
    "CAL_FILE",
    "CITATIONS",
    "MAN_BSA_M2",
    "ON_BOUND_LOG_TOLERANCE",
    "PARAMETERS",
    "Assumption",
    "Calibrated",
    "Derived",
    "Literature",
    "Parameter",
    "Provenance",
    "calibrated_rows",
    "calibrated_value",
    "on_bound",
    "parameter_table",
    "typical_values",
]


LH_MCR_L_DAY = 56.2e-3 * 1440.0
"""Native LH's immunoactive metabolic clearance, 56.2 mL/min (Veldhuis1986), in L/day."""

LH_TWO_COMPARTMENT = two_compartment_from_biexponential(
    clearance=1.7 * 24.0,
    v_ss=10.0,
    t_half_initial=1.0 * HOUR_DAYS,
    t_half_terminal=11.0 * HOUR_DAYS,
)
"""LH's central and peripheral volumes (L) and exchange clearance (L/day) from recombinant LH
given IV (leCotonnec1998: initial t1/2 1 h, terminal 10-12 h, clearance 1.7 L/h, Vss 10 L)."""

CITATIONS: dict[str, str] = {
    "Liu2006": "Liu PY et al. Lancet 2006;367:1412, PMID 16650651: pooled recovery of "
    "spermatogenesis after male hormonal contraception, 1549 men in 30 studies 1990-2005",
    "Teslac": "Evidence that testosterone can suppress pituitary gonadotropin secretion "
    "independently of peripheral aromatization (JCEM; scilit f80ac77cb404564fc45dcca3b69f4116)",
    "CCLM2018": "Hormone reference intervals in 1043 men, multicentre (medians: LH 4.2 IU/L, "
    "SHBG 29.4 nmol/L). Clin Chem Lab Med 2018, doi:10.1515/cclm-2017-0749",
    # Where a journal, volume or PMID is given it was read in the retrieved source text or in
    # ../shared/docs/calibration-targets.md; nothing here is quoted from memory.
    "Travison2017": "Travison TG et al. Harmonized reference ranges for circulating testosterone "
    "in men of four cohort studies (9054 non-obese men 19-39 y). PMID 28324103",
    "Vermeulen1999": "Vermeulen A, Verdonck L, Kaufman JM. Free testosterone by mass action. "
    "J Clin Endocrinol Metab 84:3666 (constants quoted at issam.ch/freetesuit.html)",
    "Saez1972": "Saez JM et al. Metabolic clearance and production of testosterone and "
    "dihydrotestosterone in 8 normal men (J Clin Invest). PMC292254",
    "Tornoe2007": "Tornøe CW et al. Population PK/PD model of the HPG axis after GnRH agonist "
    "(triptorelin) and antagonist (degarelix). PMID 17096678; nlmixr2lib model files",
    "Coviello2005": "Coviello AD et al. Low-dose hCG maintains intratesticular testosterone in "
    "normal men with testosterone-induced gonadotropin suppression. J Clin Endocrinol Metab "
    "90:2595",
    "Bhasin2001": "Bhasin S et al. Testosterone dose-response relationships in healthy young men "
    "(GnRH agonist + TE 25-600 mg/wk for 20 wk). Am J Physiol Endocrinol Metab 281:E1172",
    "Leder2004": "Leder BZ et al. Anastrozole 1 mg daily for 12 weeks in men 62-74 y with low or "
    "borderline-low T. PMID 15001605",
    "Grunewald2013": "Grunewald S et al. Inhibin B in 2448 men with normal semen. Reproduction "
    "145:237",
    "Santen1975": "Santen RJ. Is aromatization of testosterone to estradiol required for "
    "inhibition of luteinizing hormone secretion in men? J Clin Invest 1975;56:1555: 25 ug IV "
    "LH-RH raised serum LH by 170-190 % in normal men",
    "leCotonnec1998": "le Cotonnec JY, Porchet HC, Beltrami V, Munafo A. Clinical pharmacology "
    "of recombinant human luteinizing hormone: Part I. Pharmacokinetics after intravenous "
    "administration to healthy female volunteers. Fertil Steril 1998;69:189-194, DOI "
    "10.1016/S0015-0282(97)00501-3 (12 pituitary-down-regulated women; biexponential, initial "
    "t1/2 1 h, terminal 10-12 h, clearance 1.7 L/h, Vss about 10 L)",
    "Veldhuis1986": "Veldhuis JD et al. Metabolic clearance of biologically active LH in man "
    "(immunoactive MCR 56.2 mL/min; mayoclinic.pure.elsevier.com)",
    "Urban1991": "Urban RJ et al. Metabolic clearance of FSH in gonadotropin-deficient men "
    "(t1/2 274 min; MCR 5.4 mL/min/m2; mayoclinic.pure.elsevier.com)",
    "Pitteloud2008": "Pitteloud N et al. Inhibition of LH secretion by testosterone in men "
    "requires aromatization for its pituitary but not its hypothalamic effects. J Clin "
    "Endocrinol Metab 2008;93:784. PMC2266963 (LH 34.6 IU/L under ketoconazole)",
    "Plymate1983": "Plymate SR et al. SHBG in normal and Klinefelter men on TE 200 mg every "
    "2 weeks or hCG (J Clin Endocrinol Metab 1983). PMID 6683724",
    "Cilia2024": "Cilia K. Residual high hCG and rising LH and FSH on testosterone therapy post "
    "bilateral orchidectomy. Endocrine Abstracts 2024;100:WE2.1, doi:10.1530/endoabs.100.WE2.1 "
    "(33-year-old man: LH 42.7 and FSH 81.4 U/L after bilateral orchidectomy, before TRT)",
    "Strain1994": "Strain G et al. Insulin and SHBG in 70 men, and weight loss. J Clin "
    "Endocrinol Metab 79:1173",
    "Yeap_HIMS": "Yeap BB et al. Health in Men Study: 3645 men 70-89 y; SHBG 42.4 +/- 16.7 nmol/L",
    "NHS_SHBG": "South Tees NHS pathology, SHBG test page: 'half life of around 7 days' "
    "(secondary)",
    "mdwiki_E2": "mdwiki template 'Production rates, secretion rates, clearance rates of major sex "
    "hormones': estradiol MCR in men 1600 L/day (secondary; primary Longcope 1968 not retrieved)",
    "E2_halflife": "Studies on phenolic steroids in human subjects II: plasma E2/E1 half-lives "
    "approx. 20 and 70 min (22 subjects, IV 14C-estradiol; scilit)",
    "deRonde2011": "de Ronde W, de Jong FH 2011, review of aromatase inhibitors in men: about 80% "
    "of plasma E2 from peripheral aromatization, at most 20% testicular (secondary quote)",
    "Kaler1978": "Kaler LW, Neaves WB. Attrition of the human Leydig cell population with "
    "advancing age. Anat Rec 1978;192(4), doi:10.1002/ar.1091920405 (perfused testes of 25 "
    "men 18-87 y: >700 million Leydig cells at 20 y, attrition ~80 million per decade; "
    "single-cell volume unchanged with age)",
    "Kley1980": "Kley HK et al. Enhanced conversion of androstenedione to estrogens in obese "
    "males (E2 21.7 -> 43.9 pg/mL, 90-120% vs >160% of ideal body weight; scilit)",
    "Schneider1979": "Schneider G et al. Increased estrogen production in obese men. "
    "J Clin Endocrinol Metab 1979;48:633. PMID 429508",
    "PubChem": "PubChem molecular weights: testosterone 288.42, testosterone cypionate 412.6, "
    "enanthate 400.6, undecanoate 456.7, estradiol 272.38, anastrozole 293.4 g/mol",
    "Hoffman1982": "Hoffman AR, Crowley WF. Pulsatile low-dose GnRH in 6 men with idiopathic "
    "hypogonadotropic hypogonadism. N Engl J Med 307:1237 (baseline T 77 +/- 13 ng/dL)",
    "Handelsman2022": "Handelsman DJ et al. Recovery of male reproductive endocrine function "
    "after ceasing prolonged testosterone undecanoate injections. Eur J Endocrinol "
    "2022;186:307-318, doi:10.1530/EJE-21-0608, PMID 35000898 (T4DM runoff)",
    "Handelsman2005": "Handelsman DJ et al. Suppression and recovery kinetics of sperm output on "
    "TE 200 mg weekly (WHO studies). Hum Reprod 2005;20:1733. PMID 15860500",
    "Misell2006": "Misell LM et al. Heavy-water labelling of germ-cell kinetics in 11 healthy "
    "men: germ-cell-to-ejaculate time 42-76 days (UCSF news summary 2006; mean 64 d not "
    "verified)",
    "Amann1976": "Amann RP et al. Epididymal transit in the rhesus monkey: caput 1.1, corpus "
    "3.8, cauda 5.6 days. Biol Reprod 1976;15:586",
    "Boeri2021": "Boeri L et al. Testicular volume in infertile vs fertile men: median 15.0 vs "
    "22.5 mL (Prader), 1940 infertile and 102 fertile men. PMID 33723100",
    "ShankaraNarayana2020": "Shankara-Narayana N et al. Rate and extent of recovery from "
    "reproductive and cardiac dysfunction due to androgen abuse in men. J Clin Endocrinol "
    "Metab 2020;105:1827. doi:10.1210/clinem/dgz324 (testis volume 14.3 current vs 18.6 past "
    "vs 23.2 mL non-users; ESA-SRB 2019 abstract)",
    "Anawalt1996": "Anawalt BD et al. Serum inhibin B levels reflect Sertoli cell function in "
    "normal men and men with testicular dysfunction. J Clin Endocrinol Metab 1996 (a single "
    "3000 IU rFSH dose doubled inhibin B within 72 h; cited in a McLachlan-group Hum Reprod "
    "paper, abstract not read)",
    "Hsieh2013": "Hsieh TC, Pastuszak AW, Hwang K, Lipshultz LI. Concomitant intramuscular "
    "human chorionic gonadotropin preserves spermatogenesis in men undergoing testosterone "
    "replacement therapy. J Urol 2013. doi:10.1016/j.juro.2012.09.043 (26 men, hCG "
    "500 IU every other day: T 207 -> 1056 ng/dL, semen unchanged over 6.2 months)",
    "Johnson1984": "Johnson L, Petty CS, Neaves WB. Influence of age on sperm production and "
    "testicular weights in men. J Reprod Fertil 1984;70(1) (DSP about 30% higher at 21-50 "
    "than at 51-80 y)",
    "Matthiesson2003": "Matthiesson KL, Robertson DM, Burger HG, McLachlan RI. Hum Reprod "
    "2003, issue 4, pp. 734-743 (inhibin B fell to 75% of baseline during testosterone plus "
    "progestin suppression of spermatogenesis, 25 men)",
    "WHO1990": "WHO Task Force. Contraceptive efficacy of testosterone-induced azoospermia in "
    "normal men. Lancet 1990;336:955. doi:10.1016/0140-6736(90)92416-F (TE 200 mg weekly, "
    "271 men: azoospermia in 120 +/- 40 d; recovery to 20 M/mL median 3.7 mo, to own "
    "baseline 6.7 mo)",
    "TestisMorphometry1982": "Interstitial tissue 38.9% of decapsulated testis volume in 6 men "
    "aged 74 on average. J Clin Endocrinol Metab 1982;55:634. PMID 7107810",
    "NalGlu": "A comparison of the suppressive effects of testosterone and a potent new GnRH "
    "antagonist on gonadotropin and inhibin levels in normal men: inhibin fell after 1-2 days",
    "Christensen1994": "Christensen et al. J Androl 1994;15:125: inhibin disappearance after "
    "castration in Macaca fascicularis, half-lives 34 and 75 min (animal)",
    "InhibinRef": "Inhibin B reference data: 132 (fertile) vs 78 pg/mL (infertile), FSH 3.5 vs "
    "5.6 IU/L (discovery.researcher.life, 56 fertile and 85 infertile men)",
    "Kanayama_recovery": "Recovery of the HPG axis after anabolic steroids: complete "
    "gonadotropin recovery expected over 3-6 months (Endocrine Connections 2023, EC-23-0358)",
    # ---- restoration pharmacology (issue #3); read in search excerpts on 2026-11-27
    "GnRHContinuous3h": "Testicular steroid response to continuous and pulsatile IV LH-RH in 18 "
    "normal men: 1 ug/min for 3 h raised mean LH 3-4-fold, T up to 1.5x (scilit 349ec73d)",
    "Belchetz1978": "Belchetz PE et al. Science 1978;202:631, PMID 100883: hourly GnRH pulses "
    "restore gonadotropin secretion in lesioned monkeys; continuous infusion does not",
    "GnRHPump1982": "JCEM 1982;55:723: pulsatile SC GnRH 1 ug every 90 min for 90 d then 5 ug "
    "every 90 min in a man with secondary HH: T normal, pregnancy after 181 d",
    "RatPituitaryDesens": "The LHRH desensitized rat pituitary (Endocrinology; scilit "
    "77ae58b9): continuous 10 nM LHRH, LH 4-5-fold at 6-9 min, back to baseline over 6 h; "
    "continuous GnRH 30 nM, basal within 12 h, pulses kept responsiveness > 24 h (PMID 7007026)",
    "DesensRecovery": "GnRH desensitization in rats: onset after ~6 h of continued exposure, "
    "recovery 2-4 days (secondary quotation, primary paper not identified; weak)",
    "LupronLabel": "Lupron Depot 7.5 mg label: plasma leuprolide ~20 ng/mL at 4 h, 0.36 ng/mL "
    "at 4 weeks; IV 1 mg in men: CL 7.6 L/h, t1/2 ~3 h, Vss 27 L; T above baseline in week 1, "
    "castrate in 2-4 weeks (rxlist)",
    "LeuprolideCastration": "Leuprolide depot 7.5 mg IM every 4 weeks, 56 men, stage D2: "
    "median time to castrate T 21 days (scilit 5769a6ef)",
    "Warner1983": "Warner B et al. J Clin Invest 1983;71:1842 (PMID 6408125, PMC370390): on "
    "D-Leu6-GnRH proethylamide 1 or 10 mg/day T fell to 19 +/- 4.4 ng/dL, vs 11 +/- 0.9 "
    "ng/dL after surgical castration",
    "GnRHRmRNADepot": "GnRH-receptor mRNA in immature female rats after one leuprolide depot "
    "(TAP-144-SR 0.94 mg): 93 / 50 / 36 / 74 % of control at 1 / 2 / 4 / 8 weeks, coinciding "
    "with a deeper fall of the LH response and LH-beta mRNA. Endocr J 1996;43:115 (J-STAGE "
    "endocrj1993/43/1/43_1_115)",
    "Smith2007ADT": "Smith MR et al. Clin Cancer Res 2007;13:241: 49 men on leuprolide "
    "3-month depot, total T 372 +/- 18 -> 13 +/- 1 ng/dL and free T 6.75 +/- 0.33 -> 0.21 +/- "
    "0.02 ng/dL at week 48 (free fraction 1.81 -> 1.62 %)",
    "OrchiectomySHBG": "Androgen and metabolic changes after orchiectomy (10 men, sampled to 4 "
    "weeks; SHBG not among the hormones that changed significantly; abstract, "
    "discovery.researcher.life)",
}


MAN_BSA_M2 = 1.9
"""The typical man's body-surface area, m^2: turns per-m2 clearances into per-person ones."""
_CL_T = 516.0 * MAN_BSA_M2  # L/day
_KE_T = 0.0901 * 24.0  # 1/day

# Between-man CVs without a published value, fitted by the fitter's spread stage
# (hpgsim.evidence.spread) to the TE-only cohorts (issue #19, decision 1: not to Liu 2006's
# mixture of regimens).
_SPREAD_TARGETS = (
    "TE-only cohorts on TE 200 mg weekly: WHO 1990 / WHO 1995 (target_who1990_population) and "
    "the Thai WHO centre (target_thai1996_te_population)"
)
_SPREAD: dict[str, Calibrated] = {
    name: Calibrated(
        target=_SPREAD_TARGETS,
        start=0.5,
        lower=0.05,
        upper=2.0,
        stage="spread",
        refs=("WHO1990",),
        bounds_note="CV 5-200 %",
    )
    for name in ("K_ITT_sperm", "k_ssc_loss", "k_ssc_renew", "k_gcap_up")
}
_SPREAD_SOURCE = (
    "calibrated (no published value): fitted by the spread stage of scripts/calibrate.py to "
    + _SPREAD_TARGETS
)


def _fitted_spread(name: str) -> dict[str, Any]:
    """The between-man variability fields of a parameter whose CV the spread stage fits:
    the stored CV (``calibrated_cv``), its source and its fit record (:data:`_SPREAD`)."""
    return {
        "bsv_cv": calibrated_cv(name, _SPREAD[name]),
        "bsv_source": _SPREAD_SOURCE,
        "bsv_fit": _SPREAD[name],
    }


PARAMETERS: list[Parameter] = [
    # ---------------------------------------------------------------- reference man
    Parameter(
        "T_ref",
        531.0,
        "ng/dL",
        "total testosterone of the reference untreated man "
        "(19-39 y, non-obese): the default baseline",
        Literature(("Travison2017",), "Travison2017 (median; 2.5-97.5th centile 264-916)"),
        group="reference",
    ),
    Parameter(
        "LH_ref",
        4.5,
        "IU/L",
        "LH of the reference man",
        Literature(
            ("CCLM2018",),
            "calibration target 1 (LH ~4-5 IU/L); FAMHES/multicentre medians 4.2 "
            "(doi 10.1515/cclm-2017-0749)",
        ),
        group="reference",
    ),
    Parameter(
        "FSH_ref",
        4.5,
        "IU/L",
        "FSH of the reference man",
        Literature(
            ("InhibinRef",), "calibration target 1 (FSH ~4-5 IU/L); fertile men 3.5 (InhibinRef)"
        ),
        group="reference",
    ),
    Parameter(
        "E2_ref",
        25.0,
        "pg/mL",
        "estradiol of the reference man",
        Assumption("calibration target 1 (E2 ~20-30 pg/mL)"),
        group="reference",
    ),
    Parameter(
        "SHBG_ref",
        35.0,
        "nmol/L",
        "SHBG of the reference man (35 y, BMI 25)",
        Literature(
            ("CCLM2018",), "calibration target 1 (SHBG ~30-40 nmol/L); multicentre median 29.4"
        ),
        group="reference",
    ),
    Parameter(
        "InhB_ref",
        130.0,
        "pg/mL",
        "inhibin B of the reference man",
        Literature(
            ("Grunewald2013",), "Grunewald2013 (median 130.5 pg/mL, 2448 men with normal semen)"
        ),
        group="reference",
    ),
    Parameter(
        "ITT_ratio",
        1174.0 / 14.1,
        "1",
        "intratesticular / serum testosterone at baseline",
        Literature(("Coviello2005",), "Coviello2005 (ITT 1174 nmol/L vs serum 14.1 nmol/L)"),
        group="reference",
    ),
    Parameter(
        "BMI_ref",
        25.0,
        "kg/m**2",
        "BMI of the reference man (covariate effects are relative to it)",
        Assumption("design.md default patient (healthy man of 35, BMI 25)"),
        group="reference",
    ),
    Parameter(
        "age_ref",
        35.0,
        "year",
        "age of the reference man (SHBG rises above it)",
        Assumption("design.md default patient (healthy man of 35, BMI 25)"),
        group="reference",
    ),
    Parameter(
        "T_default_hypogonadal",
        200.0,
        "ng/dL",
        "baseline total T used for primary or secondary hypogonadism when the scenario gives none",
        Assumption(
            "scenario default below the Travison2017 2.5th centile (264 ng/dL); not a literature "
            "value",
            refs=("Travison2017",),
        ),
        group="reference",
    ),
    Parameter(
        "T_default_chh",
        77.0,
        "ng/dL",
        "baseline total T for congenital hypogonadotropic "
        "hypogonadism when the scenario gives none",
        Literature(("Hoffman1982",), "Hoffman1982 (77 +/- 13 ng/dL)"),
        group="reference",
    ),
    # ---------------------------------------------------------------- binding
    Parameter(
        "K_shbg",
        1.0e9,
        "L/mol",
        "association constant testosterone-SHBG",
        Literature(("Vermeulen1999",), "Vermeulen1999"),
        group="binding",
    ),
    Parameter(
        "K_alb",
        3.6e4,
        "L/mol",
        "association constant testosterone-albumin",
        Literature(("Vermeulen1999",), "Vermeulen1999"),
        group="binding",
    ),
    Parameter(
        "mw_albumin",
        69000.0,
        "g/mol",
        "molar mass of albumin used by Vermeulen's calculation",
        Literature(("Vermeulen1999",), "Vermeulen1999 (KA*[Alb] = 3.6e4 x 43/69000 = 22.4)"),
        group="binding",
    ),
    Parameter(
        "albumin",
        43.0,
        "g/L",
        "serum albumin",
        Literature(("Vermeulen1999",), "Vermeulen1999 (KA*[Alb] = 22.4)"),
        group="binding",
    ),
    # ---------------------------------------------------------------- testosterone disposition
    Parameter(
        "CL_T_ref",
        _CL_T,
        "L/day",
        "metabolic clearance of total testosterone at the reference SHBG",
        Literature(("Saez1972",), "Saez1972 (516 +/- 108 L/m2/day x 1.9 m2)"),
        bsv_cv=0.21,
        bsv_source="Saez 1972 (PMC292254): MCR 516 +/- 108 L/m2/day",
        group="testosterone",
    ),
    Parameter(
        "cl_binding_exp",
        calibrated_value("cl_binding_exp"),
        "1",
        "exponent of the non-SHBG-bound fraction in T clearance (1: only non-SHBG T cleared)",
        Calibrated(
            target="Bhasin2001 dose-nadir curve (target 3); T infusion 15 mg/day -> T x3 "
            "(testolactone study)",
            start=0.8,
            lower=0.05,
            upper=1.5,
            stage="foundation",
            refs=("Bhasin2001", "Teslac"),
        ),
        group="testosterone",
    ),
    Parameter(
        "ke_T",
        _KE_T,
        "1/day",
        "elimination rate of serum testosterone at reference "
        "binding (sets the apparent volume CL_T_ref/ke_T)",
        Literature(("Tornoe2007",), "Tornoe2007 (ke,Te 0.0901 /h, t1/2 7.69 h)"),
        group="testosterone",
    ),
    Parameter(
        "mw_T",
        288.42,
        "g/mol",
        "molecular weight of testosterone",
        Literature(("PubChem",), "PubChem"),
        group="testosterone",
    ),
    # ---------------------------------------------------------------- Leydig cells
    Parameter(
        "leydig_loss_per_year",
        8.0 / 700.0,
        "1/year",
        "Leydig cells lost per year of age, as a fraction of the count at 20 y (acts only on "
        "a healthy man whose scenario gives no baseline T, above age_ref)",
        Derived(
            "derived: ~80 million cells lost per decade of >700 million at 20 y (Kaler1978), "
            "8/700 per year; the testis's T secretion taken proportional to the count "
            "(assumption: single Leydig-cell volume does not change with age, Kaler1978)",
            refs=("Kaler1978",),
        ),
        group="leydig",
    ),
    Parameter(
        "L50",
        5.18,
        "IU/L",
        "LH giving half-maximal stimulation of Leydig T secretion",
        Literature(("Tornoe2007",), "Tornoe2007"),
        bsv_cv=0.46,
        bsv_source="Tornoe 2007: between-subject variability",
        group="leydig",
    ),
    Parameter(
        "Lmax",
        77.5,
        "1",
        "maximal LH stimulation of T secretion, multiple of basal",
        Literature(("Tornoe2007",), "Tornoe2007"),
        bsv_cv=0.517,
        bsv_source="Tornoe 2007: between-subject variability",
        group="leydig",
    ),
    Parameter(
        "kappa_L",
        1.9,
        "1",
        "Hill exponent of LH on Leydig T secretion",
        Literature(("Tornoe2007",), "Tornoe2007"),
        group="leydig",
    ),
    Parameter(
        "k_leydig",
        1.0 / 90.0,
        "1/day",
        "rate at which Leydig secretory capacity follows "
        "LH-receptor occupancy (atrophy under LH deprivation, slow recovery)",
        Derived(
            "derived: time constant 90 d from the 3-6 month gonadotropin/T recovery after "
            "androgen withdrawal (Kanayama_recovery); refined against recovery data later",
            refs=("Kanayama_recovery",),
        ),
        group="leydig",
    ),
    Parameter(
        "k_leydig_ind",
        calibrated_value("k_leydig_ind"),
        "1/day",
        "rate at which the Leydig steroidogenic induction follows sustained (hCG) receptor "
        "occupancy above what the man's Leydig capacity is built for",
        Calibrated(
            target="hCG6000 serum T after 6000 IU IM: x1.6 at 4 h, delayed peak x2.4 at 72-96 h, "
            "back to baseline at 144 h (target_hcg_single_dose), jointly with "
            "leydig_ind_max and hCG's parameters",
            start=0.8,
            lower=0.05,
            upper=10.0,
            stage="foundation",
            refs=("hCG6000",),
        ),
        group="leydig",
    ),
    Parameter(
        "leydig_ind_max",
        calibrated_value("leydig_ind_max"),
        "1",
        "largest steroidogenic induction (T secretion multiplied by 1 + this when hCG "
        "occupies all the receptors the man's own LH leaves free, beyond what his capacity "
        "is built for)",
        Calibrated(
            target="hCG6000 delayed T peak x2.4 at 72-96 h after 6000 IU IM "
            "(target_hcg_single_dose), jointly with k_leydig_ind",
            start=1.8,
            lower=0.01,
            upper=20.0,
            stage="foundation",
            refs=("hCG6000",),
        ),
        group="leydig",
    ),
    Parameter(
        "T_castrate_ng_dl",
        11.0,
        "ng/dL",
        "serum total T left without testes (extragonadal, from adrenal precursors); its "
        "production, this level times CL_T_ref, is constant and LH-independent",
        Literature(("Warner1983",), "Warner1983 (11 +/- 0.9 ng/dL after surgical castration)"),
        group="leydig",
    ),
    Parameter(
        "leydig_floor",
        0.2,
        "1",
        "fraction of Leydig capacity kept without any LH",
        Assumption("assumption (Leydig cells persist after hypophysectomy); not yet calibrated"),
        group="leydig",
    ),
    Parameter(
        "rho_testis_E2",
        0.25,
        "1",
        "testicular E2 secretion as a fraction of peripheral "
        "aromatization at baseline (20% of E2 from the testis)",
        Literature(("deRonde2011",), "deRonde2011 (secondary)"),
        group="estradiol",
    ),
    # ---------------------------------------------------------------- intratesticular T
    Parameter(
        "k_itt",
        1.0 / HOUR_DAYS,
        "1/day",
        "exchange rate of intratesticular T with blood (t1/2 ~0.7 h)",
        Assumption("assumption: fast exchange, not identifiable from daily data"),
        group="testis",
    ),
    Parameter(
        "itt_partition",
        calibrated_value("itt_partition"),
        "1",
        "ITT/serum ratio that serum testosterone alone sustains (diffusion + ABP binding)",
        Calibrated(
            target="Coviello2005: ITT -94% on TE 200 mg weekly x 3 wk (target 4)",
            start=1.0,
            lower=0.2,
            upper=40.0,
            stage="foundation",
            refs=("Coviello2005",),
        ),
        group="testis",
    ),
    # ---------------------------------------------------------------- hypothalamus
    Parameter(
        "ke_F",
        0.00497 * 24.0,
        "1/day",
        "rate at which the hypothalamic androgen and estrogen feedback signals follow free T "
        "and the ER signal",
        Literature(
            ("Tornoe2007",),
            "Tornoe2007 (ke,F 0.00497 /h, degarelix study; 0.00107 /h in the triptorelin study); "
            "using the same rate for the estrogen signal is an assumption",
        ),
        bsv_cv=0.591,
        bsv_source="Tornoe 2007: between-subject variability of the feedback rate ke,F",
        group="hypothalamus",
    ),
    Parameter(
        "fb_T_imax",
        calibrated_value("fb_T_imax"),
        "1",
        "androgen (free T) feedback: largest fraction of the GnRH drive that androgen alone "
        "removes (bounded Emax at the hypothalamus)",
        Calibrated(
            target="Pitteloud2008 LH x3 with steroids blocked, x0.50 of that with T "
            "added back on aromatase block; testolactone-study LH x0.55 with T infused on "
            "aromatase block; Coviello2005 LH 5% of baseline on TE (target 4)",
            start=0.6,
            lower=0.05,
            upper=0.95,
            stage="foundation",
            refs=("Pitteloud2008", "Teslac", "Coviello2005"),
        ),
        group="hypothalamus",
    ),
    Parameter(
        "fb_T_K",
        calibrated_value("fb_T_K"),
        "1",
        "free T (relative to the reference man's) at half of the largest androgen feedback",
        Calibrated(
            target="the same targets as fb_T_imax (Pitteloud2008, Teslac, target 4)",
            start=1.0,
            lower=0.1,
            upper=20.0,
            stage="foundation",
            refs=("Pitteloud2008", "Teslac"),
        ),
        group="hypothalamus",
    ),
    Parameter(
        "fb_T_hill",
        calibrated_value("fb_T_hill"),
        "1",
        "Hill exponent of free-T feedback",
        Calibrated(
            target="Coviello2005 LH 5% (target 4); Leder2004 (target 7); Teslac",
            start=2.0,
            lower=0.5,
            upper=6.0,
            stage="foundation",
            refs=("Coviello2005", "Leder2004"),
        ),
        group="hypothalamus",
    ),
    Parameter(
        "fb_E_hyp_gain",
        calibrated_value("fb_E_hyp_gain"),
        "1",
        "hypothalamic estradiol (ER signal) feedback on the GnRH drive: maximal "
        "disinhibition minus 1 with the ER empty",
        Calibrated(
            target="Leder2004 LH 5.1 -> 7.9 IU/L under anastrozole (target 7); Pitteloud2008 "
            "LH 36.4 -> 19.0 IU/L with E2 added back under blockade (T absent)",
            start=1.5,
            lower=0.05,
            upper=20.0,
            stage="foundation",
            refs=("Leder2004", "Pitteloud2008"),
        ),
        group="hypothalamus",
    ),
    Parameter(
        "fb_E_pit_gain",
        calibrated_value("fb_E_pit_gain"),
        "1",
        "pituitary estradiol (ER signal) feedback on LH and FSH synthesis per unit GnRH: "
        "maximal disinhibition minus 1 with the ER empty",
        Calibrated(
            target="Pitteloud2008: in GnRH-deficient men on a fixed GnRH pump, E2 add-back "
            "lowered LH pulse amplitude 14.7 -> 12.0 IU/L (T add-back on aromatase block: "
            "no change, so no androgen term here)",
            start=0.3,
            lower=0.01,
            upper=20.0,
            stage="foundation",
            refs=("Pitteloud2008",),
        ),
        group="pituitary",
    ),
    Parameter(
        "fb_E_K",
        calibrated_value("fb_E_K"),
        "1",
        "ER signal (relative to reference E2) at half-maximal receptor occupancy",
        Calibrated(
            target="Leder2004 (target 7) with testolactone-study T infusion on aromatase "
            "block; large K = unsaturated (plain Hill) feedback",
            start=10.0,
            lower=0.5,
            upper=50.0,
            stage="foundation",
            refs=("Leder2004", "Teslac"),
        ),
        group="hypothalamus",
    ),
    Parameter(
        "fb_E_hill",
        calibrated_value("fb_E_hill"),
        "1",
        "Hill exponent of ER-signal feedback",
        Calibrated(
            target="Leder2004 LH rise for a 35% E2 fall (target 7)",
            start=2.6,
            lower=0.3,
            upper=8.0,
            stage="foundation",
            refs=("Leder2004",),
        ),
        group="hypothalamus",
    ),
    # ---------------------------------------------------------------- pituitary
    Parameter(
        "k_gnrhr_desens",
        rate_from_half_life(2.0 * HOUR_DAYS),
        "1/day",
        "rate at which occupied GnRH receptors uncouple (the sustained-occupancy sensor)",
        Derived(
            "derived: LH secretion under continuous LHRH fell back to baseline over ~6 h, about "
            "3 half-lives (RatPituitaryDesens)",
            refs=("RatPituitaryDesens",),
        ),
        group="pituitary",
    ),
    Parameter(
        "k_gnrhr_recouple",
        rate_from_half_life(30.0 * MINUTE_DAYS),
        "1/day",
        "rate at which unoccupied uncoupled GnRH receptors recover (fast resensitization)",
        Assumption(
            "assumption: t1/2 30 min, so that recovery is complete within the 60-120 min between "
            "pulses that keep pituitary responsiveness in vivo and in vitro (Belchetz 1978, PMID "
            "100883; RatPituitaryDesens)",
            refs=("RatPituitaryDesens",),
        ),
        group="pituitary",
    ),
    Parameter(
        "gnrhr_down_K",
        0.2,
        "1",
        "uncoupled-receptor fraction at which slow downregulation runs at half its maximum",
        Assumption(
            "assumption: low enough that continuous GnRH at 1 ug/min (the dose that failed to "
            "sustain gonadotropins in Belchetz1978's monkeys, and that raised LH 3-4-fold over 3 h "
            "in men, GnRHContinuous3h) downregulates within weeks; pump pulses stay far below it",
            refs=("Belchetz1978", "GnRHContinuous3h"),
        ),
        group="pituitary",
    ),
    Parameter(
        "gnrhr_down_hill",
        4.0,
        "1",
        "steepness of that threshold",
        Assumption("assumption (steep, so that pulses cause no downregulation)"),
        group="pituitary",
    ),
    Parameter(
        "k_desens",
        calibrated_value("k_desens"),
        "1/day",
        "maximal rate of slow GnRH-receptor downregulation (sustained uncoupling)",
        Calibrated(
            target="leuprolide 7.5 mg depot: median time to castrate T 21 d "
            "(LeuprolideCastration; target 10)",
            start=0.143,
            lower=0.01,
            upper=20.0,
            stage="restoration",
            refs=("LeuprolideCastration",),
            bounds_note="above ~20/day the 1-h explicit remainder is unstable",
        ),
        group="pituitary",
    ),
    Parameter(
        "gnrhr_loss_exponent",
        calibrated_value("gnrhr_loss_exponent"),
        "1",
        "power of gnrhr_sens in the pituitary stimulus: serial losses (receptor number, "
        "post-receptor signalling) with the same kinetics; 1 = receptor loss alone",
        Calibrated(
            target="leuprolide 7.5 mg: castrate at day 21 (LeuprolideCastration) and still "
            "castrate at week 48 (Smith2007ADT, 13 ng/dL; target 10), with the recovery rate "
            "bounded; bounded 1-4. Receptor mRNA fell only to 36-50 % while the LH response fell "
            "far more (GnRHRmRNADepot), so more than one loss",
            start=2.0,
            lower=1.0,
            upper=4.0,
            stage="restoration",
            refs=("LeuprolideCastration", "Smith2007ADT", "GnRHRmRNADepot"),
        ),
        group="pituitary",
    ),
    Parameter(
        "k_resens",
        calibrated_value("k_resens"),
        "1/day",
        "recovery rate of downregulated GnRH-receptor signalling",
        Calibrated(
            target="leuprolide 7.5 mg keeps T castrate through 4 weeks at 0.36 ng/mL "
            "(LupronLabel; target 10) and at week 48 (Smith2007ADT); the fit sits at (or within "
            "1 % of) its lower bound, t1/2 60 d (an assumption, so that the axis recovers after "
            "a depot); faster "
            "than the 2-4 days seen in rat pituitaries (DesensRecovery) would let men escape a "
            "monthly depot",
            start=0.0117,
            lower=0.0116,
            upper=1.0,
            stage="restoration",
            refs=("LupronLabel", "Smith2007ADT", "DesensRecovery"),
            bounds_note="recovery t1/2 at most 60 d (an assumption)",
        ),
        group="pituitary",
    ),
    Parameter(
        "E_gnrh",
        calibrated_value("E_gnrh"),
        "1",
        "maximal stimulus of a fully occupied GnRH receptor by an exogenous agonist, in units "
        "of the reference man's mean endogenous GnRH drive",
        Calibrated(
            target="pulsatile GnRH 5 ug every 90 min: T after 1 month and LH after 1 week "
            "(Hoffman1982, GnRHPump1982; target 9); 1 ug/min IV for 3 h raised mean LH 3-4-fold in "
            "normal men (GnRHContinuous3h)",
            start=13.2,
            lower=1.0,
            upper=1000.0,
            stage="restoration",
            refs=("Hoffman1982", "GnRHPump1982", "GnRHContinuous3h"),
        ),
        group="pituitary",
    ),
    Parameter(
        "EC50_gnrh",
        calibrated_value("EC50_gnrh"),
        "pg/mL",
        "plasma gonadorelin giving half occupancy of the pituitary GnRH receptor",
        Calibrated(
            target="the same targets as E_gnrh (target 9 pump; GnRHContinuous3h)",
            start=2155.0,
            lower=5.0,
            upper=1e4,
            stage="restoration",
            refs=("GnRHContinuous3h",),
        ),
        group="pituitary",
    ),
    Parameter(
        "lh_capacity",
        calibrated_value("lh_capacity"),
        "1",
        "maximal pituitary LH synthesis, multiple of the reference (gonadotroph capacity)",
        Calibrated(
            target="Pitteloud2008: LH x3 with T and E2 removed, halved again with T or E2 "
            "added back; Coviello2005 (target 4)",
            start=9.0,
            lower=1.5,
            upper=50.0,
            stage="foundation",
            refs=("Pitteloud2008",),
        ),
        group="pituitary",
    ),
    Parameter(
        "k_gcap_up",
        calibrated_value("k_gcap_up"),
        "1/day",
        "rebuilding of gonadotroph capacity per unit of GnRH receptor signal (1 = the "
        "reference man's)",
        Calibrated(
            target="T4DM runoff: mean LH and FSH back at baseline 36 weeks after 2 years of TU "
            "(target_t4dm_gonadotropin_recovery); Gu 2009 held out",
            start=0.02,
            lower=1e-4,
            upper=1.0,
            stage="foundation",
            refs=("Handelsman2022",),
        ),
        **_fitted_spread("k_gcap_up"),
        group="pituitary",
    ),
    Parameter(
        "gcap_rate_max",
        1.0,
        "1/day",
        "ceiling of the gonadotroph capacity's rebuilding rate",
        Assumption(
            "assumption: numerical guard (t1/2 0.7 d), far above the rebuilding the T4DM and "
            "TE recoveries show (weeks to months); binds only under drives hundreds of times "
            "the reference's"
        ),
        group="pituitary",
    ),
    Parameter(
        "k_gcap_down",
        calibrated_value("k_gcap_down"),
        "1/day",
        "wasting of gonadotroph capacity per unit of the GnRH receptor signal's shortfall "
        "below the man's own",
        Calibrated(
            target="T4DM runoff: LH back at baseline 36 weeks after 2 years of TU, T 11% "
            "below placebo from 24 weeks (target_t4dm_gonadotropin_recovery)",
            start=0.02,
            lower=1e-4,
            upper=1.0,
            stage="foundation",
            refs=("Handelsman2022",),
        ),
        group="pituitary",
    ),
    Parameter(
        "fsh_capacity",
        81.4 / 4.5,
        "1",
        "maximal pituitary FSH output, multiple of the reference (all feedback removed)",
        Literature(
            ("Cilia2024",),
            "Cilia2024 (FSH 81.4 U/L after bilateral orchidectomy, before testosterone) over "
            "FSH_ref "
            "4.5 IU/L; a single man: castrate FSH read as the gonadotroph's capacity is an "
            "assumption",
        ),
        group="pituitary",
    ),
    Parameter(
        "ke_LH",
        LH_MCR_L_DAY / LH_TWO_COMPARTMENT["central"],
        "1/day",
        "LH elimination from the central (serum) compartment",
        Derived(
            "derived: native LH's immunoactive MCR 56.2 mL/min (Veldhuis1986) / the central "
            "volume V_LH (initial t1/2 then 35 min, within the 30-36 min of intact hLH, and "
            "terminal 9.4 h)",
            refs=("Veldhuis1986", "leCotonnec1998"),
        ),
        group="pituitary",
    ),
    Parameter(
        "V_LH",
        LH_TWO_COMPARTMENT["central"],
        "L",
        "LH central (serum) distribution volume",
        Derived(
            "derived from recombinant LH given IV (leCotonnec1998: biexponential, initial t1/2 "
            "1 h, terminal 10-12 h (11 taken), clearance 1.7 L/h, Vss about 10 L): the "
            "two-compartment model with those four numbers "
            "(hpgsim.model.parameter_records.two_compartment_from_biexponential)",
            refs=("leCotonnec1998",),
        ),
        group="pituitary",
    ),
    Parameter(
        "V_LH_periph",
        LH_TWO_COMPARTMENT["peripheral"],
        "L",
        "LH peripheral distribution volume",
        Derived("derived as V_LH: Vss 10 L minus the central volume", refs=("leCotonnec1998",)),
        group="pituitary",
    ),
    Parameter(
        "Q_LH",
        LH_TWO_COMPARTMENT["exchange"],
        "L/day",
        "LH exchange clearance between the central and peripheral compartments",
        Derived("derived as V_LH (leCotonnec1998)", refs=("leCotonnec1998",)),
        group="pituitary",
    ),
    Parameter(
        "krel_LH",
        0.00241 * 24.0,
        "1/day",
        "fractional release of the pituitary LH pool at reference GnRH drive",
        Literature(("Tornoe2007",), "Tornoe2007 (krel,LH 0.00241 /h)"),
        bsv_cv=0.834,
        bsv_source="Tornoe 2007: between-subject variability",
        group="pituitary",
    ),
    Parameter(
        "lh_release_max",
        calibrated_value("lh_release_max"),
        "1/day",
        "maximal fractional mobilization of the pituitary LH reserve into the readily "
        "releasable pool (a soft ceiling on krel_LH x signal)",
        Calibrated(
            target="GnRHContinuous3h: 1 ug/min IV for 3 h, 20 ug every 20 min and 60 ug every "
            "60 min all raised mean LH 3-4-fold (release capacity, not the dose, sets it); "
            "the pump (target 9), which then keeps its own stimulus; LHRH_IV_PK's area",
            start=0.25,
            lower=0.06,
            upper=24.0,
            stage="restoration",
            refs=("GnRHContinuous3h", "LHRH_IV_PK", "Tornoe2007"),
            bounds_note="from the reference man's krel_LH (0.058/day) to the former numerical "
            "ceiling (a 1-h time constant)",
        ),
        group="pituitary",
    ),
    Parameter(
        "k_lh_rrp",
        calibrated_value("k_lh_rrp"),
        "1/day",
        "basal exocytosis of the readily releasable LH pool (its size is synthesis / k_lh_rrp "
        "at steady state)",
        Calibrated(
            target="Santen1975: 25 ug IV LH-RH raised LH to 2.7-2.9x its pre-dose value; "
            "LHRH_IV_PK: the LH area does not grow from 2.5 to 20 ug IV",
            start=12.0,
            lower=1.0,
            upper=200.0,
            stage="restoration",
            refs=("Santen1975", "LHRH_IV_PK"),
            bounds_note="a pool of 7 min to 1 day of synthesis",
        ),
        group="pituitary",
    ),
    Parameter(
        "k_lh_acute",
        calibrated_value("k_lh_acute"),
        "1/day",
        "exocytosis of the readily releasable LH pool per unit of coupled GnRH-receptor "
        "occupancy by an exogenous agonist (the acute release of a bolus)",
        Calibrated(
            target="LHRH_IV_PK: LH peaks 13.5-16.3 min after 1 and 2.5 ug IV (plasma GnRH peaks "
            "at 1-3 min); Santen1975",
            start=300.0,
            lower=10.0,
            upper=1000.0,
            stage="restoration",
            refs=("LHRH_IV_PK", "Santen1975"),
            bounds_note="the pool's time constant at full coupled occupancy at least 1.4 min "
            "(the engine's 1.25-min tick)",
        ),
        group="pituitary",
    ),
    Parameter(
        "ke_FSH",
        rate_from_half_life(274.0 * MINUTE_DAYS),
        "1/day",
        "FSH elimination",
        Literature(("Urban1991",), "Urban1991 (t1/2 274 min)"),
        group="pituitary",
    ),
    Parameter(
        "gamma_FSH",
        calibrated_value("gamma_FSH"),
        "1",
        "exponent of GnRH signal on FSH secretion",
        Calibrated(
            target="Coviello2005 FSH 3% of baseline on TE (target 4)",
            start=1.5,
            lower=0.5,
            upper=4.0,
            stage="foundation",
            refs=("Coviello2005",),
        ),
        group="pituitary",
    ),
    Parameter(
        "fb_inh_gain",
        8.1,
        "1",
        "inhibin B feedback on FSH: maximal disinhibition minus 1 (form (1+g)/(1+g x), "
        "Hill exponent 1)",
        Derived(
            "derived: elasticity -0.89 of FSH on inhibin B from fertile vs infertile men "
            "(InhibinRef: 132 vs 78 pg/mL, FSH 3.5 vs 5.6); g/(1+g) = 0.89",
            refs=("InhibinRef",),
        ),
        group="pituitary",
    ),
    # ---------------------------------------------------------------- Sertoli / inhibin B
    Parameter(
        "inhb_fsh_independent",
        0.75,
        "1",
        "share of inhibin-B output kept with FSH and spermatogenesis suppressed",
        Literature(
            ("Matthiesson2003",),
            "Matthiesson2003: inhibin B fell to 75% of baseline in 25 men on testosterone plus "
            "progestin with FSH suppressed and spermatogenesis suppressed",
        ),
        group="sertoli",
    ),
    Parameter(
        "K_FSH_inhb",
        4.0 * 4.5,
        "IU/L",
        "FSH for half-maximal stimulation of inhibin-B output",
        Derived(
            "derived: with a 75% FSH-independent share (Matthiesson2003), saturating FSH can "
            "double inhibin B, as 3000 IU rFSH did within 72 h in normal men (Anawalt1996), only "
            "if K >= 4 x the reference FSH; the smallest such K",
            refs=("Matthiesson2003", "Anawalt1996"),
        ),
        group="sertoli",
    ),
    Parameter(
        "k_sertoli",
        1.0,
        "1/day",
        "rate at which Sertoli (inhibin B) output follows FSH",
        Derived(
            "derived: inhibin fell within 1-2 days of a GnRH antagonist (NalGlu)", refs=("NalGlu",)
        ),
        group="sertoli",
    ),
    Parameter(
        "K_FSH_sertoli",
        4.5,
        "IU/L",
        "FSH for half-maximal Sertoli stimulation",
        Assumption("assumption: half-maximal at the reference FSH"),
        group="sertoli",
    ),
    Parameter(
        "ke_InhB",
        rate_from_half_life(75.0 * MINUTE_DAYS),
        "1/day",
        "inhibin B elimination",
        Literature(("Christensen1994",), "Christensen1994 (75 min late phase; monkey)"),
        group="sertoli",
    ),
    # ---------------------------------------------------------------- estradiol
    Parameter(
        "CL_E2",
        1600.0,
        "L/day",
        "estradiol metabolic clearance in men",
        Literature(("mdwiki_E2",), "mdwiki_E2 (secondary)"),
        group="estradiol",
    ),
    Parameter(
        "ke_E2",
        rate_from_half_life(70.0 * MINUTE_DAYS),
        "1/day",
        "estradiol elimination",
        Literature(("E2_halflife",), "E2_halflife (70 min)"),
        group="estradiol",
    ),
    Parameter(
        "mw_E2",
        272.38,
        "g/mol",
        "molecular weight of estradiol",
        Literature(("PubChem",), "PubChem"),
        group="estradiol",
    ),
    Parameter(
        "arom_bmi_slope",
        1.0 / 15.0,
        "m**2/kg",
        "relative increase of aromatization per BMI unit above 25",
        Derived(
            "derived: E2 doubled at >160% ideal body weight (Kley1980), taken as BMI 40; "
            "Schneider1979",
            refs=("Kley1980", "Schneider1979"),
        ),
        group="estradiol",
    ),
    # ---------------------------------------------------------------- SHBG
    Parameter(
        "ke_SHBG",
        rate_from_half_life(7.0),
        "1/day",
        "SHBG turnover",
        Literature(("NHS_SHBG",), "NHS_SHBG (t1/2 ~7 d, secondary)"),
        group="shbg",
    ),
    Parameter(
        "shbg_bmi_slope",
        -0.43,
        "nmol/L/(kg/m**2)",
        "SHBG change per BMI unit",
        Literature(("Strain1994",), "Strain1994 (+0.43 nmol/L per BMI unit lost)"),
        group="shbg",
    ),
    Parameter(
        "shbg_age_slope",
        (42.4 - 35.0) / (77.0 - 35.0),
        "nmol/L/year",
        "SHBG rise per year of age above 35",
        Derived("derived: 35 nmol/L at 35 y to 42.4 at ~77 y (Yeap_HIMS)", refs=("Yeap_HIMS",)),
        group="shbg",
    ),
    Parameter(
        "shbg_androgen_exp",
        calibrated_value("shbg_androgen_exp"),
        "1",
        "elasticity of SHBG production to free testosterone at high androgen (free T x times "
        "the man's own; the law (2 / (1 + x^k))^e tends to (1 + rise) x^-exp)",
        Calibrated(
            target="Plymate1983: SHBG -34% on TE 200 mg every 2 wk for 3 months",
            start=0.55,
            lower=0.01,
            upper=2.0,
            stage="foundation",
            refs=("Plymate1983",),
        ),
        group="shbg",
    ),
    Parameter(
        "shbg_castrate_rise",
        0.1,
        "1",
        "largest fractional rise of SHBG when androgens vanish (e = log2(1 + rise) in the "
        "SHBG law)",
        Assumption(
            "chosen inside the range the data allow: Smith2007ADT, free-T fraction x0.89 after 48 "
            "weeks castrate on leuprolide, "
            "which the model's binding gives at unchanged SHBG (x0.886); the SEs allow SHBG "
            "x0.85-1.2, and 0.1 is inside that range; OrchiectomySHBG saw no significant change "
            "in 4 weeks",
            refs=("Smith2007ADT", "OrchiectomySHBG"),
        ),
        group="shbg",
    ),
    # ---------------------------------------------------------------- spermatogenesis
    Parameter(
        "sperm_duration",
        calibrated_value("sperm_duration"),
        "day",
        "germ-cell development, spermatogonium to spermatozoon (fitted inside 64-76 d)",
        Calibrated(
            target="Handelsman2005 and Liu2006 recovery times (targets 5 and 6), bounded "
            "by the published range: Misell2006 42-76 d (heavy water), 64-74 d (Heller and "
            "Clermont; the source article 72-74 d)",
            start=75.9,
            lower=64.0,
            upper=76.0,
            stage="spermatogenesis",
            refs=("Handelsman2005", "Misell2006", "Liu2006"),
            bounds_note="64-74 d (article 72-74; heavy water 42-76)",
        ),
        bsv_cv=0.13,
        bsv_source=(
            "derived from Misell 2006's range 42-76 d read as +/- 2 SD about the fitted duration"
        ),
        group="spermatogenesis",
    ),
    Parameter(
        "epididymal_transit",
        1.1 + 3.8 + 5.6,
        "day",
        "epididymal transit",
        Literature(("Amann1976",), "Amann1976 (rhesus caput + corpus + cauda)"),
        group="spermatogenesis",
    ),
    Parameter(
        "K_ITT_sperm",
        calibrated_value("K_ITT_sperm"),
        "1",
        "ITT (fraction of baseline) for half-maximal germ-cell support",
        Calibrated(
            target="Handelsman2005 suppression times on TE 200 mg weekly (target 5); WHO1990 "
            "time to azoospermia",
            start=0.0625,
            lower=0.005,
            upper=2.0,
            stage="spermatogenesis",
            refs=("Handelsman2005", "WHO1990"),
        ),
        **_fitted_spread("K_ITT_sperm"),
        group="spermatogenesis",
    ),
    Parameter(
        "germ_death_max",
        calibrated_value("germ_death_max"),
        "1/day",
        "germ-cell loss rate without androgen/FSH support",
        Calibrated(
            target="Handelsman2005 times to < 10/5/3/1 M/mL on TE 200 mg weekly (target 5); "
            "WHO1990 time to azoospermia",
            start=0.138,
            lower=0.005,
            upper=2.0,
            stage="spermatogenesis",
            refs=("Handelsman2005", "WHO1990"),
        ),
        group="spermatogenesis",
    ),
    Parameter(
        "germ_death_K",
        0.5,
        "1",
        "germ-cell support (fraction of the reference) at which loss is half-maximal",
        Assumption(
            "assumption: loss half-maximal at half the reference support (also drives stem-cell "
            "loss, see k_ssc_loss)"
        ),
        group="spermatogenesis",
    ),
    Parameter(
        "germ_death_hill",
        4.0,
        "1",
        "steepness of germ-cell loss as support fails",
        Assumption("assumption: steep, so the reference man loses few germ cells"),
        group="spermatogenesis",
    ),
    Parameter(
        "w_FSH_sperm",
        calibrated_value("w_FSH_sperm"),
        "1",
        "share of germ-cell support that depends on FSH (rest on intratesticular T)",
        Calibrated(
            target="Hsieh2013: semen unchanged on TRT plus hCG 500 IU every other day "
            "(FSH suppressed, intratesticular T kept up)",
            start=0.140,
            lower=0.02,
            upper=0.8,
            stage="spermatogenesis",
            refs=("Hsieh2013",),
        ),
        group="spermatogenesis",
    ),
    Parameter(
        "ssc_K_sat",
        calibrated_value("ssc_K_sat"),
        "1",
        "stem-cell reserve (x reference) at which germ-cell entry is half its maximum "
        "(Sertoli carrying capacity)",
        Calibrated(
            target="Handelsman2005 recovery plateau about 85% of own baseline (target 5)",
            start=0.988,
            lower=0.02,
            upper=1.0,
            stage="spermatogenesis",
            refs=("Handelsman2005",),
            bounds_note="<= 1: the reference reserve at least half-saturates entry",
        ),
        group="spermatogenesis",
    ),
    Parameter(
        "k_ssc_loss",
        calibrated_value("k_ssc_loss"),
        "1/day",
        "loss rate of the stem-cell reserve when germ-cell support has failed",
        Calibrated(
            target="Handelsman2005 recovery plateau about 85% of own baseline and recovery "
            "times after 1 y of TE 200 mg weekly (target 5)",
            start=0.00252,
            lower=1e-5,
            upper=0.1,
            stage="spermatogenesis",
            refs=("Handelsman2005",),
        ),
        **_fitted_spread("k_ssc_loss"),
        group="spermatogenesis",
    ),
    Parameter(
        "k_ssc_renew",
        calibrated_value("k_ssc_renew"),
        "1/day",
        "self-renewal rate of a depleted stem-cell reserve (logistic, towards the man's ceiling)",
        Calibrated(
            target="Handelsman2005 recovery times 3/5/10/20 M/mL and plateau; Liu2006 median "
            "recovery times (targets 5 and 6)",
            start=0.00377,
            lower=1e-4,
            upper=0.5,
            stage="spermatogenesis",
            refs=("Handelsman2005", "Liu2006"),
        ),
        **_fitted_spread("k_ssc_renew"),
        group="spermatogenesis",
    ),
    Parameter(
        "testis_volume_ref",
        20.0,
        "mL",
        "testis volume of the reference man (reserve ceiling 1)",
        Assumption(
            "assumption: the default man, between the infertile (15 mL) and fertile (22.5 mL) "
            "medians of Boeri2021; the ceiling scales with the man's volume (germ cells are most "
            "of the tubule mass, TestisMorphometry1982)",
            refs=("Boeri2021", "TestisMorphometry1982"),
        ),
        group="spermatogenesis",
    ),
    Parameter(
        "ssc_age_onset",
        35.0,
        "year",
        "age from which the stem-cell reserve declines",
        Assumption(
            "assumption: the reference man's age, the middle of Johnson1984's younger group",
            refs=("Johnson1984",),
        ),
        group="spermatogenesis",
    ),
    Parameter(
        "ssc_age_rate",
        math.log(1.3) / 30.0,
        "1/year",
        "relative decline of the stem-cell reserve per year of age above ssc_age_onset",
        Derived(
            "derived from Johnson1984: daily sperm production about 30% higher at 21-50 y (n 89) "
            "than at 51-80 y (n 43), group means about 30 y apart: ln(1.3)/30",
            refs=("Johnson1984",),
        ),
        group="spermatogenesis",
    ),
    Parameter(
        "ssc_primary_factor",
        0.5,
        "1",
        "stem-cell reserve ceiling in primary testicular dysfunction, x a healthy testis of "
        "the same volume",
        Assumption(
            "assumption (no human stem-cell counts found; primary failure lowers germ-cell "
            "numbers beyond what volume shows)"
        ),
        group="spermatogenesis",
    ),
    Parameter(
        "germ_volume_share",
        1.0 - 14.3 / 23.2,
        "1",
        "share of testis volume that follows germ-cell mass",
        Derived(
            "derived from ShankaraNarayana2020: mean testis volume 14.3 mL in current androgen "
            "users vs 23.2 mL in non-users (1 - 14.3/23.2; cross-sectional, includes "
            "supraphysiological doses)",
            refs=("ShankaraNarayana2020",),
        ),
        group="spermatogenesis",
    ),
]

# Metabolic factors (the source article's obesity and insulin resistance; hpgsim.model.metabolic
# applies them). Inflammation is not modelled: see hpgsim.model.metabolic.INFLAMMATION_NOTE.
PARAMETERS += [
    Parameter(
        "insulin_shbg_coef",
        30.1,
        "nmol/L*uIU/mL",
        "SHBG change per unit of 1 / fasting insulin (SHBG = 13.1 + 30.1 / insulin)",
        Literature(
            ("Strain1994",),
            "Strain1994 (70 weight-stable men, BMI 20.7-94: inverse hyperbolic SHBG-insulin "
            "relation, J Clin Endocrinol Metab 79:1173)",
        ),
        group="metabolic",
    ),
    Parameter(
        "insulin_bmi_slope",
        1.0,
        "uIU/mL/(kg/m**2)",
        "fasting insulin rise per BMI unit in weight-stable men",
        Literature(
            ("Strain1994",), "Strain1994 (insulin increasing 1 uU/mL per unit increase in BMI)"
        ),
        group="metabolic",
    ),
    Parameter(
        "insulin_ref",
        10.0,
        "uIU/mL",
        "fasting insulin of the reference man (BMI 25) at which insulin leaves SHBG unchanged",
        Assumption(
            "assumption: a typical fasting insulin of a non-diabetic man; it only sets which "
            "insulin "
            "is 'as predicted by BMI'"
        ),
        group="metabolic",
    ),
]


def _resolved(rows: list[Parameter]) -> list[Parameter]:
    """Calibrated rows not yet fitted (no value in calibrated.json) take their start."""
    return [
        dataclasses.replace(row, value=row.provenance.start)
        if isinstance(row.provenance, Calibrated) and math.isnan(row.value)
        else row
        for row in rows
    ]


for _family in FAMILIES:  # each drug family's rows and the citations only they name
    PARAMETERS += _family.parameters
    _clash = set(CITATIONS) & set(_family.citations)
    if _clash:  # pragma: no cover - a family may not redefine a citation
        raise ValueError(f"drug family {_family.name!r}: citation keys already defined: {_clash}")
    CITATIONS.update(_family.citations)

PARAMETERS += woman_parameters.PARAMETERS  # the post-menopausal woman's own rows
_clash = set(CITATIONS) & set(woman_parameters.CITATIONS)
if _clash:  # pragma: no cover - the woman's rows may not redefine a citation
    raise ValueError(f"the woman's rows: citation keys already defined: {_clash}")
CITATIONS.update(woman_parameters.CITATIONS)

PARAMETERS[:] = _resolved(PARAMETERS)


def _check(rows: list[Parameter]) -> None:
    """The table's invariants; ValueError naming the row and what is wrong."""
    seen: set[str] = set()
    cited: set[str] = set()
    for row in rows:
        if row.name in seen:
            raise ValueError(f"parameter {row.name!r}: defined twice")
        seen.add(row.name)
        if row.unit != "1":
            try:
                ureg.parse_units(row.unit)
            except Exception as exc:
                raise ValueError(
                    f"parameter {row.name!r}: unit {row.unit!r} does not parse in pint ({exc})"
                ) from None
        for key in row.refs:
            if key not in CITATIONS:
                raise ValueError(
                    f"parameter {row.name!r}: citation key {key!r} is not in CITATIONS"
                )
        cited.update(row.refs)
        prov = row.provenance
        if isinstance(prov, Calibrated) and not prov.lower <= prov.start <= prov.upper:
            raise ValueError(
                f"parameter {row.name!r}: start {prov.start} outside its bounds "
                f"[{prov.lower}, {prov.upper}]"
            )
        if (row.bsv_cv is None) != (row.bsv_source is None):
            raise ValueError(f"parameter {row.name!r}: a between-man CV needs its source")
    unused = sorted(set(CITATIONS) - cited)
    if unused:
        raise ValueError(f"CITATIONS: keys no parameter cites: {unused}")


_check(PARAMETERS)
_BY_NAME = {p.name: p for p in PARAMETERS}


def typical_values() -> dict[str, float]:
    """Typical values of all parameters, by name (units as in :data:`PARAMETERS`)."""
    return {p.name: p.value for p in PARAMETERS}


def calibrated_rows(stage: str | None = None) -> dict[str, Calibrated]:
    """The calibrated parameters (of one fitter ``stage``, or all), name -> provenance with
    start, bounds and target, in table order: what the fitter fits."""
    return {
        p.name: p.provenance
        for p in PARAMETERS
        if isinstance(p.provenance, Calibrated) and (stage is None or p.provenance.stage == stage)
    }


def on_bound(tol: float = ON_BOUND_LOG_TOLERANCE) -> dict[str, str]:
    """Calibrated parameters whose fitted value sits on a fit bound
    (:meth:`Calibrated.bound_hit`): name -> ``"lower"`` or ``"upper"``. Such a value is set by
    the bound (an assumption), not by the data; the model doc and ``hpgsim model show`` say so."""
    hits = {
        name: prov.bound_hit(_BY_NAME[name].value, tol) for name, prov in calibrated_rows().items()
    }
    return {name: side for name, side in hits.items() if side is not None}


def parameter_table() -> list[dict[str, object]]:
    """The table as plain rows (for CSV/JSON output)."""
    bound = on_bound()
    return [
        {
            "name": p.name,
            "value": p.value,
            "unit": p.unit,
            "meaning": p.meaning,
            "provenance": type(p.provenance).__name__.lower(),
            "source": p.source,
            "refs": list(p.refs),
            "calibrated_to": p.calibrated_to,
            "on_bound": bound.get(p.name),
            "bsv_cv": p.bsv_cv,
            "group": p.group,
        }
        for p in PARAMETERS
    ]
