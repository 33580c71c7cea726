"""The audit trail in plain words: one table of what each action code means, and the names of what an entry
points at. The codes stay in the trail (they are what the chain signs); only the page reads them out.

`tests/practices/test_audit_words.py` reads the code for every action it records and fails if one has no words
here, so a new action cannot reach the page as a bare code."""

from collections import defaultdict

from recordaccess.practices.selectors import practice_staff
from recordaccess.practices.signals import audit_names

ACTION_WORDS = {
    "api.call": "Called the API",
    "api_token.create": "Made an API token",
    "api_token.list": "Viewed the practice's API tokens",
    "api_token.revoke": "Revoked an API token",
    "audit.search": "Searched the audit trail",
    "auth.password_accepted": "Password accepted",
    "auth.password_failed": "Password not accepted",
    "auth.signed_in": "Signed in",
    "auth.signed_out": "Signed out",
    "auth.two_factor_enrolled": "Set up two-factor authentication",
    "auth.two_factor_failed": "Two-factor code not accepted",
    "campaign.approve": "Approved a campaign",
    "campaign.create": "Created a campaign",
    "campaign.delete": "Deleted a draft campaign",
    "campaign.letters_download": "Downloaded a campaign's letters",
    "campaign.letters_print": "Printed a campaign's letters",
    "campaign.pause": "Paused a campaign",
    "campaign.schedule": "Scheduled a campaign to start sending",
    "campaign.schedule_missed": "A scheduled campaign could not start",
    "campaign.send": "Started sending a campaign",
    "campaign.unschedule": "Cancelled a campaign's schedule",
    "campaign.update": "Changed a draft campaign",
    "campaign.window": "Changed a campaign's sending hours",
    "coding.confirm": "Confirmed that access was set in the clinical system",
    "coding.export": "Exported the coding worklist",
    "coding.view": "Viewed the coding worklist",
    "cohort.delete": "Deleted a cohort",
    "cohort.patients_view": "Viewed the patients in a cohort",
    "cohort.save": "Saved a cohort",
    "demo.load": "Loaded the demonstration data",
    "dpia.update": "Changed the DPIA details",
    "dpia_consultation.add": "Added a consultation to the DPIA",
    "dpia_consultation.remove": "Removed a consultation from the DPIA",
    "dpia_risk.add": "Added a risk to the DPIA",
    "dpia_risk.defaults": "Added the default risks to the DPIA",
    "dpia_risk.measures": "Recorded the measures for a DPIA risk",
    "dpia_risk.remove": "Removed a risk from the DPIA",
    "dpia_risk.update": "Changed a risk in the DPIA",
    "dpia_step.save": "Saved a step of the DPIA",
    "dpia_version.pack": "Downloaded the DPIA's ICO consultation pack",
    "dpia_version.sign_off": "Signed off a version of the DPIA",
    "dpia_version.start": "Started a new version of the DPIA",
    "organisation.create": "Added an organisation (PCN or ICB)",
    "organisation.export": "Downloaded an organisation's table of practices",
    "organisation.observer_add": "Made someone an observer of an organisation that holds this practice",
    "organisation.pomi_export": "Downloaded an organisation's monthly return",
    "organisation.practice_add": "Added the practice to an organisation (PCN or ICB)",
    "organisation.practice_remove": "Removed the practice from an organisation (PCN or ICB)",
    "pomi.export": "Downloaded the monthly return (POMI)",
    "plan_section.save": "Saved a section of the practice plan",
    "plan_version.start": "Started a new version of the practice plan",
    "plan_version.approve": "Approved a version of the practice plan",
    "plan.share": "Recorded that the practice plan was shared",
    "plan.export": "Downloaded the practice plan",
    "faq.edited": "Changed an answer on the questions page",
    "faq.restored": "Restored the default wording of an answer",
    "flag.add": "Added a flag",
    "flag.end": "Ended a flag",
    "flags.import": "Imported flags from the clinical system",
    "identity.document_view": "Opened a kept copy of identity documents",
    "online_accounts.import": "Imported online accounts from the clinical system",
    "online_accounts.problems_viewed": "Viewed the problems of an online accounts import",
    "outbox.letter_view": "Opened a letter in the outbox",
    "outbox.view": "Viewed the outbox",
    "patient.communication_worklist": "Viewed the communication needs worklist",
    "patient.preference": "Recorded a patient's contact preference",
    "patient.search": "Searched for a patient",
    "patient.told_in_own_format": "Recorded that a patient was told in their own format",
    "patient.view": "Viewed a patient",
    "ppg.action_added": "Added an action to a Patient Participation Group meeting",
    "ppg.action_changed": "Changed an action of a Patient Participation Group meeting",
    "ppg.meeting_added": "Added a Patient Participation Group meeting to the log",
    "ppg.meeting_changed": "Changed a Patient Participation Group meeting",
    "ppg.pack_downloaded": "Downloaded the pack for the Patient Participation Group",
    "practice.create": "Created the practice",
    "practice.update": "Changed the practice details",
    "question.received": "Received a question from a patient",
    "register.import": "Imported the patient register",
    "register.report_download": "Downloaded a register import's problems",
    "question.answer": "Sent an answer to a patient's question",
    "question.answered": "Marked a question answered",
    "question.assign": "Assigned a question",
    "question.call": "Recorded a call about a question",
    "question.clinician": "Passed a question to a clinician",
    "question.decline": "Recorded a patient's “no thank you” from a question",
    "question.note": "Added a note to a question",
    "question.policy": "Changed how soon questions are answered",
    "question.request": "Turned a question into a request for access",
    "question.topic": "Set a question's topic",
    "question.view": "Viewed a question",
    "question.waiting": "Marked a question waiting for the patient",
    "questions.view": "Viewed the question inbox",
    "replies.view": "Viewed patients' replies",
    "reply.answered": "Answered a patient's reply",
    "request.identity": "Recorded an identity check",
    "request.match": "Matched a request to a patient",
    "request.move": "Moved a request on",
    "request.proxy_authority": "Recorded the authority to act for someone else",
    "request.receive": "Received a request",
    "request.repeat": "Received a request again",
    "request.view": "Viewed a request",
    "requests.view": "Viewed the list of requests",
    "resource.add": "Added a resource",
    "resource.remove": "Removed a resource",
    "review.checklist": "Completed the review checklist",
    "review.claim": "Started reviewing a request",
    "review.decide": "Decided a request",
    "review.redacted": "Recorded what was redacted",
    "review.release": "Stopped reviewing a request",
    "review.view": "Viewed a request to review",
    "booking.attendance": "Recorded whether someone came to a booked time, and what they asked",
    "drop_in.book": "A place at a drop-in session was booked online",
    "drop_in.cancel": "A place at a drop-in session was cancelled by its link",
    "slot.book": "Booked a conversation",
    "slot.cancel": "Cancelled a booking",
    "slot.create": "Added conversation times",
    "slot.note": "Noted what people asked at a session",
    "slot.view": "Viewed a conversation slot",
    "staff.add": "Added a member of staff",
    "staff.invitation_declined": "Declined an invitation to join",
    "staff.invitation_withdrawn": "Withdrew an invitation",
    "staff.invite": "Invited a member of staff",
    "staff.join": "Joined the practice",
    "staff.password_set": "Set a temporary password",
    "staff.remove": "Removed a member of staff",
    "staff.role_change": "Changed a member of staff's role",
    "staff.two_factor_reset": "Reset two-factor authentication",
    "staff.unlock": "Unlocked an account",
    "sweep.entry_view": "Viewed a patient on the weekly safety sweep",
    "sweep.generate": "Made the weekly safety sweep",
    "sweep.outcome": "Recorded the outcome for a patient on the weekly safety sweep",
    "sweep.sign_off": "Signed off the weekly safety sweep",
    "sweep.view": "Viewed the weekly safety sweep",
    "template.approve": "Approved a message template",
    "template.preview": "Previewed a message template",
    "template.update": "Changed a message template",
    "templates.install_defaults": "Installed the standard message templates",
    "templates.withdraw_approval": "Withdrew approval of the message templates",
    "waiting.need": "Marked a clinical need on the waiting list",
    "waiting.policy": "Changed the waiting-list policy",
    "waiting.view": "Viewed the waiting list",
}

OBJECT_WORDS = {
    "access_request": "Request",
    "api_token": "API token",
    "assessment": "DPIA",
    "plan": "Practice plan",
    "sweep": "Weekly safety sweep",
    "audit": "Audit trail",
    "campaign": "Campaign",
    "cohort": "Cohort",
    "faq_answer": "Questions page answer",
    "identity_check": "Identity check",
    "patient": "Patient",
    "ppg_action": "PPG action",
    "ppg_meeting": "PPG meeting",
    "question": "Question",
    "staff": "Member of staff",
}


def action_words(code: str) -> str:
    """The action in plain words; a code with none (which the test forbids) is shown as it is, never hidden."""
    return ACTION_WORDS.get(code, code)


def name_entries(practice, entries) -> list[dict]:
    """Each entry with its action in words and the names of what it points at, asked of the apps that own them
    (only within this practice: an id of another practice's stays a number)."""
    wanted = defaultdict(set)
    for entry in entries:
        if entry.object_type and entry.object_id:
            wanted[entry.object_type].add(str(entry.object_id))
        if entry.patient_id:
            wanted["patient"].add(str(entry.patient_id))
    staff = {str(m.user_id): f"{m.user.display_name} ({m.user.username})" for m in practice_staff(practice)}
    names = {("staff", user_id): name for user_id, name in staff.items()}
    for _receiver, answer in audit_names.send(sender=None, practice=practice, wanted=dict(wanted)):
        names.update(answer or {})
    return [
        {
            "entry": entry,
            "words": action_words(entry.action),
            "who": staff.get(str(entry.actor_id), entry.actor) if entry.actor else "The service",
            "object": _object(entry, names),
            "patient": names.get(("patient", str(entry.patient_id))) if entry.patient_id else None,
        }
        for entry in entries
    ]


def _object(entry, names) -> str:
    if not entry.object_type:
        return ""
    kind = OBJECT_WORDS.get(entry.object_type, entry.object_type.replace("_", " ").capitalize())
    if not entry.object_id:
        return kind
    if entry.object_type == "patient" and entry.patient_id and str(entry.patient_id) == str(entry.object_id):
        return ""  # the patient column names them
    name = names.get((entry.object_type, str(entry.object_id)))
    return f"{kind}: {name}" if name else f"{kind} {entry.object_id}"
