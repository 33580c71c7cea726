"""The questions page and the call guide: the practice's answers, their search, the editor's changes, the
"was this helpful" counts and the "ask us" form's way into the inbox. Reads and writes for the FAQ in one small
module, beside the inbox's own services and selectors.

A practice's answers are rows from the start: the first time anything asks for them, the defaults it lacks are
copied in by slug (questions/defaults.py), so every answer has a stable slug, a row the votes and questions point
at, and one wording whether or not anyone has edited it. An edit records who and when (H80); "restore" puts the
default wording back.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from recordaccess.audit.services import Actor, record
from recordaccess.core.errors import DomainError
from recordaccess.core.scoping import one_for_practice
from recordaccess.intake.security import HOUR, client_key
from recordaccess.intake.waiting_list import policy_for
from recordaccess.outreach.ratelimit import take_per
from recordaccess.practices.models import Practice
from recordaccess.questions import defaults, inbox
from recordaccess.questions.models import FaqAnswer, Question, QuestionRoute, Topic

# A stranger may ask this many questions an hour from one address, and a practice takes this many an hour.
ASKS_PER_CLIENT_PER_HOUR = 5
ASKS_PER_PRACTICE_PER_HOUR = 120
VOTES_PER_CLIENT_PER_HOUR = 30
# The same question from the same contact within this time is the same question (a second click on Send).
SAME_QUESTION_WITHIN = datetime.timedelta(minutes=30)
QUERY_LIMIT = 200


class FaqError(DomainError):
    """A change to an answer that cannot be made."""


# --- Reads ----------------------------------------------------------------------------------------------------


def ensure_answers(practice) -> None:
    """Give the practice a row for each default answer it lacks, with the default wording."""
    have = set(FaqAnswer.objects.filter(practice=practice).values_list("slug", flat=True))
    missing = [
        FaqAnswer(
            practice=practice, slug=d.slug, topic=d.topic, position=(i + 1) * 10, **defaults.fields_of(d)
        )
        for i, d in enumerate(defaults.DEFAULTS)
        if d.slug not in have
    ]
    if missing:
        FaqAnswer.objects.bulk_create(missing, ignore_conflicts=True)  # two first views at once: one row each


def answers(practice, *, published_only: bool = True) -> list[FaqAnswer]:
    ensure_answers(practice)
    found = FaqAnswer.objects.filter(practice=practice)
    if published_only:
        found = found.filter(published=True)
    return list(found.order_by("position", "id"))


def published_answer(practice, slug: str) -> FaqAnswer | None:
    """One answer as the public page shows it, by its slug; None for a slug it has not (or has hidden)."""
    ensure_answers(practice)
    return FaqAnswer.objects.filter(practice=practice, slug=slug[:80], published=True).first()


def answer_for_practice(practice, answer_id) -> FaqAnswer:
    """One of the practice's answers for the editor: another practice's is not found (404)."""
    return one_for_practice(FaqAnswer.objects.all(), practice, answer_id)


def is_default(answer: FaqAnswer) -> bool:
    """Whether the answer still has its default wording (an answer without a default never has)."""
    default = defaults.default_for(answer.slug)
    return default is not None and all(
        getattr(answer, field) == value for field, value in defaults.fields_of(default).items()
    )


def default_of(answer: FaqAnswer) -> defaults.DefaultAnswer | None:
    return defaults.default_for(answer.slug)


# --- Showing an answer ----------------------------------------------------------------------------------------

PLACEHOLDER = re.compile(r"\(\(([a-z ]+)\)\)")
LINK = re.compile(r"\[([^\]\n]{1,200})\]\((https://[^\s)]{1,500})\)")


def values_for(practice) -> dict[str, str]:
    """What an answer's placeholders hold for this practice now."""
    return {
        "practice name": practice.name,
        "practice phone": practice.phone or "the practice",
        "target days": str(policy_for(practice).target_days),
        "answer days": str(inbox.answer_within_days(practice)),
    }


def fill(text: str, values: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def _pieces(line: str) -> list[dict]:
    """A line as text and links: [words](https://…) becomes a link; everything stays text for the template to
    escape, so nothing a practice types can run."""
    pieces, at = [], 0
    for match in LINK.finditer(line):
        if match.start() > at:
            pieces.append({"text": line[at : match.start()]})
        pieces.append({"text": match.group(1), "href": match.group(2)})
        at = match.end()
    if at < len(line):
        pieces.append({"text": line[at:]})
    return pieces


def blocks(text: str, values: dict[str, str]) -> list[dict]:
    """An answer as the page shows it: paragraphs and bulleted lists of pieces (text and links)."""
    found = []
    for chunk in fill(text, values).replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        paragraph = [line for line in lines if not line.startswith("- ")]
        items = [line[2:].strip() for line in lines if line.startswith("- ")]
        if paragraph:
            found.append({"kind": "paragraph", "pieces": _pieces(" ".join(paragraph))})
        if items:
            found.append({"kind": "list", "items": [_pieces(item) for item in items]})
    return found


def shown(answer: FaqAnswer, values: dict[str, str]) -> dict:
    """An answer ready for a page: its question and answer with the practice's details filled in."""
    return {
        "answer": answer,
        "question": fill(answer.question, values),
        "blocks": blocks(answer.answer, values),
    }


def plain(text: str, values: dict[str, str]) -> str:
    """The answer's words without link addresses: for search and a result's summary."""
    return LINK.sub(lambda m: m.group(1), fill(text, values))


# --- Search ---------------------------------------------------------------------------------------------------

WORD = re.compile(r"[^\W_]+")
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "how",
        "i",
        "if",
        "in",
        "is",
        "it",
        "me",
        "my",
        "of",
        "on",
        "or",
        "our",
        "so",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "this",
        "to",
        "up",
        "us",
        "was",
        "we",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "you",
        "your",
    ]
)


def _stem(word: str) -> str:
    for ending in ("ing", "ed", "es", "s"):
        if len(word) > len(ending) + 3 and word.endswith(ending):
            return word[: -len(ending)]
    return word


def words(text: str) -> list[str]:
    """The words of a text for search: letters and digits of any alphabet, folded to lower case."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return [_stem(w) for w in WORD.findall(folded)]


def query_words(query: str) -> list[str]:
    """The words a search looks for: at most twelve, without the little words every answer has."""
    found = [w for w in words(query[:QUERY_LIMIT]) if w not in STOP_WORDS]
    return list(dict.fromkeys(found))[:12]


@dataclass(frozen=True)
class Result:
    answer: FaqAnswer
    question: str
    score: int
    summary: str


def _same(word: str, w: str) -> bool:
    """A searched word matches a text's word that begins with it ("result" finds "results"), or that it begins
    with when that is long enough to mean the same ("pressure" finds "pressuring", stemmed "pressur")."""
    return w == word or (len(word) >= 4 and w.startswith(word)) or (len(w) >= 5 and word.startswith(w))


def _matches(word: str, text_words: list[str]) -> int:
    return sum(1 for w in text_words if _same(word, w))


def search(practice, query: str, *, published_only: bool = True, staff: bool = False) -> list[Result]:
    """The practice's answers that have the query's words, best first: a word in the question counts three
    times one in the answer, and an answer with more of the words comes before one with fewer. The call guide
    (staff) searches the script and its notes too."""
    wanted = query_words(query)
    if not wanted:
        return []
    values = values_for(practice)
    results = []
    for answer in answers(practice, published_only=published_only):
        body = plain(answer.answer, values)
        extra = " ".join([answer.script, answer.may_say, answer.may_not_say, answer.pass_to_clinician])
        in_question = words(plain(answer.question, values))
        in_answer = words(body + (" " + fill(extra, values) if staff else ""))
        found = [(w, _matches(w, in_question), _matches(w, in_answer)) for w in wanted]
        matched = sum(1 for _w, q, a in found if q or a)
        if not matched:
            continue
        score = matched * 10 + sum(3 * min(q, 3) + min(a, 3) for _w, q, a in found)
        summary = body.replace("\n", " ")
        results.append(
            Result(
                answer,
                fill(answer.question, values),
                score,
                summary[:197] + "…" if len(summary) > 200 else summary,
            )
        )
    return sorted(results, key=lambda r: (-r.score, r.answer.position, r.answer.pk))


# --- Changes --------------------------------------------------------------------------------------------------

EDITABLE = (*defaults.FIELDS, "published")


@transaction.atomic
def update_answer(*, actor: Actor, practice, answer_id: int, **values) -> FaqAnswer:
    """Change an answer's wording (an administrator's edit), recording who and when, audited."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise FaqError(f"These cannot be changed: {', '.join(sorted(unknown))}")
    answer = one_for_practice(FaqAnswer.objects.select_for_update(), practice, answer_id)
    changed = sorted(field for field, value in values.items() if getattr(answer, field) != value)
    if not changed:
        return answer
    for field in changed:
        setattr(answer, field, values[field])
    answer.updated_by = actor.name
    answer.save()
    record(
        actor=actor,
        action="faq.edited",
        practice_ods=practice.ods_code,
        object_type="faq_answer",
        object_id=answer.pk,
        detail={"slug": answer.slug, "changed": changed},
    )
    return answer


@transaction.atomic
def restore_default(*, actor: Actor, practice, answer_id: int) -> FaqAnswer:
    """Put the default wording back (it stays published or hidden as it was), audited."""
    answer = one_for_practice(FaqAnswer.objects.select_for_update(), practice, answer_id)
    default = defaults.default_for(answer.slug)
    if default is None:
        raise FaqError("This answer has no default wording to restore")
    for field, value in defaults.fields_of(default).items():
        setattr(answer, field, value)
    answer.topic = default.topic
    answer.updated_by = actor.name
    answer.save()
    record(
        actor=actor,
        action="faq.restored",
        practice_ods=practice.ods_code,
        object_type="faq_answer",
        object_id=answer.pk,
        detail={"slug": answer.slug},
    )
    return answer


def _allowed(key: str, limit: int) -> bool:
    return bool(take_per(key, 1, limit=limit, seconds=HOUR))


def count_vote(request, practice, answer: FaqAnswer, *, helpful: bool) -> None:
    """Count one "was this helpful" answer. Past the client's hourly allowance the vote is thanked but not
    counted, so nobody can push an answer's figures about."""
    if not _allowed(f"faq:vote:client:{client_key(request)}", VOTES_PER_CLIENT_PER_HOUR):
        return
    field = "helpful" if helpful else "not_helpful"
    FaqAnswer.objects.filter(pk=answer.pk, practice=practice).update(**{field: F(field) + 1})


def may_ask(request, practice) -> bool:
    """Take one from the client's and the practice's hourly allowances of questions from the page."""
    with transaction.atomic():
        return _allowed(f"faq:ask:client:{client_key(request)}", ASKS_PER_CLIENT_PER_HOUR) and _allowed(
            f"faq:ask:practice:{practice.pk}", ASKS_PER_PRACTICE_PER_HOUR
        )


@transaction.atomic
def ask(
    *,
    actor: Actor,
    practice,
    answer: FaqAnswer | None,
    name: str,
    contact_by: str,
    mobile: str = "",
    email: str = "",
    text: str,
) -> Question:
    """A question from the page's "ask us" form into the inbox, once: the same question from the same contact
    again soon after (a second click, the page sent again) is the question already there. The asker is never
    matched to a patient here, so the page answers everyone alike (H82)."""
    Practice.objects.select_for_update().filter(pk=practice.pk).first()  # one ask at a time per practice
    contact = {
        "mobile": mobile if contact_by == "sms" else "",
        "email": email if contact_by == "email" else "",
    }
    already = Question.objects.filter(
        practice=practice,
        route=QuestionRoute.FAQ,
        text=text,
        asked_at__gte=timezone.now() - SAME_QUESTION_WITHIN,
        **contact,
    ).first()
    if already is not None:
        return already
    return inbox.receive(
        actor=actor,
        practice=practice,
        route=QuestionRoute.FAQ,
        text=text,
        topic=answer.topic if answer is not None else Topic.OTHER,
        faq=answer,
        name=name,
        contact_by=contact_by,
        **contact,
    )
