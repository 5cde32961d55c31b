"""The office profile: asked once on first run (or edited later from the reports list)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from citizen_rights_desktop.report.office import LEVELS, PROVINCES, OfficeProfile
from ui.fields import wrapped_label

MAX_EMBLEM_BYTES = 2 * 1024 * 1024


class SetupPage(QScrollArea):
    """Agency, level, province, county, head's name and title, letter-number prefix, emblem."""

    saved = Signal(object)  # OfficeProfile (with emblem bytes in .emblem_data)
    sample_requested = Signal()  # the window opens the sample database (ui.sample_window), never this one
    cancelled = Signal()

    def __init__(self, first_run: bool = True, parent=None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.NoFrame)
        self.profile_id = ""
        self.emblem_data: bytes | None = None
        self.emblem_sha256 = ""
        content = QWidget()
        outer = QVBoxLayout(content)
        outer.setContentsMargins(40, 24, 40, 24)
        column = QWidget()
        column.setMinimumWidth(760)
        column.setMaximumWidth(820)
        layout = QVBoxLayout(column)
        outer.addWidget(column, 0, Qt.AlignHCenter | Qt.AlignTop)
        outer.addStretch(1)
        self.setWidget(content)

        self.heading = wrapped_label("به نرم‌افزار گزارش حقوق شهروندی در نظام اداری خوش آمدید", css="font-size: 17pt; font-weight: 600;")
        layout.addWidget(self.heading)
        self.intro = wrapped_label(
            "برای شروع، مشخصات دستگاه یا واحد خود را وارد کنید. این مشخصات در سربرگ گزارش و نامه ارسال آن به کار می‌رود "
            "و بعداً هم قابل ویرایش است.",
            css="color: #555;",
        )
        layout.addWidget(self.intro)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignLeft | Qt.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(10)
        self.agency = QLineEdit()
        self.agency.setPlaceholderText("مثلاً: اداره کل ثبت اسناد و املاک استان فارس")
        self.level = QComboBox()
        for level_id, label in LEVELS.items():
            self.level.addItem(label, level_id)
        self.level.setCurrentIndex(list(LEVELS).index("provincial_office"))
        self.province = QComboBox()
        self.province.addItem("— انتخاب استان —", "")
        for province_id, label in PROVINCES.items():
            self.province.addItem(label, province_id)
        self.county = QLineEdit()
        self.head_name = QLineEdit()
        self.head_title = QLineEdit()
        self.head_title.setPlaceholderText("مثلاً: مدیر کل، استاندار، فرماندار")
        self.letter_prefix = QLineEdit()
        self.letter_prefix.setPlaceholderText("مثلاً: ۱۲/ث/")
        emblem_row = QHBoxLayout()
        self.emblem_button = QPushButton("انتخاب تصویر آرم…")
        self.emblem_preview = QLabel("(اختیاری)")
        self.emblem_preview.setMinimumHeight(48)
        emblem_row.addWidget(self.emblem_button)
        emblem_row.addWidget(self.emblem_preview)
        emblem_row.addStretch(1)
        form.addRow("نام دستگاه اجرایی / واحد:", self.agency)
        form.addRow("سطح سازمانی:", self.level)
        form.addRow("استان:", self.province)
        form.addRow("شهرستان:", self.county)
        form.addRow("نام بالاترین مقام:", self.head_name)
        form.addRow("عنوان سمت بالاترین مقام:", self.head_title)
        form.addRow("پیشوند شماره نامه:", self.letter_prefix)
        form.addRow("آرم (برای سربرگ):", emblem_row)
        self.form_layout = form
        box = QFrame()
        box.setObjectName("box")
        box.setStyleSheet("QFrame#box { background: #f6f8fb; border: 1px solid #dde3ea; border-radius: 6px; }")
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(16, 14, 16, 14)
        box_layout.addLayout(form)
        layout.addWidget(box)

        self.problems = wrapped_label("", css="color: #b00020;")
        self.problems.setObjectName("problems")
        self.problems.hide()
        layout.addWidget(self.problems)

        buttons = QHBoxLayout()
        self.save_button = QPushButton("ذخیره و شروع گزارش")
        self.save_button.setDefault(True)
        self.save_button.setStyleSheet("font-weight: 600; padding: 6px 18px;")
        self.cancel_button = QPushButton("انصراف")
        self.cancel_button.setVisible(not first_run)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        self.sample_box = QFrame()
        sample_layout = QVBoxLayout(self.sample_box)
        sample_layout.setContentsMargins(0, 18, 0, 0)
        sample_layout.addWidget(
            wrapped_label(
                "فقط می‌خواهید نرم‌افزار را ببینید؟ یک گزارش نمونه کامل (با داده‌های ساختگی) را مرور کنید. "
                "نمونه در پنجره‌ای جدا و در پایگاه داده نمونه باز می‌شود، با نشان «نمونه»، و به مشخصات و "
                "گزارش‌های واقعی شما دست نمی‌زند.",
                css="color: #555;",
            )
        )
        sample_row = QHBoxLayout()
        self.sample_button = QPushButton("امتحان با داده‌های نمونه")
        sample_row.addWidget(self.sample_button)
        sample_row.addStretch(1)
        sample_layout.addLayout(sample_row)
        self.sample_box.setVisible(first_run)
        layout.addWidget(self.sample_box)

        self.level.currentIndexChanged.connect(self._level_changed)
        # once problems are shown they follow the clerk's corrections: a fixed one disappears at once
        for edit in self.findChildren(QLineEdit):
            edit.textChanged.connect(self._recheck)
        for combo in self.findChildren(QComboBox):
            combo.currentIndexChanged.connect(self._recheck)
        self.emblem_button.clicked.connect(self.choose_emblem)
        self.save_button.clicked.connect(self.save)
        self.sample_button.clicked.connect(self.sample_requested)
        self.cancel_button.clicked.connect(self.cancelled)
        self._level_changed()

    def _level_changed(self) -> None:
        level = self.level.currentData()
        self.province.setEnabled(level != "national_agency")
        self.county.setEnabled(level in ("county_office", "county_governorate"))

    def load(self, office: OfficeProfile) -> None:
        self.profile_id = office.id
        self.agency.setText(office.agency)
        self.level.setCurrentIndex(max(0, self.level.findData(office.level)))
        self.province.setCurrentIndex(max(0, self.province.findData(office.province)))
        self.county.setText(office.county)
        self.head_name.setText(office.head_name)
        self.head_title.setText(office.head_title)
        self.letter_prefix.setText(office.letter_prefix)
        self.emblem_sha256 = office.emblem_sha256
        if office.emblem_sha256:
            self.emblem_preview.setText("آرم ذخیره شده است")
        self.heading.setText("مشخصات دستگاه")
        self.intro.hide()
        self.save_button.setText("ذخیره")

    def choose_emblem(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "انتخاب آرم", "", "تصویر (*.png *.jpg *.jpeg *.bmp)")
        if path:
            self.set_emblem(Path(path))

    def set_emblem(self, path: Path) -> bool:
        try:
            data = path.read_bytes()
        except OSError:
            self._show_problems([f"فایل «{path.name}» خوانده نشد."])
            return False
        pixmap = QPixmap()
        if len(data) > MAX_EMBLEM_BYTES or not pixmap.loadFromData(data):
            self._show_problems(["تصویر آرم باید یک فایل تصویری (PNG یا JPG) کمتر از ۲ مگابایت باشد."])
            return False
        self.emblem_data = data
        self.emblem_preview.setPixmap(pixmap.scaledToHeight(48, Qt.SmoothTransformation))
        self.problems.hide()
        return True

    def profile(self) -> OfficeProfile:
        level = self.level.currentData()
        return OfficeProfile(
            id=self.profile_id,
            agency=self.agency.text().strip(),
            level=level,
            province=(self.province.currentData() or "") if level != "national_agency" else "",
            county=self.county.text().strip() if level in ("county_office", "county_governorate") else "",
            head_name=self.head_name.text().strip(),
            head_title=self.head_title.text().strip(),
            letter_prefix=self.letter_prefix.text().strip(),
            emblem_sha256=self.emblem_sha256,
        )

    def _recheck(self, *_args) -> None:
        if self.problems.isVisible():
            self._show_problems([fa for _field, _en, fa in self.profile().problems()])

    def _show_problems(self, messages: list[str]) -> None:
        self.problems.setText("\n".join(messages))
        self.problems.setVisible(bool(messages))

    def save(self) -> None:
        profile = self.profile()
        problems = profile.problems()
        if problems:
            self._show_problems([fa for _field, _en, fa in problems])
            widgets = {"agency": self.agency, "province": self.province, "county": self.county, "level": self.level}
            first = widgets.get(problems[0][0])
            if first is not None:
                first.setFocus()
            return
        self._show_problems([])
        self.saved.emit(profile)
