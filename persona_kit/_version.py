"""The package version, written only here: pyproject.toml reads it (hatchling's dynamic version).

Personas are not keyed by it, but a new version may change what a seed gives (see README, Determinism).
"""

__version__ = "0.2.0"
