"""The "what": the HPG-axis model spec. It reads no files and knows no solver.

- :mod:`~hpgsim.model.parameters`: the parameter table (value, unit, meaning, provenance);
- :mod:`~hpgsim.model.axis`: states, right-hand side, steady state, readouts;
- :mod:`~hpgsim.model.metabolic`: obesity and insulin resistance;
- :mod:`~hpgsim.model.drugs`: the drug catalog and how each drug's doses enter the model.
"""
