"""The ``citizen-rights`` command line: ``main`` gathers one module per command group (report, pdf,
exchange, hq), each registering its sub-commands; ``context`` holds what they share.

The top of the core: nothing in the core imports it. It never imports ``ui``: the windows come in
as a ``main.FrontEnd`` from ``ui.launcher``.
"""
