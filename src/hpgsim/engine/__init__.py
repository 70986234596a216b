"""The "how": from validated scenarios to solved trajectories.

- :mod:`~hpgsim.engine.doses`: regimen lines -> dose lines on the engine's grid;
- :mod:`~hpgsim.engine.inputs`: typed inputs of a solve (initial states, individual
  parameters, dose lines, the shared linear part), built once and consumed by both solvers;
- :mod:`~hpgsim.engine.production`: the batched exponential integrator (JAX);
- :mod:`~hpgsim.engine.chunks`: large CPU batches in equal chunks, one thread per core;
- :mod:`~hpgsim.engine.reference`: SciPy LSODA at tight tolerance on the same equations;
- :mod:`~hpgsim.engine.simulation`: ``simulate`` / ``simulate_many``, the tables of men.
"""
