"""The clinical layer: the source article's protocols side by side, a monitoring plan, and the
article's decision points as transparent flags.

hpgsim is research and education software, not a medical device. Nothing here is advice to a
patient.

- :mod:`~hpgsim.clinical.thresholds`: every number a rule or a metric uses, with its source;
- :mod:`~hpgsim.clinical.protocols`: the protocol library and "this man, after this TRT
  history, then this protocol";
- :mod:`~hpgsim.clinical.course`: reading a simulated course (windows, day 0, recovery times);
- :mod:`~hpgsim.clinical.compare`: the same man (or cohort) under several scenarios;
- :mod:`~hpgsim.clinical.flags`: the article's decision points on one simulated course;
- :mod:`~hpgsim.clinical.plan`: when labs and semen analyses would be informative.
"""
