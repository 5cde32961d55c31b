"""Citizen Rights Desktop: the headless core, one package per stage of the chain a report goes through.

    persian → form → report → (storage) → editing | pdf → signing → exchange → hq → cli

Each package imports only the ones before it (``.importlinter`` holds the contracts,
``docs/architecture.md`` draws them). Nothing in this package imports Qt; the interface in ``ui/``
is built on top of it.
"""

__version__ = "0.1.0"
