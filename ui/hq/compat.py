"""Work around a PySide6 6.12 reference-counting bug on Python 3.11.

Measured here (PySide6-Essentials 6.12.0, CPython 3.11.7): every call of a Qt method that returns
nothing (``QLabel.setText``, ``QTableWidgetItem.setData``, ``QPainter.drawText``, …) takes one
reference from ``None`` without having given one. ``None`` starts with about 20,000 references, so
after some thousands of such calls — one refresh of a table of a few hundred units — CPython aborts
with "Fatal Python error: none_dealloc: deallocating None". Python 3.12 made ``None`` immortal, so
the bug is invisible there. On 3.11 we give ``None`` 2**40 extra references once: the same
immortality, and a missing decrement can never bring it to zero in practice.
"""

from __future__ import annotations

import sys

_EXTRA = 1 << 40


def keep_none_alive() -> None:
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    import ctypes

    count = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt is the first field of every object
    if count.value < _EXTRA:
        count.value += _EXTRA
