"""The one month and date vocabulary (vectorstore/text.py) every stage reads months with."""
import re

import pytest

from vectorstore.text import (MONTH_PATTERN, find_month_year, month_label, month_number, parse_date,
                              parse_month_year)


@pytest.mark.parametrize("text, expected", [
    ("June 2021", "2021-06"), ("december 2014", "2014-12"), ("Sept 2022", "2022-09"),
    ("Sept. 2022", "2022-09"), ("Jun 2021", "2021-06"), ("June, 2021", "2021-06"), ("  March 2024 ", "2024-03"),
    ("Next update: August 2022 |", None), ("June", None), ("2021", None), ("Junes 2021", None),
    ("June 2021 updates", None),
])
def test_parse_month_year_reads_only_a_whole_month_and_year(text, expected):
    assert parse_month_year(text) == expected


@pytest.mark.parametrize("name, number", [
    ("January", 1), ("jan", 1), ("Sept", 9), ("sept.", 9), ("SEPTEMBER", 9), ("May", 5), ("dec", 12),
    ("Ma", None), ("Mayday", None), ("", None),
])
def test_month_number(name, number):
    assert month_number(name) == number


def test_month_label_and_prose():
    assert month_label("2021-06") == "June 2021"
    assert month_label("2024-10-31") == "October 2024"
    assert find_month_year("In June 2016 this document was reviewed; again in May 2019.") == "2016-06"
    assert find_month_year("updated in Sept 2022 to reflect") == "2022-09"
    assert find_month_year("no month here, only 2022") is None


def test_pattern_is_one_word_without_groups():
    pattern = re.compile(rf"^{MONTH_PATTERN}$", re.IGNORECASE)
    assert pattern.groups == 0
    assert all(pattern.match(m) for m in ("September", "Sept", "Sep", "may"))
    assert not pattern.match("Septem")


@pytest.mark.parametrize("text, expected", [
    ("October 31, 2024", "2024-10-31"), ("31 October 2024", "2024-10-31"), ("31st Oct. 2024", "2024-10-31"),
    ("1 Sept 2023", "2023-09-01"), ("31/10/2024", "2024-10-31"), ("2024-10-31", "2024-10-31"),
    ("31/02/2024", None), ("October 2024", None), ("Capacity and Consent", None),
])
def test_parse_date(text, expected):
    assert parse_date(text) == expected
