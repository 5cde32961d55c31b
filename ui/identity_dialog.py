"""The office signing identity in the window: its status, creating one (self-signed, passphrase
twice) or importing a .pfx/.p12, and asking its passphrase.

The key file (``signing.identity.default_identity_path()``) is passphrase-encrypted PKCS#12, so its
certificate cannot be read without the passphrase; the public certificate is therefore also kept
beside it (``office-identity.cert.pem``, public data) to show the status at any time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
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
from ui import file_dialogs
from ui.adaptive import fit_to_screen
from ui.busy import busy_cursor
from ui.fields import wrapped_label
from ui.formatting import fa_message

HQ_CA_PREFIX = "Citizen Rights Headquarters CA"  # the common name headquarters gives its CA (hq.identity)
HQ_FA = "ستاد حقوق شهروندی"


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


def _persian(text: str) -> bool:
    return any("\u0600" <= char <= "\u06ff" for char in text)


def issuer_text(certificate: x509.Certificate, hq_profile=None) -> str:
    """Who issued a certificate, in Persian (issue 17). A certificate carries at most the leading
    words of a Persian name (``signing.certificate_names``) and an English common name, so:
    headquarters' full name from its imported profile when headquarters issued it; else the
    issuer's organization when it is Persian; else «ستاد حقوق شهروندی» for headquarters' CA;
    else the common name as it is."""
    issuer = certificate.issuer
    if hq_profile is not None and getattr(hq_profile, "name", "") and issuer == hq_profile.ca_cert.subject:
        return hq_profile.name
    organization = issuer.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    if organization and _persian(str(organization[0].value)):
        return str(organization[0].value)
    common = issuer.get_attributes_for_oid(NameOID.COMMON_NAME)
    name = str(common[0].value) if common else issuer.rfc4514_string()
    return HQ_FA if name.startswith(HQ_CA_PREFIX) else name


def identity_status(hq_profile: Callable[[], object] | object | None = None) -> IdentityStatus:
    """The status line; ``hq_profile`` (headquarters' imported profile, or a function giving it,
    asked only for a certificate headquarters may have issued) names the issuer in Persian."""
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
    profile = hq_profile() if callable(hq_profile) else hq_profile
    issuer = issuer_text(cert, profile)
    return IdentityStatus(True, f"گواهی امضا: «{holder.holder_name}» — صادرشده از «{issuer}»، معتبر تا {until}", False)


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
        with busy_cursor():  # the key file's passphrase is stretched on purpose: it takes a moment
            identity = ident.load_identity(identity_path(), passphrase)
    except ident.IdentityError as exc:
        QMessageBox.warning(parent, "گواهی امضا", fa_message(exc.message_fa))
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
        self.file.setLayoutDirection(Qt.LeftToRight)  # a path reads left to right
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
        for form_layout in (form, form2):
            form_layout.setRowWrapPolicy(QFormLayout.WrapLongRows)  # labels above the fields at a large font
        fit_to_screen(self, QSize(max(560, self.sizeHint().width()), self.sizeHint().height()))

    def _browse(self) -> None:
        name = file_dialogs.open_file(self, "فایل گواهی", "identity", "گواهی PKCS#12 (*.pfx *.p12);;همه فایل‌ها (*)")
        if name:
            self.file.setText(name)

    def submit(self) -> bool:
        """Create or import as the current tab says; on success the dialog is accepted."""
        try:
            if self.tabs.currentIndex() == 0:
                if self.passphrase.text() != self.repeat.text():
                    self.problem.setText("گذرواژه و تکرار آن یکسان نیستند.")
                    return False
                with busy_cursor():  # a new key, encrypted with a stretched passphrase: about a second
                    identity = ident.create_identity(self.name.text(), self.organization, self.province)
                    ident.save_identity(identity, identity_path(), self.passphrase.text())
                self.secret = self.passphrase.text()
            else:
                if not self.file.text():
                    self.problem.setText("فایل گواهی را انتخاب کنید.")
                    return False
                with busy_cursor():
                    identity = ident.import_pkcs12(self.file.text(), self.import_passphrase.text(), identity_path())
                self.secret = self.import_passphrase.text()
                problem = identity.validity_problem()
                if problem is not None:
                    self.problem.setText(fa_message(problem.message_fa))
        except ident.IdentityError as exc:
            self.problem.setText(fa_message(exc.message_fa))
            return False
        remember_certificate(identity)
        self.identity = identity
        self.accept()
        return True
