"""Demo data for the questions page and call guide: the default answers, one the practice has reworded (so the
editor and the call guide show who changed it), votes on a few, and two questions asked from the page.
`questions/demo.py` calls `load` (the lead folds it in)."""

from recordaccess.audit.services import Actor
from recordaccess.questions import faq
from recordaccess.questions.models import FaqAnswer, QuestionRoute

ADMIN = Actor.system("demo-admin")
PATIENT = Actor.system("patient (questions page)")
VOTES = {
    "what-online-access-shows": (14, 2),
    "test-results-before-we-talk": (9, 4),
    "abbreviations-and-medical-terms": (21, 1),
    "how-long-a-request-takes": (5, 6),
}
ASKED = [
    (
        "test-results-before-we-talk",
        "Jo Brown",
        "sms",
        "07700900461",
        "",
        "Who do I call if a result worries me?",
    ),
    (
        "how-long-a-request-takes",
        "Ali Khan",
        "email",
        "",
        "ali.khan@example.com",
        "I asked three weeks ago. Is it still coming?",
    ),
]


def load(*, practice, report) -> None:
    if FaqAnswer.objects.filter(practice=practice).exists():
        return
    faq.ensure_answers(practice)
    report("questions page answers", FaqAnswer.objects.filter(practice=practice).count())
    for slug, (yes, no) in VOTES.items():
        FaqAnswer.objects.filter(practice=practice, slug=slug).update(helpful=yes, not_helpful=no)
    how_long = FaqAnswer.objects.get(practice=practice, slug="how-long-a-request-takes")
    faq.update_answer(
        actor=ADMIN,
        practice=practice,
        answer_id=how_long.pk,
        answer=how_long.answer
        + "\n\nWe are busiest in the first weeks after our letters go out. Thank you for your patience.",
    )
    report("answers reworded", 1)
    for slug, name, contact_by, mobile, email, text in ASKED:
        faq.ask(
            actor=PATIENT,
            practice=practice,
            answer=FaqAnswer.objects.get(practice=practice, slug=slug),
            name=name,
            contact_by=contact_by,
            mobile=mobile,
            email=email,
            text=text,
        )
    report(f"questions from the questions page ({QuestionRoute.FAQ.label})", len(ASKED))
