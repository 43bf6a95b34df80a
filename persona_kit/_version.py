"""The package version; part of every persona's key (see README, Determinism)."""

__version__ = "0.1.0"
