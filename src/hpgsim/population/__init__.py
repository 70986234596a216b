"""Virtual men and trials: populations as data (:mod:`~hpgsim.population.virtual_men`) and the
chunked trial runner with its survival summaries (:mod:`~hpgsim.population.trial`)."""
