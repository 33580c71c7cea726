"""Public pages that are the same for every visitor, rendered once per process and then only stamped.

A blank question page of the patients' form is the same HTML for everyone who opens it, but for two strings: the
CSRF token of its form and the CSP nonce of its inline script, both new for each visitor. Rendering the NHS.UK
frontend's components cost a form page most of its processor time under load (benchmarks/results.md, the load
run), so such a page is rendered once, kept with those two strings set aside, and each later visitor is given a
copy with their own token and nonce put back: the same bytes a fresh render would give them.

What keeps this safe (H121, docs/safety/hazard-log.md):
- Only a caller that knows its page shows nothing of the visitor uses it, and its key names every value the page
  is rendered from (the practice's every field, the question and how it is worded, where Back goes). Nothing a
  patient typed is ever in a kept page: a page showing an answer, an error or a message is rendered afresh.
- A page is kept only when it rendered with status 200 and the token and nonce were each found and set aside; any
  other page is given as rendered and not kept.
- Kept per process, at most PAGES of them (the least recently used go first), never shared across processes or
  written anywhere: a changed practice has a new key, and the old page ages out.
"""

import re
import threading
from collections import OrderedDict

from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render

PAGES = 512
CSRF_MARK = "\x00csrf\x00"
NONCE_MARK = "\x00nonce\x00"
_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_NONCE = re.compile(r'( nonce=")[^"]*(")')

_kept: OrderedDict[tuple, str] = OrderedDict()
_lock = threading.Lock()


def model_state(instance) -> tuple:
    """Every stored field of a model instance, as a key: any change to it (even by a bulk update, which leaves
    `updated_at` as it was) is a new key."""
    return (type(instance).__name__, *(getattr(instance, f.attname) for f in instance._meta.concrete_fields))


def render_shared(request: HttpRequest, template_name: str, context: dict, *, key: tuple) -> HttpResponse:
    """`render(request, template_name, context)`, kept under `key` for the next visitor (see above)."""
    if len(get_messages(request)):  # a message waiting for this visitor: theirs alone
        return render(request, template_name, context)
    full_key = (template_name, key)
    with _lock:
        kept = _kept.get(full_key)
        if kept is not None:
            _kept.move_to_end(full_key)
    if kept is not None:
        nonce = getattr(
            request, "csp_nonce", None
        )  # django-csp's lazy nonce: made (and sent) when first read
        html = kept.replace(CSRF_MARK, get_token(request)).replace(
            NONCE_MARK, str(nonce) if nonce is not None else ""
        )
        return HttpResponse(html)
    response = render(request, template_name, context)
    if response.status_code == 200:
        html = response.content.decode(response.charset)
        html, tokens = _TOKEN.subn(rf"\g<1>{CSRF_MARK}\g<2>", html)
        html, nonces = _NONCE.subn(rf"\g<1>{NONCE_MARK}\g<2>", html)
        if tokens and nonces:
            with _lock:
                _kept[full_key] = html
                while len(_kept) > PAGES:
                    _kept.popitem(last=False)
    return response


def forget_all() -> None:
    """Empty this process's kept pages (for tests)."""
    with _lock:
        _kept.clear()
