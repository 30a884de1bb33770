"""villagewatch: alerts when control of a tracked village changes hands."""

__version__ = "0.1.0"
