"""The office signing identity in the window: its status, creating one (self-signed, passphrase
twice) or importing a .pfx/.p12, and asking its passphrase.

The key file (``signing.identity.default_identity_path()``) is passphrase-encrypted PKCS#12, so its
certificate cannot be read without the passphrase; the public certificate is therefore also kept
beside it (``office-identity.cert.pem``, public data) to show the status at any time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from citizen_rights_desktop.persian.jalali import to_jalali_text
from citizen_rights_desktop.signing import identity as ident
from ui.fields import wrapped_label


def identity_path() -> Path:
    return ident.default_identity_path()


def certificate_path() -> Path:
    path = identity_path()
    return path.with_name(path.stem + ".cert.pem")


def remember_certificate(identity: ident.OfficeIdentity) -> None:
    """Keep the public certificate beside the key file so the status shows without the passphrase."""
    path = certificate_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.write_bytes(identity.certificate.public_bytes(serialization.Encoding.PEM))
        partial.replace(path)
    except OSError:
        pass  # only the status display uses it


@dataclass(frozen=True)
class IdentityStatus:
    exists: bool
    text: str
    self_signed: bool | None = None


def identity_status() -> IdentityStatus:
    if not identity_path().exists():
        return IdentityStatus(False, "گواهی امضا: ساخته نشده است (هنگام «ذخیره PDF امضاشده» ساخته یا وارد می‌شود)")
    try:
        cert = x509.load_pem_x509_certificate(certificate_path().read_bytes())
    except (OSError, ValueError):
        return IdentityStatus(True, "گواهی امضا: موجود (جزئیات پس از نخستین امضا نمایش داده می‌شود)")
    holder = ident.OfficeIdentity(None, cert)  # type: ignore[arg-type] - only the certificate is read
    until = to_jalali_text(cert.not_valid_after_utc.date())
    if holder.is_self_signed:
        return IdentityStatus(True, f"گواهی امضا: «{holder.holder_name}» — خودامضا (تا صدور گواهی ستاد)، معتبر تا {until}", True)
    return IdentityStatus(True, f"گواهی امضا: «{holder.holder_name}» — صادرشده از «{holder.issuer_organization}»، معتبر تا {until}", False)


def ask_passphrase(parent=None, prompt: str = "گذرواژه گواهی امضای دستگاه:") -> str | None:
    """The passphrase typed in a password field (``None`` when cancelled)."""
    text, ok = QInputDialog.getText(parent, "گذرواژه گواهی امضا", prompt, QLineEdit.Password)
    return text if ok else None


def unlock(parent=None) -> tuple[ident.OfficeIdentity, str] | None:
    """Ask the passphrase and open the identity file: ``(identity, passphrase)``; errors are shown."""
    passphrase = ask_passphrase(parent)
    if passphrase is None:
        return None
    try:
        identity = ident.load_identity(identity_path(), passphrase)
    except ident.IdentityError as exc:
        QMessageBox.warning(parent, "گواهی امضا", exc.message_fa)
        return None
    remember_certificate(identity)
    return identity, passphrase


def unlock_identity(parent=None) -> ident.OfficeIdentity | None:
    opened = unlock(parent)
    return opened[0] if opened else None


class IdentityDialog(QDialog):
    """No identity yet: make one (self-signed + request for headquarters) or import a .pfx/.p12."""

    def __init__(self, holder_name: str = "", organization: str = "", province: str = "", parent=None):
        super().__init__(parent)
        self.setWindowTitle("گواهی امضای دستگاه")
        self.setLayoutDirection(Qt.RightToLeft)
        self.setMinimumWidth(560)
        self.identity: ident.OfficeIdentity | None = None
        self.secret = ""
        self.organization, self.province = organization, province
        layout = QVBoxLayout(self)
        layout.addWidget(
            wrapped_label(
                "برای امضای دیجیتال گزارش، دستگاه به یک گواهی امضا نیاز دارد. کلید خصوصی فقط رمزگذاری‌شده با گذرواژه "
                "روی همین رایانه نگهداری می‌شود؛ گذرواژه را فراموش نکنید و از فایل گواهی نسخه پشتیبان بگیرید."
            )
        )
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs)

        create = QWidget()
        form = QFormLayout(create)
        self.name = QLineEdit(holder_name)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.Password)
        form.addRow("نام صاحب گواهی:", self.name)
        form.addRow("گذرواژه (دست‌کم ۸ نویسه):", self.passphrase)
        form.addRow("تکرار گذرواژه:", self.repeat)
        form.addRow(wrapped_label("گواهی ساخته‌شده خودامضاست و تا صدور گواهی ستاد به همین عنوان نمایش داده می‌شود.", css="color:#555;"))
        self.tabs.addTab(create, "ساخت گواهی جدید")

        imported = QWidget()
        form2 = QFormLayout(imported)
        self.file = QLineEdit()
        self.file.setReadOnly(True)
        browse = QPushButton("انتخاب فایل ‎.pfx / ‎.p12…")
        browse.clicked.connect(self._browse)
        self.import_passphrase = QLineEdit()
        self.import_passphrase.setEchoMode(QLineEdit.Password)
        form2.addRow("فایل گواهی:", self.file)
        form2.addRow("", browse)
        form2.addRow("گذرواژه فایل:", self.import_passphrase)
        self.tabs.addTab(imported, "وارد کردن فایل گواهی")

        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020;")
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("ساخت / وارد کردن")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "فایل گواهی", "", "گواهی PKCS#12 (*.pfx *.p12)")
        if name:
            self.file.setText(name)

    def submit(self) -> bool:
        """Create or import as the current tab says; on success the dialog is accepted."""
        try:
            if self.tabs.currentIndex() == 0:
                if self.passphrase.text() != self.repeat.text():
                    self.problem.setText("گذرواژه و تکرار آن یکسان نیستند.")
                    return False
                identity = ident.create_identity(self.name.text(), self.organization, self.province)
                ident.save_identity(identity, identity_path(), self.passphrase.text())
                self.secret = self.passphrase.text()
            else:
                if not self.file.text():
                    self.problem.setText("فایل گواهی را انتخاب کنید.")
                    return False
                identity = ident.import_pkcs12(self.file.text(), self.import_passphrase.text(), identity_path())
                self.secret = self.import_passphrase.text()
                problem = identity.validity_problem()
                if problem is not None:
                    self.problem.setText(problem.message_fa)
        except ident.IdentityError as exc:
            self.problem.setText(exc.message_fa)
            return False
        remember_certificate(identity)
        self.identity = identity
        self.accept()
        return True
