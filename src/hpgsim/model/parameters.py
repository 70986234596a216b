"""The parameter table of the HPG-axis model: one record per parameter with its value, unit,
meaning, provenance and between-man variability.

Every number the model uses is a :class:`Parameter` in :data:`PARAMETERS`, and its provenance
says where the number comes from, as one of:

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

import json
import math
from dataclasses import dataclass
from importlib import resources

from hpgsim.units import ureg

__all__ = [
    "CALIBRATED",
    "CAL_FILE",
    "CITATIONS",
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


@dataclass(frozen=True)
class Literature:
    """A published value: the citation keys (:data:`CITATIONS`) and what was read where."""

    refs: tuple[str, ...]
    note: str

    @property
    def text(self) -> str:
        return self.note


@dataclass(frozen=True)
class Derived:
    """Arithmetic on sourced numbers: the expression (in words and symbols) and its sources."""

    expr: str
    refs: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return self.expr


@dataclass(frozen=True)
class Assumption:
    """No published value: the reason for the number chosen (sources it leans on, if any)."""

    reason: str
    refs: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return self.reason


@dataclass(frozen=True)
class Calibrated:
    """Fitted by the package's fitter.

    Attributes:
        target: the published target(s) it is fitted to.
        start: the fit's starting value, in the parameter's unit.
        lower, upper: the fit's bounds (physiological limits; the fit is on log values).
        stage: the fitter's stage (``foundation``, ``restoration``, ``spermatogenesis``).
        refs: citation keys named by the target.
        bounds_note: why a bound is where it is, where that is not obvious.
    """

    target: str
    start: float
    lower: float
    upper: float
    stage: str
    refs: tuple[str, ...] = ()
    bounds_note: str = ""

    @property
    def text(self) -> str:
        return "calibrated"


Provenance = Literature | Derived | Assumption | Calibrated


@dataclass(frozen=True)
class Parameter:
    """One model parameter.

    Attributes:
        name: identifier used in the model spec (``hpgsim.model.axis``, the drug modules).
        value: typical value, in ``unit`` (a calibrated one: the fitted value).
        unit: unit of ``value``, pint-parsable (``1`` = dimensionless; days for time).
        meaning: what the parameter is, in one line.
        provenance: where the value comes from (:data:`Provenance`).
        bsv_cv: between-man coefficient of variation (log-normal) that populations sample;
            ``None`` where the model does not vary it.
        bsv_source: where that variability comes from.
        group: the model part it belongs to.
    """

    name: str
    value: float
    unit: str
    meaning: str
    provenance: Provenance
    bsv_cv: float | None = None
    bsv_source: str | None = None
    group: str = ""

    @property
    def source(self) -> str:
        """The provenance as display text (the note, expression or reason; "calibrated")."""
        return self.provenance.text

    @property
    def calibrated_to(self) -> str | None:
        """The target of a calibrated parameter, else ``None``."""
        return self.provenance.target if isinstance(self.provenance, Calibrated) else None

    @property
    def refs(self) -> tuple[str, ...]:
        """The citation keys the provenance names."""
        return self.provenance.refs


CITATIONS: dict[str, str] = {
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
    "Nankin1987": "Nankin HR. Hormone kinetics after intramuscular testosterone cypionate. "
    "Fertil Steril 1987;47(6):1004-9",
    "Leder2004": "Leder BZ et al. Anastrozole 1 mg daily for 12 weeks in men 62-74 y with low or "
    "borderline-low T. PMID 15001605",
    "Grunewald2013": "Grunewald S et al. Inhibin B in 2448 men with normal semen. Reproduction "
    "145:237",
    "Veldhuis1987LH": "LH disappearance after hLH infusion, single exponential t1/2 136 min, "
    "4 normal men (scilit.net 324b1a54a439645da66769e9ad97a306)",
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
    "Kley1980": "Kley HK et al. Enhanced conversion of androstenedione to estrogens in obese "
    "males (E2 21.7 -> 43.9 pg/mL, 90-120% vs >160% of ideal body weight; scilit)",
    "Schneider1979": "Schneider G et al. Increased estrogen production in obese men. "
    "J Clin Endocrinol Metab 1979;48:633. PMID 429508",
    "Dukes1996": "Dukes M et al. Preclinical pharmacology of anastrozole. J Steroid Biochem "
    "Mol Biol 1996;58:439 (IC50 15 nM, human placental aromatase)",
    "Mauras2009": "Anastrozole pharmacokinetics in 42 pubertal boys, 1 mg/day for 14 d (CL/F "
    "1.54 L/h, t1/2 46.8 h). J Clin Endocrinol Metab 2009;94:2975. PMID 19470631",
    "ArimidexLabel": "Arimidex (anastrozole) prescribing information as quoted by medlabglobal: "
    "Tmax within 2 h, steady state by day 7, 85% bioavailability",
    "Geisler2002": "Geisler J et al. Letrozole vs anastrozole: total-body aromatization and "
    "plasma estrogens in 12 postmenopausal women. PMID 11821457",
    "AndroGelLabel": "AndroGel 1% prescribing information (NDA 21-015): about 10% of the "
    "applied dose absorbed over 24 h",
    "Swerdloff2000": "Swerdloff RS et al. Long-term pharmacokinetics of transdermal testosterone "
    "gel in hypogonadal men (steady state 48-72 h; bioavailability 9-14%)",
    "NebidoTU": "Testosterone undecanoate IM: terminal t1/2 33.9 d in castor oil "
    "(mdwiki.org/wiki/Testosterone_undecanoate); Tmax 7 d for Nebido 1000 mg (PMC10072151 "
    "table 3)",
    "SCvsIM": "SC vs IM testosterone in transgender men, crossover pilot (14 men): "
    "dose-normalised AUC 1.7 (SC) vs 1.9 (IM) nmol*day/L/mg",
    "PubChem": "PubChem molecular weights: testosterone 288.42, testosterone cypionate 412.6, "
    "enanthate 400.6, undecanoate 456.7, estradiol 272.38, anastrozole 293.4 g/mol",
    "Hoffman1982": "Hoffman AR, Crowley WF. Pulsatile low-dose GnRH in 6 men with idiopathic "
    "hypogonadotropic hypogonadism. N Engl J Med 307:1237 (baseline T 77 +/- 13 ng/dL)",
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
    "LHRH_IV_PK": "Pharmacokinetics of IV LH-RH in men, 26 men, 1-20 ug: t1/2 2.6 +/- 0.4 to "
    "5.2 +/- 1.0 min; LH AUC no higher above 2.5 ug (discovery.researcher.life)",
    "GnRH_SCvsIV": "Pharmacokinetics of GnRH: SC vs IV, 14 hypogonadotropic patients, 3.17 ug/h "
    "for 6 h: plateau 67.5 (SC) vs 102.4 pg/mL (IV) (scilit a9762616545b19ecfe3a3823e7b0a428)",
    "GnRHContinuous3h": "Testicular steroid response to continuous and pulsatile IV LH-RH in 18 "
    "normal men: 1 ug/min for 3 h raised mean LH 3-4-fold, T up to 1.5x (scilit 349ec73d)",
    "Belchetz1978": "Belchetz PE et al. Science 1978;202:631, PMID 100883: hourly GnRH pulses "
    "restore gonadotropin secretion in lesioned monkeys; continuous infusion does not",
    "Hurley1987": "Hurley DM et al. JCEM 1987: SC GnRH 2.5-10 ug in 5 women with hypothalamic "
    "amenorrhoea: plasma peak 5-10 min, disappearance t1/2 24 (18-30) min; LH peak 20-30 min "
    "later, 13.2 +/- 2.2 IU/L after 10 ug SC",
    "Happ1978": "Happ J et al. Fertil Steril 1978;30:666: 100 ug SC GnRH matched 25 ug IV; LH "
    "raised 7-9 h; 5 ug IV leuprolide-structure analog matched 25 ug IV GnRH",
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
    "LeuprolideRat": "Prolonged release of LH and FSH after [D-Leu6, desGly-NH2 10]-LH-RH "
    "ethylamide in immature male rats: potency 20-60x LH-RH for LH (scilit 95bdaab7)",
    "hCG_MCR": "Metabolism of HCG in man: MCR 3.38 L/day in men, ~1/10 of LH; IV t1/2 5.1 h and "
    "23.6 h (paperexplained.cn abstract)",
    "hCG_SwissLabel": "Pregnyl-type Swiss label (ch.oddb.org 33001): Tmax 9-12 h IM; SC "
    "bioavailability about 35% lower",
    "hCG6000": "Single 6000 IU hCG IM in 7 normal men: T x1.6 within 4 h, delayed peak x2.4 at "
    "72-96 h, baseline by 144 h (scilit d6480223af46105f03a8ced3924bc7c5)",
    "hCG1500": "Leydig cell responsiveness to single hCG 1500 IU IM: T max 1315 +/- 309 ng/dL "
    "at 72 h in 7 normal men (scilit f88e906d)",
    "GonalF": "Gonal-f (follitropin alfa) SmPC: CL 0.6 L/h, Vss 10 L, SC bioavailability ~70% "
    "(rxreasoner); SC t1/2 32-41 h in healthy men (Lexicomp via medicine.com)",
    "leCotonnec1993": "le Cotonnec JY et al. Hum Reprod 1993;8:1604, PMID 8300814: urinary FSH "
    "150 IU IM/SC in 12 men, absorption t1/2 ~3 h",
    "Helo2017": "Helo S et al. BJU Int 2017, PMID 27511863: 15 hypogonadal men on clomiphene 25 "
    "mg daily (median 25.9 mo): ENC 2.2, ZUC 44.0 ng/mL (medians); T 205 -> 488 ng/dL, E2 17 "
    "-> 34 pg/mL, LH 4.0 -> 6.1 IU/L",
    "Miller2019": "Miller GD et al. JCEM 2019, PMID 30295816: 12 healthy men 25-38 y, "
    "clomiphene 50 mg daily for 30 days: T +146%, LH +177%, FSH +170%",
    "ClomidLabel": "clomiphene SmPC (rxreasoner): 14C excretion 0.73%/day of the dose at days "
    "31-35 and 0.45%/day at days 42-45",
    "Kaminetsky2013": "enclomiphene 12.5-50 mg daily for 14 d in men with low T: rapidly "
    "absorbed, elimination t1/2 about 10 h (J Sex Med 2013 abstract)",
    "Ghobadi": "Ghobadi C et al. PAGE abstract 1420: clomiphene is 62% En- and 38% Zu-isomer",
    "Young1991": "Young RL et al. Int J Fertil 1991;36:291, PMID 1683658: zuclomiphene is "
    "estrogenic (LH suppression Zu >> CC >> estradiol in castrate rats)",
    "TamoxifenLabel": "tamoxifen label: 20 mg daily Css 122 ng/mL tamoxifen, 353 ng/mL "
    "N-desmethyl; t1/2 5-7 d and ~14 d; Tmax ~5 h (drugcentral); V/F ~1620 L (Swiss label)",
    "Stearns2003": "Stearns V et al. JNCI 2003, PMID 14652237: endoxifen 12.4 ng/mL on "
    "tamoxifen (women)",
    "Maximov2014": "ER relative binding affinity (E2 = 100): tamoxifen 2.8, endoxifen 181 "
    "(Maximov et al. 2014, PMID 25258390, as quoted by Wikipedia)",
    "TamoxifenOligo": "Hormonal effects of tamoxifen in oligospermic men (Clin Endocrinol; "
    "scilit 7d97428c): 10 mg daily, 9 men: LH 1.7 -> 4.1 IU/L, androgens 25 -> 38 nmol/L, E2 "
    "185 -> 631 pmol/L",
}


def _hl(days: float) -> float:
    """First-order rate (1/day) from a half-life in days."""
    return math.log(2.0) / days


_MIN = 1.0 / 1440.0  # one minute, in days
_H = 1.0 / 24.0  # one hour, in days

# Values fitted by scripts/calibrate.py; the file records the targets and the fit.
CAL_FILE = resources.files("hpgsim").joinpath("data/calibrated.json")


def _load_calibrated() -> dict[str, float]:
    try:
        data = json.loads(CAL_FILE.read_text())
    except FileNotFoundError:  # before the first calibration run
        return {}
    return {k: float(v) for k, v in data["values"].items()}


CALIBRATED: dict[str, float] = _load_calibrated()


_NOT_FITTED = math.nan


def calibrated_value(name: str) -> float:
    """Fitted value of ``name`` from ``calibrated.json``; before the first calibration run, NaN
    here and the row's start when the table is built (:func:`_resolved`)."""
    return CALIBRATED.get(name, _NOT_FITTED)


def _tmax_rate(k_slow: float, tmax: float) -> float:
    """Faster rate k1 of a two-step first-order chain whose output peaks at ``tmax``.

    Solves ln(k1/k2)/(k1-k2) = tmax for k1 > k2 by bisection (units 1/day and days).
    """
    lo, hi = k_slow * (1.0 + 1e-9), 1e4
    for _ in range(200):
        mid = math.sqrt(lo * hi)
        t = math.log(mid / k_slow) / (mid - k_slow)
        lo, hi = (lo, mid) if t < tmax else (mid, hi)
    return math.sqrt(lo * hi)


# Typical adult body surface area used to turn per-m2 clearances into per-person ones.
_BSA = 1.9
_CL_T = 516.0 * _BSA  # L/day
_KE_T = 0.0901 * 24.0  # 1/day
_KE_ANA = math.log(2.0) / (46.8 / 24.0)
_TU_SLOW = _hl(33.9)

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
            refs=("Bhasin2001",),
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
        1.0 / _H,
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
        "fb_T_gain",
        calibrated_value("fb_T_gain"),
        "1",
        "androgen (free T) feedback: maximal disinhibition minus 1 when free T is zero",
        Calibrated(
            target="Pitteloud2008 LH 34.6 IU/L with steroids blocked and 19.0 IU/L with "
            "E2 added back (T absent); Coviello2005 LH 5% of baseline on TE (target 4); "
            "testolactone-study LH fall with T on aromatase block",
            start=6.0,
            lower=0.5,
            upper=100.0,
            stage="foundation",
            refs=("Pitteloud2008", "Coviello2005"),
        ),
        group="hypothalamus",
    ),
    Parameter(
        "fb_T_hill",
        calibrated_value("fb_T_hill"),
        "1",
        "Hill exponent of free-T feedback",
        Calibrated(
            target="Coviello2005 LH 5% (target 4); Leder2004 (target 7)",
            start=2.0,
            lower=0.5,
            upper=6.0,
            stage="foundation",
            refs=("Coviello2005", "Leder2004"),
        ),
        group="hypothalamus",
    ),
    Parameter(
        "fb_E_gain",
        calibrated_value("fb_E_gain"),
        "1",
        "estradiol (ER signal) feedback: maximal disinhibition minus 1 at each of the two sites",
        Calibrated(
            target="Leder2004 LH 5.1 -> 7.9 IU/L under anastrozole (target 7); Pitteloud2008",
            start=1.5,
            lower=0.05,
            upper=20.0,
            stage="foundation",
            refs=("Leder2004", "Pitteloud2008"),
        ),
        group="hypothalamus",
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
            refs=("Leder2004",),
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
        _hl(2.0 * _H),
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
        _hl(30.0 * _MIN),
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
            "(LupronLabel; target 10) and at week 48 (Smith2007ADT); the fit sits on its lower "
            "bound, t1/2 60 d (an assumption, so that the axis recovers after a depot); faster "
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
            target="Pitteloud2008: LH 34.6 IU/L with T and E2 removed, 17.4 and 19.0 "
            "IU/L with T or E2 added back",
            start=9.0,
            lower=1.5,
            upper=50.0,
            stage="foundation",
            refs=("Pitteloud2008",),
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
        _hl(136.0 * _MIN),
        "1/day",
        "LH elimination",
        Literature(("Veldhuis1987LH",), "Veldhuis1987LH (t1/2 136 min)"),
        group="pituitary",
    ),
    Parameter(
        "V_LH",
        56.2e-3 * 1440.0 / _hl(136.0 * _MIN),
        "L",
        "LH distribution volume",
        Derived(
            "derived: immunoactive MCR 56.2 mL/min (Veldhuis1986) / ke_LH", refs=("Veldhuis1986",)
        ),
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
        "ke_FSH",
        _hl(274.0 * _MIN),
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
        _hl(75.0 * _MIN),
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
        _hl(70.0 * _MIN),
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
        _hl(7.0),
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
        Derived(
            "derived: Smith2007ADT, free-T fraction x0.89 after 48 weeks castrate on leuprolide, "
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
            refs=("Handelsman2005", "Misell2006"),
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
        bsv_cv=0.5,
        bsv_source=(
            "assumption (no published value): the spread that lets some men on TE stay "
            "oligozoospermic (WHO 1990: 65% azoospermic); to be fitted to Handelsman 2005 / Liu "
            "2006 population results"
        ),
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
        bsv_cv=0.5,
        bsv_source=(
            "assumption (no published value); to be fitted to Liu 2006's recovery probabilities"
        ),
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
            refs=("Handelsman2005",),
        ),
        bsv_cv=0.5,
        bsv_source=(
            "assumption (no published value); to be fitted to Liu 2006's recovery probabilities"
        ),
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
    # ---------------------------------------------------------------- drugs: testosterone esters
    Parameter(
        "frac_T_cypionate",
        288.42 / 412.6,
        "1",
        "testosterone mass per mg of cypionate",
        Literature(("PubChem",), "PubChem"),
        group="drug:testosterone_cypionate",
    ),
    Parameter(
        "ka1_cypionate",
        calibrated_value("ka1_cypionate"),
        "1/day",
        "release from the IM oil depot (first step)",
        Calibrated(
            target="Nankin1987 TC 200 mg: T peak "
            "~3x on days 2-5, near baseline by day 13-14 (target 2)",
            start=0.5,
            lower=0.01,
            upper=20.0,
            stage="foundation",
            refs=("Nankin1987",),
        ),
        group="drug:testosterone_cypionate",
    ),
    Parameter(
        "ka2_cypionate",
        calibrated_value("ka2_cypionate"),
        "1/day",
        "ester hydrolysis / second absorption step",
        Calibrated(
            target="Nankin1987 (target 2)",
            start=0.12,
            lower=0.01,
            upper=20.0,
            stage="foundation",
            refs=("Nankin1987",),
        ),
        group="drug:testosterone_cypionate",
    ),
    Parameter(
        "frac_T_enanthate",
        288.42 / 400.6,
        "1",
        "testosterone mass per mg of enanthate",
        Literature(("PubChem",), "PubChem"),
        group="drug:testosterone_enanthate",
    ),
    Parameter(
        "ka1_enanthate",
        calibrated_value("ka1_enanthate"),
        "1/day",
        "release from the IM oil depot (first step)",
        Calibrated(
            target="Bhasin2001 nadir T at 25-600 mg/wk (target 3)",
            start=0.25,
            lower=0.01,
            upper=20.0,
            stage="foundation",
            refs=("Bhasin2001",),
        ),
        group="drug:testosterone_enanthate",
    ),
    Parameter(
        "ka2_enanthate",
        calibrated_value("ka2_enanthate"),
        "1/day",
        "second absorption step",
        Calibrated(
            target="Bhasin2001 (target 3)",
            start=0.25,
            lower=0.01,
            upper=20.0,
            stage="foundation",
            refs=("Bhasin2001",),
        ),
        group="drug:testosterone_enanthate",
    ),
    Parameter(
        "F_sc_rel",
        1.7 / 1.9,
        "1",
        "SC bioavailability relative to IM for T esters",
        Literature(("SCvsIM",), "SCvsIM (AUC 1.7 vs 1.9 nmol*day/L/mg)"),
        group="drug:testosterone_enanthate",
    ),
    Parameter(
        "frac_T_undecanoate",
        288.42 / 456.7,
        "1",
        "testosterone mass per mg of undecanoate",
        Literature(("PubChem",), "PubChem"),
        group="drug:testosterone_undecanoate",
    ),
    Parameter(
        "ka2_undecanoate",
        _TU_SLOW,
        "1/day",
        "slow (terminal) absorption of TU in castor oil",
        Literature(("NebidoTU",), "NebidoTU (terminal t1/2 33.9 d)"),
        group="drug:testosterone_undecanoate",
    ),
    Parameter(
        "ka1_undecanoate",
        _tmax_rate(_TU_SLOW, 7.0),
        "1/day",
        "fast absorption step of TU",
        Derived("derived: Tmax 7 d with the terminal rate (NebidoTU)", refs=("NebidoTU",)),
        group="drug:testosterone_undecanoate",
    ),
    Parameter(
        "F_gel",
        0.10,
        "1",
        "fraction of applied gel testosterone absorbed",
        Literature(
            ("AndroGelLabel", "Swerdloff2000"), "AndroGelLabel (~10%); Swerdloff2000 (9-14%)"
        ),
        group="drug:testosterone_gel",
    ),
    Parameter(
        "ka_gel",
        1.2,
        "1/day",
        "absorption from the skin reservoir",
        Derived(
            "derived: steady state within 48-72 h of daily application (Swerdloff2000) -> 95% by "
            "2.5 d",
            refs=("Swerdloff2000",),
        ),
        group="drug:testosterone_gel",
    ),
    # ---------------------------------------------------------------- drugs: anastrozole
    Parameter(
        "CL_ana",
        1.54 * 24.0,
        "L/day",
        "anastrozole apparent clearance CL/F",
        Literature(("Mauras2009",), "Mauras2009 (1.54 L/h, pubertal boys)"),
        group="drug:anastrozole",
    ),
    Parameter(
        "ke_ana",
        _KE_ANA,
        "1/day",
        "anastrozole elimination",
        Literature(("Mauras2009",), "Mauras2009 (t1/2 46.8 h); label ~50 h"),
        group="drug:anastrozole",
    ),
    Parameter(
        "ka_ana",
        _tmax_rate(_KE_ANA, 2.0 * _H),
        "1/day",
        "anastrozole oral absorption",
        Derived("derived: Tmax within 2 h (ArimidexLabel)", refs=("ArimidexLabel",)),
        group="drug:anastrozole",
    ),
    Parameter(
        "IC50_ana",
        15e-9 * 293.4 * 1e6,
        "ng/mL",
        "anastrozole concentration for half aromatase inhibition",
        Literature(("Dukes1996",), "Dukes1996 (15 nM x 293.4 g/mol)"),
        group="drug:anastrozole",
    ),
    Parameter(
        "e2_immunoassay_offset",
        calibrated_value("e2_immunoassay_offset"),
        "pg/mL",
        "non-specific signal of estradiol immunoassays at male levels (used only to compare "
        "with immunoassay studies; the model and its output are true, LC-MS-like E2)",
        Calibrated(
            target="Leder2004 E2 26 -> 17 pg/mL and the testolactone study's unchanged E2 "
            "(13.4 vs 13.5 pg/mL) under aromatase block; LC-MS E2 fell to 1.6 pg/mL on letrozole "
            "(PMC5792144)",
            start=8.0,
            lower=0.5,
            upper=20.0,
            stage="foundation",
            refs=("Leder2004",),
        ),
        group="drug:anastrozole",
    ),
    Parameter(
        "Imax_ana",
        calibrated_value("Imax_ana"),
        "1",
        "maximal fractional inhibition of aromatization in men as measured by E2 assays",
        Calibrated(
            target="Leder2004 E2 26 -> 17 pg/mL on 1 mg daily (target 7); Geisler2002 "
            "whole-body 97.3% in women is the upper bound",
            start=0.95,
            lower=0.5,
            upper=0.995,
            stage="foundation",
            refs=("Leder2004", "Geisler2002"),
            bounds_note="Geisler 2002: 97.3% whole-body inhibition at 1 mg/d",
        ),
        group="drug:anastrozole",
    ),
    # ---------------------------------------------------------------- drugs: gonadorelin
    Parameter(
        "ke_gnrh",
        _hl(3.9 * _MIN),
        "1/day",
        "plasma gonadorelin elimination",
        Literature(("LHRH_IV_PK",), "LHRH_IV_PK (t1/2 2.6-5.2 min; midpoint 3.9 min)"),
        group="drug:gonadorelin",
    ),
    Parameter(
        "CL_gnrh",
        3.17e6 / 102.4 / 1000.0 * 24.0,
        "L/day",
        "gonadorelin clearance",
        Derived(
            "derived: IV infusion 3.17 ug/h gave a plateau of 102.4 pg/mL (GnRH_SCvsIV)",
            refs=("GnRH_SCvsIV",),
        ),
        group="drug:gonadorelin",
    ),
    Parameter(
        "ka_gnrh",
        _hl(24.0 * _MIN),
        "1/day",
        "absorption of a subcutaneous gonadorelin dose",
        Literature(
            ("Hurley1987",), "Hurley1987 (SC disappearance t1/2 24 min, absorption-limited)"
        ),
        group="drug:gonadorelin",
    ),
    Parameter(
        "F_gnrh_sc",
        67.5 / 102.4,
        "1",
        "subcutaneous bioavailability of gonadorelin",
        Literature(("GnRH_SCvsIV",), "GnRH_SCvsIV (SC/IV infusion plateau 67.5/102.4 pg/mL)"),
        group="drug:gonadorelin",
    ),
    # ---------------------------------------------------------------- drugs: leuprolide
    Parameter(
        "CL_leu",
        7.6 * 24.0,
        "L/day",
        "leuprolide clearance",
        Literature(("LupronLabel",), "LupronLabel (IV 1 mg in men: 7.6 L/h)"),
        group="drug:leuprolide",
    ),
    Parameter(
        "ke_leu",
        _hl(3.0 * _H),
        "1/day",
        "leuprolide elimination",
        Literature(("LupronLabel",), "LupronLabel (terminal t1/2 ~3 h)"),
        group="drug:leuprolide",
    ),
    Parameter(
        "frac_leu_burst",
        calibrated_value("frac_leu_burst"),
        "1",
        "fraction of a depot dose released in the initial burst",
        Calibrated(
            target="LupronLabel plasma leuprolide ~20 ng/mL at 4 h after 7.5 mg",
            start=0.179,
            lower=0.001,
            upper=0.5,
            stage="restoration",
            refs=("LupronLabel",),
        ),
        group="drug:leuprolide",
    ),
    Parameter(
        "ka_leu_burst",
        _hl(1.77 * _H),
        "1/day",
        "release rate of the burst fraction",
        Literature(
            ("Tornoe2007",),
            "Tornoe2007 (triptorelin depot burst over 1.77 h; assumed for leuprolide)",
        ),
        group="drug:leuprolide",
    ),
    Parameter(
        "ka_leu_depot",
        calibrated_value("ka_leu_depot"),
        "1/day",
        "sustained release rate of the microsphere depot",
        Calibrated(
            target="LupronLabel plasma leuprolide 0.36 ng/mL at 4 weeks after 7.5 mg",
            start=0.0652,
            lower=0.005,
            upper=1.0,
            stage="restoration",
            refs=("LupronLabel",),
        ),
        group="drug:leuprolide",
    ),
    Parameter(
        "leu_potency",
        calibrated_value("leu_potency"),
        "1",
        "leuprolide occupancy of the GnRH receptor relative to gonadorelin, per ng",
        Calibrated(
            target="leuprolide 7.5 mg: castrate T by day 21 (LeuprolideCastration; target "
            "10); bounded below by 5.1 (Happ1978: 5 ug IV analog matched 25 ug IV GnRH, a "
            "saturated acute response) and above by 200 (rats: 20-60x GnRH for LH release, "
            "LeuprolideRat)",
            start=22.3,
            lower=5.1,
            upper=200.0,
            stage="restoration",
            refs=("LeuprolideCastration", "Happ1978", "LeuprolideRat"),
        ),
        group="drug:leuprolide",
    ),
    # ---------------------------------------------------------------- drugs: hCG
    Parameter(
        "CL_hcg",
        3.38,
        "L/day",
        "hCG metabolic clearance in men",
        Literature(("hCG_MCR",), "hCG_MCR"),
        group="drug:hcg",
    ),
    Parameter(
        "ke_hcg",
        _hl(23.6 * _H),
        "1/day",
        "hCG elimination (slow phase, which carries most of the exposure)",
        Literature(
            ("hCG_MCR",),
            "hCG_MCR (IV t1/2 5.1 h and 23.6 h in men; one compartment with the slow phase; "
            "V = CL/ke = 4.8 L, near the 5.2-6 L Vss of r-hCG labels)",
        ),
        group="drug:hcg",
    ),
    Parameter(
        "ka_hcg",
        _tmax_rate(_hl(23.6 * _H), 10.5 * _H),
        "1/day",
        "absorption of an IM or SC hCG dose",
        Derived(
            "derived: Tmax 10.5 h, midpoint of 9-12 h IM (hCG_SwissLabel); SC assumed the same",
            refs=("hCG_SwissLabel",),
        ),
        group="drug:hcg",
    ),
    Parameter(
        "F_hcg_sc",
        0.65,
        "1",
        "SC bioavailability of hCG relative to IM",
        Literature(("hCG_SwissLabel",), "hCG_SwissLabel (about 35% lower)"),
        group="drug:hcg",
    ),
    Parameter(
        "k_leydig_desens",
        calibrated_value("k_leydig_desens"),
        "1/day",
        "uncoupling of hCG-occupied Leydig LH receptors from steroidogenesis (per unit of "
        "receptor occupancy by hCG)",
        Calibrated(
            target="Coviello2005 ITT -25/-7/+26% with hCG 125/250/500 IU SC every other "
            "day on TE 200 mg weekly (target 4), jointly with hcg_potency; the mechanism from the "
            "single-dose studies (hCG6000, hCG1500; reported, not fitted: check_hcg_single_dose)",
            start=1.0,
            lower=0.01,
            upper=20.0,
            stage="restoration",
            refs=("Coviello2005", "hCG6000", "hCG1500"),
        ),
        group="drug:hcg",
    ),
    Parameter(
        "k_leydig_resens",
        1.0 / 1.5,
        "1/day",
        "recoupling of Leydig LH receptors once hCG clears",
        Assumption(
            "assumption: time constant 1.5 days, between a second dose at 24-48 h adding no T "
            "(hCG1500; hCG6000 protocol 2) and full responses to doses 5 days apart (hCG6000 "
            "protocol 3)",
            refs=("hCG1500", "hCG6000"),
        ),
        group="drug:hcg",
    ),
    Parameter(
        "hcg_potency",
        calibrated_value("hcg_potency"),
        "IU/IU",
        "LH-receptor stimulation by 1 IU/L of serum hCG, in IU/L of LH",
        Calibrated(
            target="Coviello2005 ITT -25/-7/+26% with hCG 125/250/500 IU SC every other "
            "day on TE 200 mg weekly (target 4)",
            start=0.4,
            lower=0.01,
            upper=100.0,
            stage="restoration",
            refs=("Coviello2005",),
        ),
        group="drug:hcg",
    ),
    # ---------------------------------------------------------------- drugs: FSH
    Parameter(
        "CL_fsh",
        0.6 * 24.0,
        "L/day",
        "FSH clearance",
        Literature(("GonalF",), "GonalF (0.6 L/h)"),
        group="drug:fsh",
    ),
    Parameter(
        "ke_fsh",
        _hl(36.0 * _H),
        "1/day",
        "apparent elimination of injected FSH",
        Literature(("GonalF",), "GonalF (SC t1/2 32-41 h in healthy men; midpoint)"),
        group="drug:fsh",
    ),
    Parameter(
        "ka_fsh",
        _hl(3.0 * _H),
        "1/day",
        "absorption of an SC or IM FSH dose",
        Literature(("leCotonnec1993",), "leCotonnec1993 (absorption t1/2 ~3 h)"),
        group="drug:fsh",
    ),
    Parameter(
        "F_fsh_sc",
        0.70,
        "1",
        "bioavailability of SC (or IM) FSH",
        Literature(
            ("GonalF", "leCotonnec1993"),
            "GonalF (~70%); leCotonnec1993 found ~100% for urinary FSH",
        ),
        group="drug:fsh",
    ),
    # ---------------------------------------------------------------- drugs: clomiphene
    Parameter(
        "frac_enclomiphene",
        0.62,
        "1",
        "enclomiphene (trans) fraction of clomiphene citrate",
        Literature(("Ghobadi",), "Ghobadi"),
        group="drug:clomiphene_citrate",
    ),
    Parameter(
        "frac_zuclomiphene",
        0.38,
        "1",
        "zuclomiphene (cis) fraction of clomiphene citrate",
        Literature(("Ghobadi",), "Ghobadi"),
        group="drug:clomiphene_citrate",
    ),
    Parameter(
        "ke_enc",
        _hl(10.0 * _H),
        "1/day",
        "enclomiphene elimination",
        Literature(("Kaminetsky2013",), "Kaminetsky2013 (t1/2 about 10 h)"),
        group="drug:clomiphene_citrate",
    ),
    Parameter(
        "CL_enc",
        0.62 * 25.0 / 2.2e-3,
        "L/day",
        "enclomiphene apparent clearance CL/F",
        Derived(
            "derived: 15.5 mg/day of enclomiphene (25 mg clomiphene) at a steady state of 2.2 "
            "ng/mL (Helo2017)",
            refs=("Helo2017",),
        ),
        group="drug:clomiphene_citrate",
    ),
    Parameter(
        "ke_zuc",
        math.log(0.73 / 0.45) / 10.5,
        "1/day",
        "zuclomiphene elimination (t1/2 ~15 d)",
        Derived(
            "derived: 14C excretion fell from 0.73 to 0.45 %/day between days 33 and 43.5 "
            "(ClomidLabel); the slow tail is zuclomiphene's",
            refs=("ClomidLabel",),
        ),
        group="drug:clomiphene_citrate",
    ),
    Parameter(
        "CL_zuc",
        0.38 * 25.0 / 44.0e-3,
        "L/day",
        "zuclomiphene apparent clearance CL/F",
        Derived(
            "derived: 9.5 mg/day of zuclomiphene at a steady state of 44 ng/mL (Helo2017)",
            refs=("Helo2017",),
        ),
        group="drug:clomiphene_citrate",
    ),
    Parameter(
        "ka_serm",
        _tmax_rate(_hl(10.0 * _H), 3.0 * _H),
        "1/day",
        "oral absorption of clomiphene isomers and enclomiphene",
        Assumption(
            "assumption: Tmax 3 h ('rapidly absorbed', Kaminetsky2013)", refs=("Kaminetsky2013",)
        ),
        group="drug:clomiphene_citrate",
    ),
    Parameter(
        "K_enc",
        calibrated_value("K_enc"),
        "ng/mL",
        "plasma enclomiphene that doubles the estradiol needed for the same hypothalamic-"
        "pituitary ER signal (competitive antagonism, Gaddum/Schild)",
        Calibrated(
            target="Miller2019: clomiphene 50 mg daily for 30 days in healthy men, T +146%, "
            "LH +177%, FSH +170% (target 8)",
            start=0.0101,
            lower=0.01,
            upper=100.0,
            stage="restoration",
            refs=("Miller2019",),
        ),
        group="drug:clomiphene_citrate",
    ),
    Parameter(
        "a_zuc",
        0.0,
        "1",
        "intrinsic ER agonism of zuclomiphene, in units of the reference man's estradiol signal "
        "per unit of occupancy ratio (0 = pure antagonist); its affinity is taken equal to "
        "enclomiphene's (K_enc): no affinity of either isomer was found, both bind ER (Young1991)",
        Assumption(
            "assumption: 0. Zuclomiphene is estrogenic in castrate rats (Young1991), but men on "
            "clomiphene at steady state (ZUC 20x ENC) still double T (Helo2017), which any agonism "
            "comparable to their own low estradiol would reverse; no human value was found",
            refs=("Young1991", "Helo2017"),
        ),
        group="drug:clomiphene_citrate",
    ),
    # ---------------------------------------------------------------- drugs: tamoxifen
    Parameter(
        "V_tam",
        1620.0,
        "L",
        "tamoxifen apparent volume V/F",
        Literature(("TamoxifenLabel",), "TamoxifenLabel (Swiss label, terminal V2/F ~1620 L)"),
        group="drug:tamoxifen",
    ),
    Parameter(
        "CL_tam",
        20.0 / 122e-3,
        "L/day",
        "tamoxifen apparent clearance CL/F (t1/2 = 6.9 d with V/F, label 5-7 d)",
        Derived(
            "derived: 20 mg/day at a steady state of 122 ng/mL (TamoxifenLabel)",
            refs=("TamoxifenLabel",),
        ),
        group="drug:tamoxifen",
    ),
    Parameter(
        "ka_tam",
        _tmax_rate(20.0 / 122e-3 / 1620.0, 5.0 * _H),
        "1/day",
        "tamoxifen oral absorption",
        Derived("derived: Tmax ~5 h (TamoxifenLabel)", refs=("TamoxifenLabel",)),
        group="drug:tamoxifen",
    ),
    Parameter(
        "endox_ratio",
        12.4 / 122.0,
        "1",
        "steady-state endoxifen / tamoxifen concentration ratio",
        Literature(
            ("Stearns2003", "TamoxifenLabel"),
            "Stearns2003 (12.4 ng/mL) / TamoxifenLabel (122 ng/mL)",
        ),
        group="drug:tamoxifen",
    ),
    Parameter(
        "k_endox",
        _hl(14.0),
        "1/day",
        "rate at which endoxifen follows tamoxifen (formation via N-desmethyltamoxifen)",
        Assumption(
            "assumption: the N-desmethyltamoxifen half-life (~14 d, TamoxifenLabel) limits it",
            refs=("TamoxifenLabel",),
        ),
        group="drug:tamoxifen",
    ),
    Parameter(
        "K_tam",
        calibrated_value("K_tam"),
        "ng/mL",
        "plasma tamoxifen that doubles the estradiol needed for the same ER signal",
        Calibrated(
            target="TamoxifenOligo: 10 mg daily, LH 1.7 -> 4.1 IU/L and androgens 25 -> 38 nmol/L",
            start=307.0,
            lower=1.0,
            upper=1e5,
            stage="restoration",
            refs=("TamoxifenOligo",),
        ),
        group="drug:tamoxifen",
    ),
    Parameter(
        "endox_rel_affinity",
        181.0 / 2.8 * 371.5 / 373.5,
        "1",
        "endoxifen ER affinity relative to tamoxifen, per ng",
        Derived("Maximov2014 (RBA 181 vs 2.8) x molar mass ratio", refs=("Maximov2014",)),
        group="drug:tamoxifen",
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
    out = []
    for row in rows:
        prov = row.provenance
        if isinstance(prov, Calibrated) and math.isnan(row.value):
            row = Parameter(
                row.name,
                prov.start,
                row.unit,
                row.meaning,
                prov,
                row.bsv_cv,
                row.bsv_source,
                row.group,
            )
        out.append(row)
    return out


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


ON_BOUND_LOG_TOLERANCE = 0.005
"""A fitted value within 0.5 % (on the log scale the fit works on) of a bound is on it."""


def on_bound(tol: float = ON_BOUND_LOG_TOLERANCE) -> dict[str, str]:
    """Calibrated parameters whose fitted value sits on a fit bound, |ln(value / bound)| <=
    ``tol``: name -> ``"lower"`` or ``"upper"``. Such a value is set by the bound (an
    assumption), not by the data; the model doc and ``hpgsim model show`` say so."""
    out: dict[str, str] = {}
    for name, prov in calibrated_rows().items():
        value = _BY_NAME[name].value
        if abs(math.log(value / prov.lower)) <= tol:
            out[name] = "lower"
        elif abs(math.log(prov.upper / value)) <= tol:
            out[name] = "upper"
    return out


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
