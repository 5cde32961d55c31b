"""A broken form definition names the file, the line, the item and what is wrong; never a traceback."""

import subprocess
import sys

import pytest

from citizen_rights_desktop.form.definition import FormDefinitionError
from citizen_rights_desktop.form.loader import load_form
from tests.conftest import FORM_1398, ROOT


def _broken(tmp_path, old: str, new: str):
    text = FORM_1398.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "broken.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _line_of(path, needle):
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_unknown_field_type_names_file_line_and_item(tmp_path):
    path = _broken(tmp_path, "type: url", "type: web_link")
    with pytest.raises(FormDefinitionError) as info:
        load_form(path)
    message = str(info.value)
    assert str(path) in message
    assert "(i04)" in message and "(processes)" in message and "(web_address)" in message
    assert "unknown type 'web_link'" in message
    assert f"line {_line_of(path, 'id: web_address')}" in message


def test_duplicate_indicator_id(tmp_path):
    path = _broken(tmp_path, "- id: i02", "- id: i01")
    with pytest.raises(FormDefinitionError) as info:
        load_form(path)
    assert "duplicate id 'i01'" in str(info.value)


def test_bad_expression_is_a_form_error(tmp_path):
    path = _broken(tmp_path, "count(processes)", "__import__('os').getcwd()")
    with pytest.raises(FormDefinitionError) as info:
        load_form(path)
    assert "(percent_electronic)" in str(info.value)


def test_missing_key_and_unknown_key(tmp_path):
    path = _broken(tmp_path, "    gate: آیا خدمات", "    gates: آیا خدمات")
    with pytest.raises(FormDefinitionError) as info:
        load_form(path)
    assert "missing required key 'gate'" in str(info.value)
    assert "unknown key 'gates'" in str(info.value)


def test_yaml_syntax_error_has_line(tmp_path):
    path = tmp_path / "syntax.yaml"
    path.write_text("id: x\nversion: [1\n", encoding="utf-8")
    with pytest.raises(FormDefinitionError) as info:
        load_form(path)
    assert "line " in str(info.value) and "not valid YAML" in str(info.value)


def test_not_a_mapping(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- 1\n- 2\n", encoding="utf-8")
    with pytest.raises(FormDefinitionError):
        load_form(path)


def test_cli_forms_check_reports_without_traceback(tmp_path):
    path = _broken(tmp_path, "type: url", "type: web_link")
    result = subprocess.run(
        [sys.executable, "-m", "citizen_rights_desktop", "forms", "check", str(path)], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: ") and "web_link" in result.stderr


def test_cli_forms_check_counts_the_1398_guideline():
    result = subprocess.run([sys.executable, "-m", "citizen_rights_desktop", "forms", "check"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "citizen_rights_annual version 1398.1 (year 1398): 7 dimensions, 29 indicators" in result.stdout
