"""`make audit` (.ci/audit.py) tells "found a vulnerability" (fail, unless reviewed) from "could not ask" (say so,
do not fail), given the answers pip-audit and npm audit really give. The tools are not run here: their answers
depend on a network the tests must not need; these are their JSON shapes, as recorded."""

import datetime
import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
_spec = importlib.util.spec_from_file_location("ci_audit", ROOT / ".ci" / "audit.py")
audit = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(audit)

TODAY = datetime.date(2026, 11, 30)
CLEAN = json.dumps({"dependencies": [{"name": "django", "version": "6.0", "vulns": []}], "fixes": []})
VULNERABLE = json.dumps(
    {
        "dependencies": [
            {"name": "django", "version": "6.0", "vulns": []},
            {
                "name": "example-lib",
                "version": "1.0",
                "vulns": [
                    {
                        "id": "PYSEC-2026-1",
                        "aliases": ["GHSA-aaaa-bbbb-cccc", "CVE-2026-0001"],
                        "fix_versions": ["1.0.1"],
                        "description": "A crafted header crashes the parser",
                    }
                ],
            },
        ],
        "fixes": [],
    }
)
# A mirror that answers 404 for every package: pip-audit exits 0 and says "No known vulnerabilities found".
ALL_SKIPPED = json.dumps(
    {
        "dependencies": [
            {
                "name": "django",
                "skip_reason": "Dependency not found on PyPI and could not be audited: django (6.0)",
            },
            {
                "name": "jinja2",
                "skip_reason": "Dependency not found on PyPI and could not be audited: jinja2 (3.1)",
            },
        ],
        "fixes": [],
    }
)
UNREACHABLE = "requests.exceptions.ConnectionError: Failed to resolve the advisory service's host\n"
NPM_REFUSED = json.dumps(
    {
        "message": "405 Method Not Allowed - POST https://registry.example/-/npm/v1/security/advisories/bulk",
        "statusCode": 405,
        "error": {"summary": "", "detail": ""},
    }
)
NPM_CLEAN = json.dumps(
    {"auditReportVersion": 2, "vulnerabilities": {}, "metadata": {"dependencies": {"total": 3}}}
)
NPM_VULNERABLE = json.dumps(
    {
        "auditReportVersion": 2,
        "vulnerabilities": {
            "nhsuk-frontend": {
                "name": "nhsuk-frontend",
                "via": [
                    {
                        "source": 1100001,
                        "title": "Cross-site scripting in a component",
                        "url": "https://advisories.example/GHSA-dddd-eeee-ffff",
                        "range": "<10.6.2",
                    }
                ],
                "fixAvailable": {"name": "nhsuk-frontend", "version": "10.6.2"},
            },
            "a-dependant": {"name": "a-dependant", "via": ["nhsuk-frontend"], "fixAvailable": True},
        },
        "metadata": {"dependencies": {"total": 3}},
    }
)


def runner(pip: dict[str, tuple], npm: tuple):
    """The tools' answers: pip-audit's by advisory service, npm's."""

    def answer(command: list[str]) -> tuple[int, str, str]:
        if command[0] == "npm":
            return npm
        return pip[command[command.index("--vulnerability-service") + 1]]

    return answer


def decide(pip, npm, exceptions=()):
    outcomes = [audit.pip_audit(runner(pip, npm)), audit.npm_audit(runner(pip, npm))]
    return audit.report(outcomes, list(exceptions), TODAY)


def test_nothing_found_passes_and_says_what_was_checked():
    status, lines = decide({"osv": (0, CLEAN, "")}, (0, NPM_CLEAN, ""))
    assert status == 0
    assert lines[0] == "pip-audit: checked 1 packages (advisories from osv)."
    assert "npm audit: checked 3 packages." in lines


def test_a_vulnerability_fails_naming_the_package_advisory_and_fix():
    status, lines = decide({"osv": (1, VULNERABLE, "")}, (1, NPM_VULNERABLE, ""))
    assert status == 1
    text = "\n".join(lines)
    assert (
        "VULNERABLE: example-lib 1.0: PYSEC-2026-1 A crafted header crashes the parser; fixed in 1.0.1."
        in text
    )
    assert "VULNERABLE: nhsuk-frontend <10.6.2: GHSA-dddd-eeee-ffff" in text
    assert "fixed in nhsuk-frontend 10.6.2" in text
    assert "a-dependant" not in text  # listed through nhsuk-frontend's advisory, not an advisory of its own


def test_a_reviewed_exception_excuses_its_advisory_by_any_of_its_names_until_its_review_date():
    exception = {
        "id": "CVE-2026-0001",
        "package": "Example-Lib",
        "reason": "We never parse headers with it",
        "reviewed_by": "CSO",
        "review_by": datetime.date(2027, 1, 31),
    }
    status, lines = decide({"osv": (1, VULNERABLE, "")}, (0, NPM_CLEAN, ""), [exception])
    assert status == 0
    assert any(line.startswith("  excused: example-lib 1.0: PYSEC-2026-1") for line in lines)
    lapsed = {**exception, "review_by": datetime.date(2026, 11, 29)}
    status, lines = decide({"osv": (1, VULNERABLE, "")}, (0, NPM_CLEAN, ""), [lapsed])
    assert status == 1
    assert "exception CVE-2026-0001 (Example-Lib) lapsed on 2026-11-29: review it" in lines


def test_an_unreachable_service_is_said_plainly_and_does_not_fail():
    status, lines = decide(
        {"osv": (1, "", UNREACHABLE), "pypi": (0, ALL_SKIPPED, "No known vulnerabilities found\n")},
        (1, NPM_REFUSED, "npm error audit endpoint returned an error\n"),
    )
    assert status == 0
    pip_line, npm_line = (line for line in lines if "COULD NOT RUN" in line)
    assert "osv: requests.exceptions.ConnectionError" in pip_line
    # pip-audit said "No known vulnerabilities found", but it had checked nothing.
    assert "pypi: the service answered for none of the 2 packages" in pip_line
    assert "405 Method Not Allowed" in npm_line
    assert all("No known vulnerability" not in line for line in lines)


def test_the_next_service_is_asked_when_the_first_cannot_answer():
    status, lines = decide({"osv": (1, "", UNREACHABLE), "pypi": (1, VULNERABLE, "")}, (0, NPM_CLEAN, ""))
    assert status == 1
    assert lines[0] == "pip-audit: checked 2 packages (advisories from pypi)."


def test_a_timeout_and_a_missing_tool_are_could_not_run(monkeypatch):
    monkeypatch.setattr(audit, "TIMEOUT_SECONDS", 1)
    assert audit.run(["sleep", "5"]) == (-1, "", "no answer within 1 s")
    assert audit.run(["no-such-audit-tool"])[2] == "no-such-audit-tool is not installed (make install)"


def test_the_exceptions_file_is_read_and_each_entry_needs_its_reason_and_review_date(tmp_path):
    assert audit.load_exceptions() == []  # none today: every entry is a decision, reviewed
    incomplete = tmp_path / "exceptions.toml"
    incomplete.write_text('[[exception]]\nid = "GHSA-x"\npackage = "p"\nreviewed_by = "me"\n')
    with pytest.raises(SystemExit, match=r"lacks \['reason', 'review_by'\]"):
        audit.load_exceptions(incomplete)
