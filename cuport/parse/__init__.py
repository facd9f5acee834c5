"""parse stage of the cuport pipeline."""
