"""corpus stage of the cuport pipeline."""
