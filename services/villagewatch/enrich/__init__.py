"""enrich: turns each report into structured events."""
