"""The risk scales of a DPIA and the matrix that turns a likelihood and a severity into a level.

The scales are the words NHS England's own DPIAs use (../shared/design/domain-sources.md, S68): likelihood
remote / reasonable possibility / more likely than not; severity minimal impact / some impact / serious harm;
overall low / medium / high. The ICO asks that both likelihood and severity count, and says a high risk can come
"from either a high probability of some harm, or a lower possibility of serious harm". The exact cells of the
ICO's sample matrix are not confirmed, so the matrix is the cautious reading: each scale scores 1 to 3, and a
risk whose scores add up to 5 or 6 is high, to 4 medium, to 2 or 3 low. A reasonable possibility of serious harm
is therefore high, and so is a likely risk of some impact; nothing more than remote and minimal is ever low by
default. `tests/assurance/test_levels.py` pins all nine cells.
"""

from django.db import models

from recordaccess.practices.models import RiskLevel


class Likelihood(models.TextChoices):
    REMOTE = "remote", "Remote"
    POSSIBLE = "possible", "Reasonable possibility"
    PROBABLE = "probable", "More likely than not"


class Severity(models.TextChoices):
    MINIMAL = "minimal", "Minimal impact"
    SOME = "some", "Some impact"
    SERIOUS = "serious", "Serious harm"


SCORE = {
    Likelihood.REMOTE: 1,
    Likelihood.POSSIBLE: 2,
    Likelihood.PROBABLE: 3,
    Severity.MINIMAL: 1,
    Severity.SOME: 2,
    Severity.SERIOUS: 3,
}
ORDER = {RiskLevel.LOW: 1, RiskLevel.MEDIUM: 2, RiskLevel.HIGH: 3}


def level(likelihood: str, severity: str) -> RiskLevel:
    """The overall level of one cell of the matrix."""
    total = SCORE[Likelihood(likelihood)] + SCORE[Severity(severity)]
    if total >= 5:
        return RiskLevel.HIGH
    if total == 4:
        return RiskLevel.MEDIUM
    return RiskLevel.LOW


def highest(levels) -> RiskLevel | None:
    """The highest of some levels, or None when there are none."""
    found = [RiskLevel(value) for value in levels if value]
    return max(found, key=ORDER.__getitem__) if found else None


def matrix(pairs) -> list[dict]:
    """The 3×3 matrix, severity from serious harm down, likelihood from remote across: each cell's level and the
    risks (anything with a label) in it. `pairs` is [(likelihood, severity, label)]."""
    rows = []
    for severity in reversed(Severity):
        cells = []
        for likelihood in Likelihood:
            cells.append(
                {
                    "likelihood": likelihood,
                    "severity": severity,
                    "level": level(likelihood, severity),
                    "risks": [label for like, sev, label in pairs if like == likelihood and sev == severity],
                }
            )
        rows.append({"severity": severity, "cells": cells})
    return rows
