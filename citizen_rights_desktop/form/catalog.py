"""The form definitions available to the application (``forms/*.yaml``)."""

from __future__ import annotations

from pathlib import Path

from citizen_rights_desktop.form.definition import FormDefinition, FormDefinitionError
from citizen_rights_desktop.form.loader import load_form, load_form_text
from citizen_rights_desktop.paths import forms_dir


DEFAULT_FORM_ID = "citizen_rights_annual"  # the annual report (seed 004): the application's main form


class FormNotFound(LookupError):
    def __init__(self, form_id: str, version: str):
        super().__init__(f"no form definition {form_id} version {version} is installed")
        self.message_en = str(self)
        self.message_fa = f"تعریف فرم «{form_id}» نسخه {version} در این نرم‌افزار موجود نیست."


def form_files(directory: Path | None = None) -> list[Path]:
    return sorted((directory or forms_dir()).glob("*.yaml"))


class FormCatalog:
    """Loads every definition once; a broken file is reported, the others stay usable."""

    def __init__(self, directory: Path | None = None):
        self.forms: dict[tuple[str, str], FormDefinition] = {}
        self.errors: list[FormDefinitionError] = []
        self.delivered: list[tuple[str, str]] = []  # added from headquarters' profile (``add_text``)
        self.profile_database: str | None = None  # the database whose profile's forms were added, once
        for path in form_files(directory):
            try:
                form = load_form(path)
            except FormDefinitionError as exc:
                self.errors.append(exc)
                continue
            self.forms[(form.id, form.version)] = form

    def add_text(self, text: str, source: str) -> FormDefinition | None:
        """Add a definition given as text (one headquarters' profile carries); ``None`` and an entry
        in ``errors`` when it is broken or contradicts an installed definition of the same id and
        version (an installed version is never replaced: ids and versions are never reused)."""
        try:
            form = load_form_text(text, source)
        except FormDefinitionError as exc:
            self.errors.append(exc)
            return None
        installed = self.forms.get((form.id, form.version))
        if installed is not None:
            if installed.source and Path(installed.source).exists() and Path(installed.source).read_text(encoding="utf-8") != text:
                self.errors.append(FormDefinitionError(source, [("top level", f"{form.id} {form.version} differs from the installed definition of that version; the installed one is used")]))
            return installed
        self.forms[(form.id, form.version)] = form
        self.delivered.append((form.id, form.version))
        return form

    def get(self, form_id: str, version: str) -> FormDefinition:
        try:
            return self.forms[(form_id, version)]
        except KeyError:
            raise FormNotFound(form_id, version) from None

    def latest(self, form_id: str | None = None) -> FormDefinition:
        """The newest definition of ``form_id`` (the most recent guideline year, then version):
        what a new report of that kind uses. Without ``form_id``, the annual report's
        (``DEFAULT_FORM_ID``) when it is installed: the application's main form."""
        if form_id is None and any(fid == DEFAULT_FORM_ID for fid, _ in self.forms):
            form_id = DEFAULT_FORM_ID
        candidates = [f for (fid, _), f in self.forms.items() if form_id is None or fid == form_id]
        if not candidates:
            raise FormNotFound(form_id or "any", "any")
        return max(candidates, key=lambda f: (f.guideline_year, f.version))

    def form_ids(self) -> list[str]:
        """The kinds of report installed, the main form first."""
        return sorted({fid for fid, _ in self.forms}, key=lambda fid: (fid != DEFAULT_FORM_ID, fid))
