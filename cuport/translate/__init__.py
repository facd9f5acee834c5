"""translate stage of the cuport pipeline."""
