"""Printing the report: its PDF's pages as images (poppler's ``pdftoppm``), drawn on the printer.

Rasterising is the slow part (about half a second a page at 200 dpi on a small machine), so the
pages are split among up to four ``pdftoppm`` processes and the images written so far are counted
as they appear: the progress dialog says «صفحه ۵ از ۱۹» instead of nothing for seconds (issue 17).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter

RASTER_DPI = 200
MAX_PROCESSES = 4
TIMEOUT_S = 300


class RasteriseFailed(RuntimeError):
    message_fa = "آماده‌سازی صفحات گزارش برای چاپ ممکن نشد؛ «پیش‌نمایش» را بزنید و از نمایشگر PDF چاپ کنید."


def _ranges(pages: int, parts: int) -> list[tuple[int, int]]:
    """``pages`` split into ``parts`` consecutive ranges of nearly equal length (1-based, inclusive)."""
    size, extra = divmod(pages, parts)
    found, first = [], 1
    for index in range(parts):
        last = first + size - 1 + (1 if index < extra else 0)
        if last >= first:
            found.append((first, last))
        first = last + 1
    return found


def page_images(folder: Path) -> list[Path]:
    return sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def rasterise(pdf: Path, folder: Path, dpi: int | None = None, pages: int = 0, on_page: Callable[[int], None] | None = None) -> list[Path]:
    """PNG images of the PDF's pages via poppler's ``pdftoppm`` (empty list if it is not installed).

    With ``pages`` (the PDF's page count) the work is shared among processes, and ``on_page(n)``
    is called as the n-th image appears."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        return []
    dpi = dpi or RASTER_DPI
    parts = max(1, min(MAX_PROCESSES, os.cpu_count() or 1, pages)) if pages else 1
    ranges = _ranges(pages, parts) if pages else [(0, 0)]
    processes = []
    for first, last in ranges:
        command = [tool, "-r", str(dpi), "-png"]
        if first:
            command += ["-f", str(first), "-l", str(last)]
        processes.append(subprocess.Popen([*command, str(pdf), str(folder / "page")], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
    deadline, reported = time.monotonic() + TIMEOUT_S, 0
    try:
        while any(p.poll() is None for p in processes):
            if time.monotonic() > deadline:
                raise RasteriseFailed("pdftoppm took too long")
            count = len(page_images(folder))
            if on_page is not None and count > reported:
                reported = count
                on_page(count)
            time.sleep(0.05)
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
            process.wait()
            if process.stderr is not None:
                process.stderr.close()
    if any(p.returncode != 0 for p in processes):
        raise RasteriseFailed("pdftoppm failed")
    images = page_images(folder)
    if on_page is not None and len(images) > reported:
        on_page(len(images))
    return images


def print_images(printer, images: list[Path], on_page: Callable[[int], None] | None = None) -> int:
    """Draw each page image scaled to the printer's page; returns the number of pages printed."""
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    count = 0
    try:
        for index, path in enumerate(images):
            image = QImage(str(path))
            if image.isNull():
                continue
            if index:
                printer.newPage()
            page = painter.viewport()
            size = image.size().scaled(page.size(), Qt.KeepAspectRatio)
            painter.setViewport(page.x(), page.y(), size.width(), size.height())
            painter.setWindow(image.rect())
            painter.drawImage(0, 0, image)
            painter.setViewport(page)
            count += 1
            if on_page is not None:
                on_page(count)
    finally:
        painter.end()
    return count
