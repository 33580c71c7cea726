"""Known vulnerabilities in the packages the service runs on: the pinned Python packages (constraints.txt, by
pip-audit) and the front-end packages (package-lock.json, by npm audit). `make audit`; CI runs it too.

Three outcomes for each tool, told apart and said plainly:
- it ran and found nothing, or found only vulnerabilities reviewed in docs/security/audit-exceptions.toml (each
  with its reason and a date to look again; past that date it excuses nothing): passes;
- it ran and found a vulnerability nobody has reviewed: fails (exit 1), naming the package, the advisory and the
  fixed versions;
- it could not ask the advisory service (no network, a mirror that does not answer audits, a timeout): says so,
  and why, and passes, since that is outside the project's reach; the check has then not been done.
docs/security/README.md says what is checked and how to record an exception.
"""

import dataclasses
import datetime
import json
import os
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXCEPTIONS = ROOT / "docs" / "security" / "audit-exceptions.toml"
# Each tool's whole run; pip-audit's own timeout is per request to the service.
TIMEOUT_SECONDS = int(os.environ.get("AUDIT_TIMEOUT_SECONDS", "90"))
# pip-audit's services, tried in turn until one answers for at least one package.
PIP_AUDIT_SERVICES = os.environ.get("PIP_AUDIT_SERVICES", "osv,pypi").split(",")


@dataclasses.dataclass(frozen=True)
class Finding:
    tool: str
    package: str
    version: str
    id: str
    aliases: tuple[str, ...] = ()
    fixed_in: str = ""
    title: str = ""

    def names(self) -> set[str]:
        return {self.id, *self.aliases}


@dataclasses.dataclass
class Outcome:
    tool: str
    ran: bool
    findings: list[Finding] = dataclasses.field(default_factory=list)
    checked: int = 0
    not_checked: list[str] = dataclasses.field(default_factory=list)
    why_not: str = ""
    service: str = ""


Run = Callable[[list[str]], tuple[int, str, str]]


def run(command: list[str]) -> tuple[int, str, str]:
    try:
        done = subprocess.run(  # noqa: S603 - the two audit tools, with arguments written here
            command, cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT_SECONDS
        )
    except subprocess.TimeoutExpired:
        return -1, "", f"no answer within {TIMEOUT_SECONDS} s"
    except FileNotFoundError as missing:
        return -1, "", f"{missing.filename} is not installed (make install)"
    return done.returncode, done.stdout, done.stderr


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else "no output"


def pip_audit_outcome(service: str, returncode: int, stdout: str, stderr: str) -> Outcome:
    """pip-audit's JSON: every dependency, with its vulnerabilities or the reason it was skipped. A service that
    answered for no package at all (a mirror answering 404 for everything) has not audited anything."""
    try:
        dependencies = json.loads(stdout)["dependencies"]
    except (ValueError, KeyError, TypeError):
        return Outcome("pip-audit", ran=False, service=service, why_not=_last_line(stderr))
    checked = [each for each in dependencies if "skip_reason" not in each]
    skipped = [f"{each['name']}: {each['skip_reason']}" for each in dependencies if "skip_reason" in each]
    if not checked:
        reason = skipped[0] if skipped else "no packages to check"
        return Outcome(
            "pip-audit",
            ran=False,
            service=service,
            why_not=f"the service answered for none of the {len(dependencies)} packages ({reason})",
        )
    findings = [
        Finding(
            tool="pip-audit",
            package=each["name"],
            version=each.get("version", ""),
            id=vulnerability["id"],
            aliases=tuple(vulnerability.get("aliases", [])),
            fixed_in=", ".join(vulnerability.get("fix_versions", [])),
            title=(vulnerability.get("description") or "")[:120],
        )
        for each in checked
        for vulnerability in each.get("vulns", [])
    ]
    return Outcome(
        "pip-audit", ran=True, findings=findings, checked=len(checked), not_checked=skipped, service=service
    )


def npm_audit_outcome(returncode: int, stdout: str, stderr: str) -> Outcome:
    """npm audit's JSON (report version 2): `vulnerabilities` by package when it ran; an error object when the
    registry would not answer."""
    try:
        report = json.loads(stdout)
    except ValueError:
        return Outcome("npm audit", ran=False, why_not=_last_line(stderr))
    if not isinstance(report, dict) or "vulnerabilities" not in report:
        message = report.get("message") if isinstance(report, dict) else ""
        summary = (report.get("error") or {}).get("summary") if isinstance(report, dict) else ""
        return Outcome("npm audit", ran=False, why_not=message or summary or _last_line(stderr))
    findings = []
    for name, vulnerability in report["vulnerabilities"].items():
        for via in vulnerability.get("via", []):
            if not isinstance(via, dict):
                continue  # through another package, whose own advisory is listed under its name
            url = via.get("url") or ""
            fix = vulnerability.get("fixAvailable")
            findings.append(
                Finding(
                    tool="npm audit",
                    package=name,
                    version=via.get("range", ""),
                    id=url.rstrip("/").rsplit("/", 1)[-1] if url else str(via.get("source", "")),
                    fixed_in=f"{fix['name']} {fix['version']}" if isinstance(fix, dict) else "",
                    title=via.get("title", ""),
                )
            )
    total = report.get("metadata", {}).get("dependencies", {}).get("total", 0)
    return Outcome("npm audit", ran=True, findings=findings, checked=total)


def load_exceptions(path: Path = EXCEPTIONS) -> list[dict]:
    entries = tomllib.loads(path.read_text()).get("exception", []) if path.exists() else []
    for entry in entries:
        missing = {"id", "package", "reason", "reviewed_by", "review_by"} - entry.keys()
        if missing:
            raise SystemExit(f"{path.name}: the exception {entry.get('id', '?')} lacks {sorted(missing)}")
    return entries


def excused(finding: Finding, exceptions: list[dict], today: datetime.date) -> dict | None:
    for entry in exceptions:
        if entry["id"] in finding.names() and entry["package"].lower() == finding.package.lower():
            return entry if entry["review_by"] >= today else None
    return None


def pip_audit(runner: Run) -> Outcome:
    reasons = []
    for service in PIP_AUDIT_SERVICES:
        command = [
            *(sys.executable, "-m", "pip_audit", "--requirement", "constraints.txt", "--no-deps"),
            *("--disable-pip", "--vulnerability-service", service, "--format", "json"),
            *("--progress-spinner", "off", "--timeout", "10"),
        ]
        outcome = pip_audit_outcome(service, *runner(command))
        if outcome.ran:
            return outcome
        reasons.append(f"{service}: {outcome.why_not}")
    return Outcome("pip-audit", ran=False, why_not="; ".join(reasons))


def npm_audit(runner: Run) -> Outcome:
    command = ["npm", "audit", "--json", "--package-lock-only", "--fetch-timeout=10000", "--fetch-retries=0"]
    return npm_audit_outcome(*runner(command))


def report(outcomes: list[Outcome], exceptions: list[dict], today: datetime.date) -> tuple[int, list[str]]:
    """What to print, and the exit status: 1 when a tool found a vulnerability no current exception covers."""
    lines, status, used = [], 0, set()
    for outcome in outcomes:
        if not outcome.ran:
            lines.append(f"{outcome.tool}: COULD NOT RUN, so nothing was checked: {outcome.why_not}")
            lines.append(
                "  Not failing the build (the advisory service is outside our reach); run `make audit` where "
                "it answers before a release."
            )
            continue
        against = f" (advisories from {outcome.service})" if outcome.service else ""
        lines.append(f"{outcome.tool}: checked {outcome.checked} packages{against}.")
        if outcome.not_checked:
            lines.append(f"  {len(outcome.not_checked)} not checked: {'; '.join(outcome.not_checked[:5])}")
        for finding in outcome.findings:
            entry = excused(finding, exceptions, today)
            where = f"{finding.package} {finding.version}".strip()
            fixed = f"; fixed in {finding.fixed_in}" if finding.fixed_in else "; no fixed version yet"
            if entry is not None:
                used.add(entry["id"])
                lines.append(f"  excused: {where}: {finding.id}{fixed}. Reviewed: {entry['reason']}")
            else:
                status = 1
                lines.append(f"  VULNERABLE: {where}: {finding.id} {finding.title}{fixed}.")
        if not outcome.findings:
            lines.append("  No known vulnerability.")
    for entry in exceptions:
        if entry["review_by"] < today:
            lines.append(
                f"exception {entry['id']} ({entry['package']}) lapsed on {entry['review_by']}: review it"
            )
        elif entry["id"] not in used and all(outcome.ran for outcome in outcomes):
            lines.append(f"exception {entry['id']} ({entry['package']}) matched nothing: remove it")
    if status:
        lines.append(
            "Upgrade the package (constraints.txt or package.json), or record why it cannot hurt us in "
            "docs/security/audit-exceptions.toml (docs/security/README.md)."
        )
    return status, lines


def main(runner: Run = run, today: datetime.date | None = None) -> int:
    status, lines = report(
        [pip_audit(runner), npm_audit(runner)], load_exceptions(), today or datetime.date.today()
    )
    print("\n".join(lines), flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
