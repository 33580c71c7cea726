"""Floors: what the same work costs with our code taken out, measured in the same run as the benchmark it stands
beside, so a figure can be read as a ratio on any machine (issue 17, part 6).

- The campaign's floor: the real Notify client (notifications-python-client) posting the same number of texts to
  the same local Notify server (outreach/localnotify.py) from the same number of processes, with no database, no
  planning, no leases and no look-ups: the network and the client alone.
- The pages' floor through Django's test client: a view that returns a few bytes, asked for through the same
  middleware, session and two-factor check as the benchmarked pages, by the same signed-in member of staff.
  The waiting list and the dashboards are timed that way, so their ratio is to this.
(The import's floor, the driver alone, is measured inside `bench_import`; the floor of pages served by gunicorn is
measured by `bench_load`, through the same server as the pages it times.)
"""

import math
import multiprocessing
import statistics
import time

from django.http import HttpResponse

from recordaccess.outreach import localnotify

FLOOR_PAGE_PATH = "/proving/trivial"


def trivial(request) -> HttpResponse:
    """The page floor's view: no query, no template, a few bytes."""
    return HttpResponse(b"ok", content_type="text/plain")


def _post_texts(base_url: str, first: int, count: int, ready, go) -> None:
    from notifications_python_client.notifications import NotificationsAPIClient

    client = NotificationsAPIClient(localnotify.API_KEY, base_url=base_url, timeout=15)
    ready.release()
    go.wait()
    for i in range(first, first + count):
        client.send_sms_notification(
            phone_number=f"077{i % 100_000_000:08d}",
            template_id=localnotify.SMS_TEMPLATE_ID,
            personalisation={
                "body": "Benchmark floor: the same length as a short text to a patient, about this."
            },
            reference=f"floor-{i}",
        )


def notify_floor(messages: int, processes: int = 2) -> dict:
    """Post `messages` texts through the Notify client from `processes` processes to a local Notify server."""
    per = math.ceil(messages / processes)
    shares = [(i * per, min(per, messages - i * per)) for i in range(processes) if messages - i * per > 0]
    # Spawned, not forked: no Django state (or connections) carried into the children.
    context = multiprocessing.get_context("spawn")
    ready, go = context.Semaphore(0), context.Event()
    with localnotify.FakeNotify() as server:
        children = [
            context.Process(target=_post_texts, args=(server.url, first, n, ready, go)) for first, n in shares
        ]
        for child in children:
            child.start()
        for _ in children:  # started and imported: the processes' start is not the client's time
            ready.acquire(timeout=120)
        started = time.perf_counter()
        go.set()
        for child in children:
            child.join()
        seconds = time.perf_counter() - started
        received = server.received()
    failed = [child.exitcode for child in children if child.exitcode]
    if failed or received != messages:
        raise RuntimeError(f"The Notify floor received {received} of {messages} (exit codes {failed}).")
    return {
        "messages": messages,
        "processes": len(children),
        "seconds": round(seconds, 2),
        "rate_per_s": round(messages / seconds),
    }


def page_floor(client, samples: int = 200) -> dict:
    """The trivial view's timings through `client` (a signed-in test client), after a warm-up, in milliseconds."""
    from django.conf import settings
    from django.test.utils import override_settings

    with override_settings(
        ROOT_URLCONF="recordaccess.proving.floor_urls", ALLOWED_HOSTS=["testserver", *settings.ALLOWED_HOSTS]
    ):
        client.get(FLOOR_PAGE_PATH)
        timings = []
        for _ in range(samples):
            started = time.perf_counter()
            response = client.get(FLOOR_PAGE_PATH)
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"The trivial view answered {response.status_code}.")
    timings.sort()
    return {
        "samples": samples,
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[math.ceil(0.95 * len(timings)) - 1], 2),
    }
