"""Measurements of a simulated man: semen analysis and its assay error, suppression and
recovery events, headline numbers, and the reference ranges results are read against."""
