"""The office profile: who reports, for the report header, the letterhead and headquarters."""

from __future__ import annotations

from dataclasses import dataclass

from citizen_rights_desktop.persian.text import unsafe_characters

LEVELS: dict[str, str] = {
    "national_agency": "دستگاه اجرایی ملی",
    "provincial_office": "اداره کل استانی",
    "county_office": "اداره شهرستانی",
    "governorate": "استانداری",
    "county_governorate": "فرمانداری",
    # a joint inspection team (seed 000, item 6): enrolled like an office, it sends inspection
    # visits, never a report of its own, so headquarters expects no report from it
    "inspection_team": "تیم مشترک بازرسی",
}
INSPECTION_TEAM = "inspection_team"
REPORTING_LEVELS = tuple(level for level in LEVELS if level != INSPECTION_TEAM)  # the units expected to report

PROVINCES: dict[str, str] = {
    "azarbaijan_sharqi": "آذربایجان شرقی",
    "azarbaijan_gharbi": "آذربایجان غربی",
    "ardabil": "اردبیل",
    "isfahan": "اصفهان",
    "alborz": "البرز",
    "ilam": "ایلام",
    "bushehr": "بوشهر",
    "tehran": "تهران",
    "chaharmahal_bakhtiari": "چهارمحال و بختیاری",
    "khorasan_jonubi": "خراسان جنوبی",
    "khorasan_razavi": "خراسان رضوی",
    "khorasan_shomali": "خراسان شمالی",
    "khuzestan": "خوزستان",
    "zanjan": "زنجان",
    "semnan": "سمنان",
    "sistan_baluchestan": "سیستان و بلوچستان",
    "fars": "فارس",
    "qazvin": "قزوین",
    "qom": "قم",
    "kordestan": "کردستان",
    "kerman": "کرمان",
    "kermanshah": "کرمانشاه",
    "kohgiluyeh_boyerahmad": "کهگیلویه و بویراحمد",
    "golestan": "گلستان",
    "gilan": "گیلان",
    "lorestan": "لرستان",
    "mazandaran": "مازندران",
    "markazi": "مرکزی",
    "hormozgan": "هرمزگان",
    "hamedan": "همدان",
    "yazd": "یزد",
}


@dataclass
class OfficeProfile:
    id: str
    agency: str
    level: str
    province: str = ""
    county: str = ""
    head_name: str = ""
    head_title: str = ""
    letter_prefix: str = ""
    emblem_sha256: str = ""

    def problems(self) -> list[tuple[str, str, str]]:
        """What is wrong with the profile, as ``(field, English, Persian)``."""
        found = []
        if not self.agency.strip():
            found.append(("agency", "the agency name is required", "نام دستگاه اجرایی لازم است."))
        if self.level not in LEVELS:
            found.append(("level", f"unknown organizational level {self.level!r} (one of {', '.join(LEVELS)})", "سطح سازمانی نامعتبر است."))
        needs_province = self.level != "national_agency"
        if needs_province and self.province not in PROVINCES:
            found.append(("province", f"unknown province {self.province!r}", "استان را انتخاب کنید."))
        if self.level in ("county_office", "county_governorate") and not self.county.strip():
            found.append(("county", "the county is required at county level", "نام شهرستان لازم است."))
        for name in ("id", "agency", "county", "head_name", "head_title", "letter_prefix"):
            unsafe = unsafe_characters(getattr(self, name))
            if unsafe:
                found.append((name, f"{name} holds control or direction characters ({', '.join(unsafe[:3])}); type it again",
                              "این نام نویسه‌های کنترلی یا تغییر جهت دارد؛ آن را دوباره تایپ کنید."))  # fmt: skip
        return found
