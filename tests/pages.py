"""The pages a member of staff or a patient can open by a plain GET, with real rows behind their arguments: walked
by the markup tests and by axe-core in Chromium. Routes are found the way tests/test_every_url.py finds them, so a
new page is walked without anyone listing it."""

import re
from html.parser import HTMLParser

from django.apps import apps

from tests.test_every_url import ARGUMENT, ROUTES

# The model behind each argument of a staff route; its first row in the practice fills the argument.
ARGUMENT_MODELS = {
    "request_id": ("intake.AccessRequest", "practice"),
    "patient_id": ("patients.Patient", "practice"),
    "cohort_id": ("patients.Cohort", "practice"),
    "import_id": ("patients.RegisterImport", "practice"),
    "campaign_id": ("outreach.Campaign", "practice"),
    "template_id": ("outreach.MessageTemplate", "practice"),
    "print_id": ("outreach.LetterPrint", "campaign__practice"),
    "slot_id": ("conversations.Slot", "practice"),
    "question_id": ("questions.Question", "practice"),
    "meeting_id": ("questions.PpgMeeting", "practice"),
    "action_id": ("questions.PpgAction", "meeting__practice"),
    "answer_id": ("questions.FaqAnswer", "practice"),
    "risk_id": ("assurance.Risk", "assessment__practice"),
    "version": ("assurance.Assessment", "practice"),  # a DPIA's version number, not its id
    "plan_version": ("assurance.Plan", "practice"),  # the practice plan's version number
    "online_import_id": ("patients.OnlineAccountImport", "practice"),
    "sweep_id": ("assurance.Sweep", "practice"),
    "entry_id": ("assurance.SweepEntry", "sweep__practice"),
}
# Arguments that name one of a few pages: each value is walked as a route of its own.
ARGUMENT_CHOICES = {
    "part": ["need", "processing", "consultation", "necessity", "risks", "measures", "sign-off"],
    "section": [
        "approach",
        "dpia",
        "communication",
        "direct_request",
        "requests",
        "waiting_list",
        "conversations",
        "vulnerable",
        "questions",
    ],
}
# Routes that answer with a file or act on a GET, not a page to read.
NOT_PAGES = re.compile(r"(\.pdf|\.csv|/export/|/count/|sign-out/|/status/)$")


def staff_page_routes() -> list[str]:
    """Staff routes whose arguments are the practice and rows we can find."""
    found = []
    for route in ROUTES:
        if not route.startswith("staff/p/<str:ods>/") or NOT_PAGES.search(route):
            continue
        names = [match["name"] for match in ARGUMENT.finditer(route)]
        if all(name == "ods" or name in ARGUMENT_MODELS or name in ARGUMENT_CHOICES for name in names):
            found.extend(_chosen(route))
    return found


def _chosen(route: str) -> list[str]:
    """The route once for each value of each of its ARGUMENT_CHOICES."""
    for name, values in ARGUMENT_CHOICES.items():
        pattern = re.compile(rf"<(?:[^>:]+:)?{name}>")
        if pattern.search(route):
            return [chosen for value in values for chosen in _chosen(pattern.sub(value, route))]
    return [route]


def public_page_routes() -> list[str]:
    """The practice's public pages (the request form's steps are walked by answering them), the reply-link page
    and the service status page."""
    practice_pages = [
        route for route in ROUTES if route.startswith("p/<str:ods>/") and "<slug:step>" not in route
    ]
    return [*practice_pages, "r/<str:code>/", "status/"]


def fill(route: str, practice, **values) -> str | None:
    """The route's path with each argument found in the practice; None when the practice has no such row."""
    for name, (label, scope) in ARGUMENT_MODELS.items():
        if f"<int:{name}>" in route and name not in values:
            row = apps.get_model(label).objects.filter(**{scope: practice}).order_by("pk").first()
            if row is None:
                return None
            values[name] = row.number if name in ("version", "plan_version") else row.pk
    values.setdefault("ods", practice.ods_code)
    values.setdefault("code", "0123456789")  # a link code that finds nothing: its page says so
    values.setdefault(
        "slug", "what-online-access-shows"
    )  # a default answer every practice's questions page has
    return "/" + ARGUMENT.sub(lambda match: str(values[match["name"]]), route)


class Markup(HTMLParser):
    """What the accessibility checks read from a page: ids, headings, inputs and the error summary's links."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.h1: list[str] = []
        self.inputs: dict[str, dict] = {}
        self.summary_links: list[str] = []
        self.captions: list[str] = []  # labels and legends that are not the page's heading
        self._in_h1 = self._in_summary = 0
        self._text: list[str] = []
        self._caption: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag in ("input", "textarea", "select") and attrs.get("name"):
            self.inputs.setdefault(attrs["name"], attrs)
        if tag == "h1":
            self._in_h1, self._text = 1, []
            self._caption = None
        if tag in ("label", "legend") and not self._in_h1:
            self._caption = []
        if tag == "div" and self._in_summary:
            self._in_summary += 1
        if "nhsuk-error-summary" in (attrs.get("class") or "").split():
            self._in_summary = 1
        if self._in_summary and tag == "a" and attrs.get("href", "").startswith("#"):
            self.summary_links.append(attrs["href"][1:])

    def handle_endtag(self, tag):
        if tag in ("label", "legend") and self._caption is not None:
            self.captions.append(" ".join("".join(self._caption).split()))
            self._caption = None
        if tag == "h1" and self._in_h1:
            self._in_h1 = 0
            self.h1.append(" ".join("".join(self._text).split()))
        if tag == "div" and self._in_summary:
            self._in_summary -= 1

    def handle_data(self, data):
        if self._in_h1:
            self._text.append(data)
        if self._caption is not None:
            self._caption.append(data)

    def duplicate_ids(self) -> list[str]:
        return sorted({i for i in self.ids if self.ids.count(i) > 1})

    def summary_in_field_order(self) -> bool:
        """The error summary lists its links in the order their fields come on the page."""
        places = [self.ids.index(target) for target in self.summary_links if target in self.ids]
        return places == sorted(places)
