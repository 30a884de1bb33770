"""alert: keeps control state per village and raises alerts when a tracked village changes hands."""
