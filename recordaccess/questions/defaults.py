# ruff: noqa: S106 - "pass_to_clinician" is guidance for reception, not a password
"""The default questions and answers: what a practice's questions page and call guide show until the practice
edits them. Written from the facts in the design notes (DOMAIN.md, domain-sources.md: NHS England's guidance on
online access to new record information, the proxy standard, the Data Protection Act 2018's serious harm test
and the NHS website's patient guidance). One per topic the issue names, each with a stable slug: a practice's
copy keeps the slug, so links, votes and the inbox's `faq` stay attached when the wording changes.

The text is plain: a blank line starts a paragraph, "- " a list item, and [words](https://…) a link. Placeholders
in double brackets are filled when the page is shown, so an answer stays true when the practice's details do:
((practice name)), ((practice phone)), ((target days)) (the waiting list's target turnaround) and ((answer days))
(how soon a question is answered).
"""

from dataclasses import dataclass

from recordaccess.questions.models import Topic

NHS_A_TO_Z = "https://www.nhs.uk/conditions/"
ABBREVIATIONS = (
    "https://www.nhs.uk/nhs-app/nhs-app-help-and-support/health-records-in-the-nhs-app/"
    "abbreviations-commonly-found-in-medical-records/"
)
APP_HEALTH_RECORDS = "https://www.nhs.uk/nhs-app/nhs-app-help-and-support/health-records-in-the-nhs-app/"
PROXY_ACCESS = (
    "https://www.nhs.uk/nhs-services/gps/gp-services-for-someone-else-proxy-access/how-to-get-proxy-access/"
)


@dataclass(frozen=True)
class DefaultAnswer:
    slug: str
    topic: str
    question: str
    answer: str
    script: str
    may_say: str
    may_not_say: str
    pass_to_clinician: str


DEFAULTS = (
    DefaultAnswer(
        slug="what-online-access-shows",
        topic=Topic.WHAT_YOU_SEE,
        question="What will I see in my GP record online, and what will I not see?",
        answer=(
            "You will see new information added to your GP record from the date your online access started. "
            "This includes:\n"
            "- notes written by the doctors, nurses and other staff you see\n"
            "- test results, once the practice has looked at them\n"
            "- letters, such as letters from hospitals\n"
            "- other documents added to your record\n"
            "- your medicines, allergies and vaccinations\n\n"
            "You will not see:\n"
            "- information about other people, such as family members, unless they have agreed\n"
            "- information a clinician decides could cause serious harm to you or someone else. This is rare\n"
            "- older entries from before your access started, unless you ask for your full past record\n\n"
            "You can see your record in the NHS App or on the NHS website. "
            "[Read about health records in the NHS App](" + APP_HEALTH_RECORDS + ")."
        ),
        script=(
            "You can see new entries in your GP record from the date your online access started: notes, test "
            "results once we have looked at them, letters and documents. Information about other people, and "
            "anything a clinician decides could cause serious harm, is not shown. Older entries are not shown "
            "unless you ask for them. You can read more on our questions page."
        ),
        may_say=(
            "- What kinds of information are shown and not shown, in general.\n"
            "- That the patient can ask for their full past record.\n"
            "- That they use the NHS App or the NHS website."
        ),
        may_not_say=(
            "- Whether any entry in this caller's record is hidden, or why.\n"
            "- Anything from the record before you have checked who the caller is."
        ),
        pass_to_clinician="The caller asks why a particular entry is missing or hidden.",
    ),
    DefaultAnswer(
        slug="new-entries-and-full-past-record",
        topic=Topic.PAST_RECORD,
        question="Can I see my whole record, including older entries?",
        answer=(
            "Online access shows new entries from the date it started. This is called your prospective "
            "record.\n\n"
            "Your full past record is everything in your GP record from before that date, including older "
            "notes and letters. You can ask us for it. A clinician reads it first, to check it is safe to show "
            "and does not include information about other people. Because of this it takes longer than new "
            "entries.\n\n"
            "You can ask for your full past record on this website, at reception or on the paper form."
        ),
        script=(
            "Online access shows new entries from the date it started. If you want your older entries too, "
            "you can ask for your full past record. A clinician reads it first, so it takes longer. I can help "
            "you ask now, or you can use the form on our website."
        ),
        may_say=(
            "- The difference between new entries and the full past record.\n"
            "- How to ask, and that a clinician checks the record first."
        ),
        may_not_say="- What the past record contains, or what a clinician might hide from it.",
        pass_to_clinician="The caller asks about a specific old entry or what it means.",
    ),
    DefaultAnswer(
        slug="abbreviations-and-medical-terms",
        topic=Topic.TERMS,
        question="What do the abbreviations and medical words in my record mean?",
        answer=(
            "Records are written by health professionals for each other, so they often use short forms and "
            "medical words.\n\n"
            "These can help:\n"
            "- [Abbreviations commonly found in medical records](" + ABBREVIATIONS + ") on the NHS website\n"
            "- [Health A to Z](" + NHS_A_TO_Z + ") on the NHS website, for conditions and treatments\n\n"
            "If you are still not sure what something means, or it worries you, ask us. We can explain it at "
            "your next appointment or arrange a call."
        ),
        script=(
            "Records often use short forms and medical words. The NHS website has a list of abbreviations found "
            "in medical records and a health A to Z. If you are still not sure what something means, I can "
            "arrange for someone to explain it."
        ),
        may_say=(
            "- Where to look words up (the NHS website's abbreviations list and health A to Z).\n"
            "- That the patient can book time to have it explained."
        ),
        may_not_say="- What an entry in the caller's own record means for their health.",
        pass_to_clinician="The caller is worried by what an entry means for their health.",
    ),
    DefaultAnswer(
        slug="test-results-before-we-talk",
        topic=Topic.RESULTS,
        question="Will I see test results before a doctor has talked to me about them?",
        answer=(
            "You may. Test results show in your record once the practice has looked at them, and this can be "
            "before we have spoken to you. Some results may be worrying or hard to understand.\n\n"
            "If a result needs action, we will contact you. A result outside the usual range does not always "
            "mean something is wrong.\n\n"
            "If a result worries you, call us on ((practice phone)). If you feel unwell, use NHS 111, or call "
            "999 in an emergency."
        ),
        script=(
            "Results show once the practice has looked at them, which can be before we have spoken to you. If a "
            "result needs action, we will contact you. If you are worried about a result, I can arrange for a "
            "clinician to call you."
        ),
        may_say=(
            "- That results can appear before anyone has discussed them.\n"
            "- That the practice contacts patients whose results need action.\n"
            "- How to book a call with a clinician."
        ),
        may_not_say=(
            "- Whether a result is normal or abnormal, or what it means.\n- That 'it is probably nothing'."
        ),
        pass_to_clinician=(
            "The caller is worried about a result, is distressed, or feels unwell: pass to the duty clinician "
            "the same day."
        ),
    ),
    DefaultAnswer(
        slug="something-wrong-upsetting-or-about-someone-else",
        topic=Topic.SOMETHING_WRONG,
        question="What should I do if something in my record is wrong, upsetting or about someone else?",
        answer=(
            "Tell us. Contact the practice on ((practice phone)) or use the form at the bottom of this page, "
            "and tell us which entry it is and the date.\n\n"
            "- If something is wrong, we will check it and correct it where we can.\n"
            "- If something is about someone else, we will remove it from what you can see.\n"
            "- If something has upset you, we can arrange for a clinician to talk it through with you.\n\n"
            "If you are in distress now, call NHS 111 or, in an emergency, 999."
        ),
        script=(
            "Thank you for telling us. Which entry is it, and what is the date on it? I will pass this on so it "
            "can be checked. If it is about someone else, we will remove it from what you can see."
        ),
        may_say=(
            "- That the practice will check the entry.\n"
            "- That information about someone else is removed from view.\n"
            "- That the patient can talk it through with a clinician."
        ),
        may_not_say=(
            "- Whether the entry is right or wrong.\n- Anything about the other person the entry names."
        ),
        pass_to_clinician=(
            "The caller is upset or distressed by what they read, or says a clinical entry is wrong. Information "
            "about someone else goes to the clinician who reviews records the same day."
        ),
    ),
    DefaultAnswer(
        slug="turn-off-or-ask-for-less",
        topic=Topic.TURN_OFF,
        question="How do I turn off online access to my record, or see less of it?",
        answer=(
            "You do not have to see your record online. You can tell us at any time:\n"
            "- that you do not want to see your record online\n"
            "- that you want to see less, for example only your medicines and allergies\n"
            "- that you want a particular entry hidden from view\n\n"
            "Tell us using the form on this website, at reception or by calling ((practice phone)). You can "
            "change your mind later and ask for access again."
        ),
        script=(
            "You can turn off online access to your record, or ask to see less, at any time. I can record that "
            "now, or you can use the form on our website. You can change your mind later."
        ),
        may_say=(
            "- That the patient can turn access off or ask for less, at any time.\n"
            "- That they can change their mind later."
        ),
        may_not_say="- Why the patient should keep access, or try to talk them out of turning it off.",
        pass_to_clinician="The caller wants a particular entry hidden: a clinician decides.",
    ),
    DefaultAnswer(
        slug="proxy-access-children-and-carers",
        topic=Topic.PROXY,
        question="Can I see the record of my child, or someone I care for?",
        answer=(
            "Sometimes. This is called proxy access. We check it is right for the person whose record it is.\n\n"
            "- For a child under 11, a parent or guardian with parental responsibility can ask.\n"
            "- For a young person aged 11 to 15, we decide each case, and may talk to the young person first.\n"
            "- From 16, young people have access to their own record, and a parent needs their agreement.\n"
            "- For an adult, we need their agreement. If they cannot decide for themselves, we need a lasting "
            "power of attorney for health and welfare, a court-appointed deputy, or a decision in their best "
            "interests.\n\n"
            "We check who you are and the evidence of your role. Proxy access is usually for a set time, often "
            "one year. [How to get proxy access](" + PROXY_ACCESS + ") on the NHS website."
        ),
        script=(
            "This is called proxy access. We need to check who you are and your right to see the record, such "
            "as parental responsibility, the person's agreement or a power of attorney. I can tell you what to "
            "bring, or you can ask using the form on our website."
        ),
        may_say=("- The general rules by age and what evidence is needed.\n- How to ask."),
        may_not_say=(
            "- Whether the person is registered here, or anything from their record.\n"
            "- Whether a request will be granted."
        ),
        pass_to_clinician=(
            "The caller asks for a young person aged 11 to 15, or for an adult who may not be able to decide: "
            "a clinician assesses it."
        ),
    ),
    DefaultAnswer(
        slug="pressure-to-share-your-record",
        topic=Topic.COERCION,
        question="What should I do if someone is pressuring me to share my record?",
        answer=(
            "You never have to show your record to anyone. Keep your NHS login details to yourself: anyone who "
            "has them can see your record.\n\n"
            "If someone is pressuring you, or you think someone has seen your record without your agreement, "
            "tell us in confidence. We can turn off online access or hide entries, and we will not tell the "
            "other person. You can ask to speak to us on your own.\n\n"
            "If you are in danger, call 999. The National Domestic Abuse Helpline is free and open all day and "
            "night: 0808 2000 247."
        ),
        script=(
            "You never have to show your record to anyone. We can turn off online access or hide entries, in "
            "confidence. Is it safe for you to talk now? If not, tell me a safe time or way to contact you."
        ),
        may_say=(
            "- That the caller never has to share their record.\n"
            "- That access can be turned off or entries hidden, in confidence.\n"
            "- Ask whether it is safe to talk, and agree a safe way to call back."
        ),
        may_not_say=(
            "- Anything to another person who calls about this patient's record.\n"
            "- Details of the concern in a text, email or voicemail."
        ),
        pass_to_clinician=(
            "Always, the same day: pass to the safeguarding lead or duty clinician. If the caller is in "
            "danger now, tell them to call 999."
        ),
    ),
    DefaultAnswer(
        slug="how-long-a-request-takes",
        topic=Topic.HOW_LONG,
        question="How long does it take after I ask?",
        answer=(
            "After you ask, we first check who you are. Then a clinician may need to look at your record before "
            "access is turned on. We aim to do this within ((target days)) days of checking who you are.\n\n"
            "Asking for your full past record can take longer, because a clinician reads it first.\n\n"
            "You can check the progress of a request on this website using the reference we gave you. If you "
            "ask us a question, we aim to reply within ((answer days)) days."
        ),
        script=(
            "First we check who you are, then a clinician may look at your record before access is turned on. "
            "We aim to do this within ((target days)) days of checking who you are. A full past record can take "
            "longer. You can check progress on our website with your reference."
        ),
        may_say=("- The steps and the practice's target time.\n- How to check progress with the reference."),
        may_not_say=(
            "- A date for this caller's request before checking who they are.\n"
            "- Why a particular request is taking longer."
        ),
        pass_to_clinician="Not usually needed. If the caller is distressed by a wait, pass it to the practice manager.",
    ),
)

BY_SLUG = {answer.slug: answer for answer in DEFAULTS}
# What a practice can change back to the default with "restore": everything it can edit.
FIELDS = ("question", "answer", "script", "may_say", "may_not_say", "pass_to_clinician")


def default_for(slug: str) -> DefaultAnswer | None:
    return BY_SLUG.get(slug)


def fields_of(default: DefaultAnswer) -> dict[str, str]:
    return {field: getattr(default, field) for field in FIELDS}
