"""targets stage of the cuport pipeline."""
