"""The published evidence the model is calibrated from and validated against: one record per
study, the registry of them, and the validation runs."""
