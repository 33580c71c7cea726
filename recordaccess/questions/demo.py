"""Demo questions: the inbox with a question in every state and from every route, through the same services
staff and patients use. Questions from the request form and the link in a letter are already there (intake's and
replies' demos, through their signals); this adds calls, a text reply, the questions page and a drop-in, then
works some of them: assigned, answered by text (its thread shows the answer sent), waiting for the patient,
passed to a clinician, turned into a request, and a "no thank you" recorded. The questions page's demo
(demo_faq.py) and the PPG log's (demo_ppg.py) load from here too."""

from django.db import transaction
from django.utils import timezone

from recordaccess.audit.services import Actor
from recordaccess.outreach.models import DirectMessage, DirectStatus
from recordaccess.patients.models import AccessStatus
from recordaccess.practices.models import StaffUser
from recordaccess.questions import demo_faq, demo_ppg, inbox, services
from recordaccess.questions.models import ContactBy, EntryKind, Question, QuestionEntry, QuestionRoute, Topic

RECEPTION = Actor.system("demo-reception")
ASKED = [
    (QuestionRoute.CALL, Topic.RESULTS, "If I get access, will I see my blood test before the GP rings me?"),
    (QuestionRoute.CALL, Topic.PROXY, "Can I see my mum's record? I look after her."),
    (QuestionRoute.SMS, Topic.HOW_LONG, "How long does it take to get it turned on?"),
    (QuestionRoute.FAQ, Topic.TERMS, "What does 'O/E' mean in my notes?"),
    (QuestionRoute.DROP_IN, Topic.TURN_OFF, "I don't want this. Can you make sure it stays off?"),
    (QuestionRoute.CALL, Topic.WHAT_YOU_SEE, "Will I see the letters from the hospital?"),
    (QuestionRoute.CALL, Topic.HOW_LONG, "I asked for access weeks ago and have heard nothing."),
]


def load(*, practice, report) -> None:
    demo_faq.load(
        practice=practice, report=report
    )  # the questions page, its votes and its "ask us" questions
    demo_ppg.load(practice, report)  # a PPG meeting with its actions
    if QuestionEntry.objects.filter(question__practice=practice, kind=EntryKind.ANSWER).exists():
        return
    patients = list(
        practice.patients.filter(status="registered", access_status=AccessStatus.NOT_DECIDED)
        .exclude(mobile="")
        .order_by("pk")[:40]
    )
    if len(patients) < len(ASKED):
        return
    reception = StaffUser.objects.filter(username="demo-reception").first()
    made = []
    with transaction.atomic():
        for (route, topic, text), patient in zip(ASKED, patients[-len(ASKED) :], strict=True):
            made.append(
                inbox.receive(
                    actor=RECEPTION
                    if route in (QuestionRoute.CALL, QuestionRoute.DROP_IN)
                    else services.PATIENT,
                    practice=practice,
                    route=route,
                    topic=topic,
                    text=text,
                    by="demo-reception"
                    if route in (QuestionRoute.CALL, QuestionRoute.DROP_IN)
                    else "patient",
                    name=str(patient),
                    contact_by=ContactBy.SMS,
                    mobile=patient.mobile,
                    email=patient.email,
                    patient=patient,
                )
            )
        results, proxy, how_long, terms, turn_off, letters, *_ = made
        if reception is not None:
            services.assign(actor=RECEPTION, question=letters, owner_id=reception.pk)
            services.assign(actor=RECEPTION, question=how_long, owner_id=reception.pk)
        services.answer(
            actor=RECEPTION,
            question=how_long,
            channel=ContactBy.SMS,
            text="Most requests are done within four weeks. We will text you when yours is ready.",
            number=1,
        )
        services.answer(
            actor=RECEPTION,
            question=terms,
            channel=ContactBy.SMS,
            text="It means 'on examination': what the GP found when they examined you. Did that help?",
            number=1,
            then="waiting",
        )
        services.add_note(actor=RECEPTION, question=proxy, text="Carer for her mother, who has dementia.")
        services.pass_to_clinician(
            actor=RECEPTION, question=results, reason="Asks about results before the GP has discussed them."
        )
        services.turn_into_request(actor=RECEPTION, question=made[-1])
        services.record_no_thank_you(actor=RECEPTION, question=turn_off)
        # The demo's messages are shown as sent, as intake's demo shows its acknowledgements.
        DirectMessage.objects.filter(reference__startswith="question-", practice=practice).update(
            status=DirectStatus.SENT, sent_at=timezone.now()
        )
    report("questions", len(made))
    report("questions in the inbox", Question.objects.filter(practice=practice).count() - len(made))
