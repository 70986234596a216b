"""The published studies, one module per family; each study is one record (a calibration
``Target`` or a ``ValidationTarget``) holding its citation, population, scenarios, observable,
measures with tolerances, how it is used and its known gaps. :mod:`hpgsim.evidence.registry`
collects them."""
