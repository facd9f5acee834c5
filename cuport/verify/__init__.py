"""verify stage of the cuport pipeline."""
