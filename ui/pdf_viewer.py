"""Opening a PDF the application made (preview, or the pages to print from the viewer), and saying
so when this computer cannot show it (issue 17: «پیش‌نمایش» did nothing visible without a viewer).

``QDesktopServices.openUrl`` returns false when no program is associated with PDF (Windows, macOS,
or Linux without ``xdg-open``). On Linux it returns true as soon as ``xdg-open`` starts, even when
no PDF viewer is installed and nothing will open: ``viewer_missing`` asks ``xdg-mime`` which
program shows PDF, and an empty answer means none. Either way the clerk is told in Persian and
offered to save the PDF instead (to open it elsewhere, or carry it to a computer that prints).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox

from ui.formatting import ltr

NO_VIEWER_FA = "برنامه‌ای برای نمایش PDF روی این رایانه پیدا نشد، پس پیش‌نمایش باز نشد."
SAVE_OFFER_FA = "می‌توانید PDF را ذخیره کنید تا با برنامه‌ای دیگر یا در رایانه‌ای دیگر ببینید و چاپ کنید."


def viewer_missing() -> bool:
    """True when this computer is known to have no program for PDF (Linux/BSD desktops: asked of
    ``xdg-mime``); False when one is registered or when it cannot be told (then ``openUrl``'s
    answer decides). Run it off the GUI thread: it starts a small process."""
    if sys.platform.startswith(("win", "darwin")):
        return False
    tool = shutil.which("xdg-mime")
    if tool is None:
        return False
    try:
        answer = subprocess.run([tool, "query", "default", "application/pdf"], check=False, capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return False
    return answer.returncode == 0 and not answer.stdout.strip()


def open_pdf(path: Path, missing: bool = False) -> bool:
    """Hand ``path`` to the system's PDF viewer; False when that visibly cannot work (``missing``
    is ``viewer_missing()``, asked beforehand in a worker)."""
    opened = QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
    return bool(opened) and not missing


class SaveOffer(QMessageBox):
    """«no viewer» and the offer to save the PDF (not modal: the window stays usable). ``saved``
    is the path the PDF was copied to, once it was."""

    def __init__(self, window, pdf: Path, title: str, text: str, default_path: Path):
        super().__init__(QMessageBox.Information, title, f"{text}\n{SAVE_OFFER_FA}", QMessageBox.NoButton, window)
        self.window_, self.pdf, self.default_path = window, Path(pdf), Path(default_path)
        self.save_button = self.addButton("ذخیره PDF…", QMessageBox.AcceptRole)
        self.close_button = self.addButton("بستن", QMessageBox.RejectRole)
        self.setDefaultButton(self.save_button)
        self.saved: Path | None = None
        self.save_button.clicked.connect(lambda: self.save())

    def save(self, path: Path | None = None) -> Path | None:
        if path is None:
            name, _ = QFileDialog.getSaveFileName(self.window_, "ذخیره PDF", str(self.default_path), "PDF (*.pdf)")
            if not name:
                return None
            path = Path(name if name.lower().endswith(".pdf") else name + ".pdf")
        try:
            shutil.copyfile(self.pdf, path)
        except OSError:
            QMessageBox.warning(self.window_, "ذخیره نشد", f"PDF در این نشانی ذخیره نشد:\n{ltr(path)}")
            return None
        self.saved = Path(path)
        bar = getattr(self.window_, "statusBar", None)
        if bar is not None:
            bar().showMessage(f"PDF ذخیره شد: {ltr(path)}", 10000)
        return self.saved


def offer_to_save(window, pdf: Path, title: str, text: str, default_path: Path) -> SaveOffer:
    dialog = SaveOffer(window, pdf, title, text, default_path)
    dialog.open()
    return dialog
