"""Staff dates in the NHS date input pattern: day, month and year boxes, with errors that say which part is
wrong. The same field for every date staff enter."""

import datetime

import pytest
from django import forms

from recordaccess.core.dateinput import DateInputField


class Form(forms.Form):
    on = DateInputField(label="Date", required=False)


def cleaned(data: dict):
    form = Form(data)
    return form.cleaned_data["on"] if form.is_valid() else form.errors["on"]


def test_the_three_boxes_make_a_date():
    assert cleaned({"on_day": " 2", "on_month": "03", "on_year": "2026 "}) == datetime.date(2026, 3, 2)


def test_empty_boxes_are_no_date_and_a_required_date_says_so():
    class Required(forms.Form):
        on = DateInputField(label="Date", error_messages={"required": "Enter the date"})

    assert cleaned({"on_day": "", "on_month": "", "on_year": ""}) is None
    assert Required({"on_day": "", "on_month": "", "on_year": ""}).errors["on"] == ["Enter the date"]


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("2", "3", "", "The date must include a year"),
        ("", "3", "2026", "The date must include a day"),
        ("", "", "2026", "The date must include a day and a month"),
        ("31", "2", "2026", "Enter a real date"),
        ("x", "2", "2026", "Enter a real date"),
        ("1", "13", "2026", "Enter a real date"),
        ("1", "2", "26", "The year must include 4 numbers"),
    ],
)
def test_each_mistake_gets_its_own_clear_message(day, month, year, message):
    assert cleaned({"on_day": day, "on_month": month, "on_year": year}) == [message]


def test_a_form_names_its_own_message_for_a_date_that_is_not_real():
    class Named(forms.Form):
        on = DateInputField(label="Date", error_messages={"invalid": "Enter a real date for access to start"})

    assert Named({"on_day": "30", "on_month": "2", "on_year": "2026"}).errors["on"] == [
        "Enter a real date for access to start"
    ]


def test_an_iso_date_under_the_fields_own_name_still_works_for_scripts_and_old_pages():
    assert cleaned({"on": "2026-03-02"}) == datetime.date(2026, 3, 2)
    assert cleaned({"on": "2026-02-30"}) == ["Enter a real date"]


def test_the_boxes_show_what_was_typed_or_the_dates_parts():
    widget = DateInputField().widget
    assert widget.parts(["31", "2", "x"]) == ["31", "2", "x"]
    assert widget.parts(datetime.date(2026, 3, 2)) == ["2", "3", "2026"]
    assert widget.parts("2026-03-02") == ["2", "3", "2026"]
    assert widget.parts(None) == ["", "", ""]


def test_the_error_summary_link_puts_the_cursor_in_the_day_box():
    assert Form()["on"].id_for_label == "id_on_day"
