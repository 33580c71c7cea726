"""The template environment's `indent` (recordaccess/jinja2.py) gives what Jinja's own does, character for
character, and keeps safe HTML safe and plain text plain (so autoescaping still escapes it)."""

from hypothesis import given
from hypothesis import strategies as st
from jinja2.filters import do_indent
from markupsafe import Markup

from recordaccess.jinja2 import environment, indent

PIECES = ["a", "<", "&", " ", "\n", "\r\n", "\r", "\t", "é", "\u2028", "\n\n"]
TEXT = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)
WIDTH = st.one_of(st.integers(min_value=0, max_value=8), st.sampled_from(["", "  ", "\t", "<b>", "&nbsp;"]))


@given(text=TEXT, safe=st.booleans(), width=WIDTH, first=st.booleans(), blank=st.booleans())
def test_indent_is_jinjas_indent(text, safe, width, first, blank):
    value = Markup(text) if safe else text  # noqa: S704 - test input
    ours, theirs = indent(value, width, first, blank), do_indent(value, width, first, blank)
    assert ours == theirs
    assert type(ours) is type(theirs)


def test_the_templates_use_it_and_still_escape_plain_text():
    env = environment(loader=None)
    assert env.filters["indent"] is indent
    template = env.from_string("<div>\n{{ words | indent(2) }}\n{{ html | safe | indent(2, true) }}</div>")
    page = template.render(words="a <b>\nc", html="<p>\nx</p>")
    assert page == "<div>\na &lt;b&gt;\n  c\n  <p>\n  x</p></div>"
