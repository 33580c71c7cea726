"""The FAQ's part of the demo: the defaults, one reworded answer, votes, and questions from the page, once."""

import pytest

from recordaccess.questions import demo_faq, faq
from recordaccess.questions.models import FaqAnswer, Question, QuestionRoute

pytestmark = pytest.mark.django_db


def test_the_demo_loads_answers_a_reworded_one_and_questions_from_the_page_once(practice):
    counts = {}

    def report(what, n):
        counts[what] = counts.get(what, 0) + n

    demo_faq.load(practice=practice, report=report)
    demo_faq.load(practice=practice, report=report)
    answers = faq.answers(practice)
    assert len([a for a in answers if not faq.is_default(a)]) == 1
    assert (
        FaqAnswer.objects.get(practice=practice, slug="how-long-a-request-takes").updated_by == "demo-admin"
    )
    assert Question.objects.filter(practice=practice, route=QuestionRoute.FAQ).count() == 2
    assert counts["answers reworded"] == 1
