"""The matrix that turns a likelihood and a severity into a level: all nine cells, pinned."""

import pytest

from recordaccess.assurance.risk import highest, level, matrix
from recordaccess.practices.models import RiskLevel

CELLS = [
    ("remote", "minimal", "low"),
    ("remote", "some", "low"),
    ("remote", "serious", "medium"),
    ("possible", "minimal", "low"),
    ("possible", "some", "medium"),
    ("possible", "serious", "high"),
    ("probable", "minimal", "medium"),
    ("probable", "some", "high"),
    ("probable", "serious", "high"),
]


@pytest.mark.parametrize(("likelihood", "severity", "expected"), CELLS)
def test_each_cell_of_the_matrix_has_its_level(likelihood, severity, expected):
    assert level(likelihood, severity) == expected


def test_the_matrix_is_laid_out_serious_harm_first_and_remote_first():
    rows = matrix([("possible", "serious", "R1"), ("possible", "serious", "R2"), ("remote", "minimal", "R3")])
    assert [row["severity"].label for row in rows] == ["Serious harm", "Some impact", "Minimal impact"]
    assert [cell["likelihood"].label for cell in rows[0]["cells"]] == [
        "Remote",
        "Reasonable possibility",
        "More likely than not",
    ]
    assert rows[0]["cells"][1]["risks"] == ["R1", "R2"] and rows[0]["cells"][1]["level"] == "high"
    assert rows[2]["cells"][0]["risks"] == ["R3"]
    assert sum(len(cell["risks"]) for row in rows for cell in row["cells"]) == 3


def test_the_highest_level_wins_and_none_when_nothing_is_assessed():
    assert highest(["low", "high", "medium"]) == RiskLevel.HIGH
    assert highest(["low", ""]) == RiskLevel.LOW
    assert highest([]) is None


def test_an_unknown_scale_word_is_refused():
    with pytest.raises(ValueError):
        level("likely", "some")
