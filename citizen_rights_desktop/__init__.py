"""Citizen Rights Desktop: the headless core (form model, answers, validation, storage access, CLI).

Nothing in this package imports Qt; the interface in ``ui/`` is built on top of it.
"""

__version__ = "0.1.0"
