"""report stage of the cuport pipeline."""
