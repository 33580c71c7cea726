"""`recordaccess bench_campaign --recipients N [--lose-answers RATE] [--json]`: build, queue and send a campaign,
kill a worker, and lose some of Notify's answers.

1. Adds N synthetic adult patients, each with a mobile number or an email address, to a benchmark practice,
   and approves its default text and email templates (not timed).
2. Times building and queuing the campaign: writing it, planning every patient's channel, the second
   administrator's approval (one message per patient, with its reference and reply code) and the send.
3. Starts a local server that speaks Notify's API (JWT checked) and two real workers (`recordaccess worker`)
   whose Notify channel talks to it through notifications-python-client, with the rate limit lifted: this
   measures our sender, not Notify's cap.
4. Part-way through, kills one worker outright (SIGKILL, the whole process group) and starts another. The
   killed task's lease runs out, the workers' heartbeat starts a sender in its place, and that sender settles
   the messages the killed one held by looking them up by reference.
5. With `--lose-answers RATE`, the server records that share of the notifications it is sent and then answers
   502, as when a proxy loses Notify's answer (chosen by a seeded generator, so runs repeat). The sender must
   look each one up by its reference before it sends anything again.
6. Counts what the server received: messages received twice (must be 0) and never (must be 0).
The benchmark practice is emptied before and after, so runs are comparable and the database is left as it was.
"""

import collections
import datetime
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import override_settings
from tqdm import tqdm

from recordaccess.audit.services import Actor
from recordaccess.core.nhs_number import check_digit
from recordaccess.core.processes import database_url
from recordaccess.outreach import localnotify
from recordaccess.outreach.models import (
    Campaign,
    CampaignStatus,
    Message,
    MessageTemplate,
    OutboxItem,
    PatientReply,
    SendAllowance,
)
from recordaccess.outreach.services import (
    approve_campaign,
    approve_template,
    create_campaign,
    install_default_templates,
    set_campaign_sending,
)
from recordaccess.patients.models import Cohort, Flag, Patient
from recordaccess.patients.names import search_key
from recordaccess.practices.bench import ready_practice

BENCH_ODS = "Z90003"
AUTHOR, APPROVER = Actor.system("bench-author"), Actor.system("bench-approver")
STUCK_SECONDS = 3


def approved_campaign(practice, name, cohort, templates, *, author, approver):
    """A campaign to the cohort, sending at any hour on any day (so a run never waits for its window), written by
    one administrator and approved by another, as the two-person rule asks."""
    campaign = create_campaign(
        actor=author,
        practice=practice,
        name=name,
        cohort=cohort,
        templates=templates,
        skip_told_within_days=0,
    )
    Campaign.objects.filter(pk=campaign.pk).update(
        window_start=datetime.time(0, 0), window_end=datetime.time(23, 59, 59), send_on_sundays=True
    )
    approve_campaign(actor=approver, practice=practice, campaign_id=campaign.pk)
    return campaign


class Command(BaseCommand):
    help = "Benchmark building, queuing and sending a campaign through Notify's API, with a worker killed."

    def add_arguments(self, parser):
        parser.add_argument("--recipients", type=int, default=100_000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument(
            "--kill-at", type=float, default=0.4, help="Kill a worker after this share is sent."
        )
        parser.add_argument(
            "--lose-answers",
            type=float,
            default=0.0,
            metavar="RATE",
            help="Share of sends whose answer is lost (recorded, then a 502), from 0 to 1.",
        )
        parser.add_argument("--timeout", type=int, default=1800, help="Give up after this many seconds.")
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(
        self,
        *args,
        recipients: int,
        workers: int,
        kill_at: float,
        lose_answers: float,
        timeout: int,
        as_json: bool,
        **o,
    ):
        if recipients < 1 or workers < 1:
            raise CommandError("--recipients and --workers must be at least 1.")
        if not 0 <= lose_answers < 1:
            raise CommandError("--lose-answers must be at least 0 and less than 1.")
        say = (lambda *a: None) if as_json else self.stdout.write
        practice = self._empty_practice()
        say(f"Adding {recipients:,} synthetic patients and approving the default templates…")
        self._patients(practice, recipients)
        templates = self._templates(practice)
        cohort = Cohort.objects.create(practice=practice, name="Everyone", filters={}, created_by=AUTHOR.name)

        say("Building and queuing the campaign…")
        started = time.perf_counter()
        campaign = approved_campaign(
            practice, "Benchmark", cohort, templates, author=AUTHOR, approver=APPROVER
        )
        with override_settings(SEND_WORKERS=workers):  # one sending task per worker
            set_campaign_sending(actor=APPROVER, practice=practice, campaign_id=campaign.pk, sending=True)
        build_seconds = time.perf_counter() - started
        queued = campaign.messages.count()

        say(f"Sending {queued:,} messages with {workers} workers to a local Notify-compatible server…")
        with localnotify.FakeNotify(lose_answers=lose_answers, seed=recipients) as server:
            sending = self._send(campaign, server, workers, kill_at, timeout, as_json)
            references = server.sent_references()
            times = [n["received_at"] for n in server.notifications]
            answers_lost, look_ups = server.answers_lost, server.look_ups
        expected = set(campaign.messages.values_list("reference", flat=True))
        received = collections.Counter(references)
        statuses = dict(collections.Counter(campaign.messages.values_list("status", flat=True)))
        campaign.refresh_from_db()
        result = {
            "database": connection.vendor,
            "tasks_backend": settings.TASKS_BACKEND,
            "recipients": queued,
            "build_seconds": round(build_seconds, 2),
            "workers": workers,
            "send_seconds": round(sending["seconds"], 2),
            "send_rate_per_s": round(len(references) / sending["seconds"]) if sending["seconds"] else 0,
            "rate_before_kill_per_s": sending["rate_before_kill"],
            "killed_after": sending["killed_after"],
            "lose_answers": lose_answers,
            "answers_lost": answers_lost,
            "look_ups": look_ups,
            "received": len(references),
            "duplicates": sum(n - 1 for n in received.values() if n > 1),
            "lost": len(expected - set(received)),
            "unexpected": len(set(received) - expected),
            "unexpected_sample": sorted(str(r) for r in set(received) - expected)[:5],
            "statuses": statuses,
            "campaign_status": campaign.status,
            "first_to_last_receipt_seconds": round(max(times) - min(times), 2) if times else 0,
        }
        self._empty_practice()
        SendAllowance.objects.filter(key__startswith="bench:").delete()
        if as_json:
            self.stdout.write(json.dumps(result))
            return
        self.stdout.write(
            f"\n{queued:,} recipients on {connection.vendor} ({settings.TASKS_BACKEND} tasks): built and queued "
            f"in {build_seconds:.2f} s; sent in {sending['seconds']:.1f} s by {workers} workers, "
            f"{result['send_rate_per_s']:,} messages/s overall ({result['rate_before_kill_per_s']:,}/s before "
            f"the kill); one worker killed after {sending['killed_after']:,} messages; {answers_lost:,} answers "
            f"lost, {look_ups:,} look-ups by reference.\n"
            f"Received twice: {result['duplicates']}. Never received: {result['lost']}. "
            f"Campaign {campaign.status}; messages {statuses}."
        )

    def _send(self, campaign, server, workers: int, kill_at: float, timeout: int, quiet: bool) -> dict:
        environment = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "MESSAGE_CHANNEL": "recordaccess.outreach.channels.NotifyChannel",
            "NOTIFY_API_KEY": localnotify.API_KEY,
            "NOTIFY_BASE_URL": server.url,
            "NOTIFY_SMS_TEMPLATE_ID": localnotify.SMS_TEMPLATE_ID,
            "NOTIFY_EMAIL_TEMPLATE_ID": localnotify.EMAIL_TEMPLATE_ID,
            # Our sender is measured, not Notify's caps, and the bench's sends count against no real service.
            "NOTIFY_RATE_PER_MINUTE": str(10**9),
            "NOTIFY_DAILY_SMS": str(10**9),
            "NOTIFY_DAILY_EMAIL": str(10**9),
            "NOTIFY_LIMITS_KEY": "bench",
            "SEND_STUCK_AFTER_SECONDS": str(STUCK_SECONDS),
            # A lost answer is looked up a second later (Notify's answers here come at once, or as a 502).
            "SEND_RETRY_BASE_SECONDS": "1",
            "SEND_WORKERS": str(workers),
            "WORKER_HEARTBEAT_SECONDS": "2",
            "LOG_LEVEL": "WARNING",
            "DEBUG": "0",
        }
        total = campaign.messages.count()
        started = time.perf_counter()
        running = [self._worker(environment) for _ in range(workers)]
        killed_after, rate_before_kill = 0, 0
        bar = tqdm(total=total, unit=" msg", desc="Sent", disable=quiet or not sys.stderr.isatty())
        try:
            while True:
                time.sleep(0.25)
                bar.update(server.received() - bar.n)
                if not killed_after and server.received() >= kill_at * total:
                    killed_after = server.received()
                    rate_before_kill = round(killed_after / (time.perf_counter() - started))
                    os.killpg(running[0].pid, signal.SIGKILL)  # no goodbye: its messages stay "sending"
                    running[0].wait()
                    running[0] = self._worker(environment)
                status = Campaign.objects.filter(pk=campaign.pk).values_list("status", flat=True).get()
                if status == CampaignStatus.COMPLETED:
                    break
                if time.perf_counter() - started > timeout:
                    raise CommandError(f"Sending did not finish within {timeout} s.")
                for worker in running:
                    if worker.poll() is not None:
                        worker.log.seek(0)
                        raise CommandError(f"A worker stopped by itself: {worker.log.read()[-2000:]}")
        finally:
            bar.close()
            for worker in running:
                if worker.poll() is None:
                    os.killpg(worker.pid, signal.SIGTERM)
            for worker in running:
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(worker.pid, signal.SIGKILL)
        return {
            "seconds": time.perf_counter() - started,
            "killed_after": killed_after,
            "rate_before_kill": rate_before_kill,
        }

    @staticmethod
    def _worker(environment: dict) -> subprocess.Popen:
        # A file, not a pipe: a full pipe would stop the worker. Closed when the worker object goes.
        log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115
        worker = subprocess.Popen(
            [sys.executable, "-m", "recordaccess", "worker"],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group: a kill takes any child it forked (RQ does)
        )
        worker.log = log
        return worker

    @staticmethod
    def _empty_practice():
        practice = ready_practice(
            BENCH_ODS, "Benchmark practice", command="bench_campaign", dpia_reference="BENCH-DPIA"
        )
        with transaction.atomic():
            PatientReply.objects.filter(practice=practice).delete()
            for campaign in Campaign.objects.filter(practice=practice):
                campaign.prints.all().delete()
                OutboxItem.objects.filter(message__campaign=campaign).delete()
                Message.objects.filter(campaign=campaign)._raw_delete(connection.alias)
                campaign.delete()
            Cohort.objects.filter(practice=practice).delete()
            MessageTemplate.objects.filter(practice=practice).delete()
            Flag.objects.filter(patient__practice=practice).delete()
            Patient.objects.filter(practice=practice)._raw_delete(connection.alias)
        return practice

    @staticmethod
    def _patients(practice, count: int) -> None:
        given, family = (
            ["Alex", "Sam", "Jo", "Priya", "Tomasz", "Aisha"],
            ["Smith", "Patel", "Jones", "Nowak"],
        )
        born = datetime.date(1950, 1, 1)

        def patient(i: int) -> Patient:
            stem = f"{800_000_000 + i * 10:09d}"
            while check_digit(stem) is None:
                stem = f"{int(stem) + 1:09d}"
            first, last = given[i % len(given)], family[i % len(family)]
            return Patient(
                practice=practice,
                nhs_number=stem + str(check_digit(stem)),
                given_name=first,
                family_name=last,
                given_key=search_key(first),
                family_key=search_key(last),
                date_of_birth=born + datetime.timedelta(days=i % 20_000),
                address_line_1=f"{i % 300 + 1} Bench Street",
                town="Leeds",
                postcode="LS1 4AP",
                mobile="" if i % 10 == 0 else f"077{i % 100_000_000:08d}",
                email=f"patient{i}@example.org" if i % 10 == 0 else "",
            )

        with transaction.atomic():
            Patient.objects.bulk_create((patient(i) for i in range(count)), batch_size=5_000)

    @staticmethod
    def _templates(practice) -> dict:
        install_default_templates(actor=AUTHOR, practice=practice)
        chosen = {}
        for channel in ("sms", "email"):
            template = MessageTemplate.objects.get(
                practice=practice, channel=channel, purpose="announcement", higher_risk=False
            )
            chosen[channel] = approve_template(actor=AUTHOR, practice=practice, template_id=template.pk)
        return chosen
