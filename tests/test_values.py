import datetime as dt

import pytest

from citizen_rights_desktop.form.values import InvalidValue, check_stored_value, keep_typed, parse_value
from citizen_rights_desktop.persian.jalali import parse_date, to_jalali_text
from citizen_rights_desktop.persian.text import normalize_text, to_persian_digits


def test_arabic_letters_become_persian_and_zwnj_is_kept():
    assert normalize_text("  كيفيت   خدمات\u200cرسانی ") == "کیفیت خدمات\u200cرسانی"


def test_integers_accept_persian_arabic_and_latin_digits():
    assert parse_value("integer", "۱۲۳") == 123
    assert parse_value("integer", "٤٥٦") == 456
    assert parse_value("integer", "1,200") == 1200
    assert parse_value("integer", "۱٬۲۰۰") == 1200
    with pytest.raises(InvalidValue) as info:
        parse_value("integer", "۱۲الف")
    assert info.value.code == "not_integer" and "عدد صحیح" in info.value.message_fa
    with pytest.raises(InvalidValue):
        parse_value("integer", "-3")


def test_percent_and_numbers():
    assert parse_value("percent", "۴۵٫۵٪") == 45.5
    assert parse_value("percent", "100") == 100
    with pytest.raises(InvalidValue):
        parse_value("percent", "101")
    assert parse_value("number", "2.50") == 2.5


def test_dates_are_entered_jalali_and_stored_iso():
    assert parse_value("date", "۱۳۹۸/۰۲/۳۱") == "2019-05-21"
    assert parse_value("date", "1398-1-1") == "2019-03-21"
    assert parse_date("2020-05-20") == dt.date(2020, 5, 20)
    assert to_jalali_text("2020-05-20") == "۱۳۹۹/۰۲/۳۱"
    with pytest.raises(InvalidValue):
        parse_value("date", "1398/13/01")


def test_urls_and_choices():
    assert parse_value("url", "www.example.ir/x") == "www.example.ir/x"
    with pytest.raises(InvalidValue):
        parse_value("url", "not a url")
    options = {"yes": "بله", "no": "خیر"}
    assert parse_value("choice", "بله", options) == "yes"
    assert parse_value("choice", "no", options) == "no"
    with pytest.raises(InvalidValue):
        parse_value("choice", "شاید", options)


def test_empty_is_none():
    assert parse_value("integer", "   ") is None


def test_stored_values_are_checked_strictly():
    assert check_stored_value("integer", 5) is None
    assert check_stored_value("integer", True) is not None
    assert check_stored_value("integer", "5") is not None
    assert check_stored_value("integer", keep_typed("12a")).code == "not_integer"
    assert check_stored_value("date", "2019-05-21") is None
    assert check_stored_value("text", "كتاب") is not None  # not normalised


def test_persian_digits_for_display():
    assert to_persian_digits(1398) == "۱۳۹۸"
    assert to_persian_digits(66.666) == "۶۶٫۶۷"


def test_file_sizes_for_people():
    from citizen_rights_desktop.persian.text import file_size_text

    assert file_size_text(812) == "۸۱۲ بایت"
    assert file_size_text(5000) == "۴٫۹ کیلوبایت"
    assert file_size_text(52_428_800) == "۵۰ مگابایت"
