"""The Jinja2 environment: our templates first, then the NHS.UK frontend's components."""

from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader
from jinja2.filters import do_indent
from markupsafe import Markup


def url(name: str, *args, **kwargs) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def uk_date(value, with_time: bool = False) -> str:
    """Dates as the NHS style guide writes them: 5 March 2026, 14:05."""
    if value is None or value == "":
        return ""
    if hasattr(value, "hour") and with_time:
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{value.day} {value:%B %Y}, {value:%H:%M}"
    return f"{value.day} {value:%B %Y}"


def _is_empty_choice(choice) -> bool:
    return choice[0] in ("", None)


def _radio_item(choice, current) -> dict:
    value, text = choice
    return {"value": value, "text": text, "checked": str(value) == str(current)}


def _checkbox_item(choice, chosen) -> dict:
    value, text = choice
    return {"value": value, "text": text, "checked": str(value) in {str(c) for c in chosen}}


def _select_item(choice, current) -> dict:
    value, text = choice
    return {"value": value, "text": text, "selected": str(value) == str(current)}


def _nhs_number(value: str) -> str:
    from recordaccess.core.nhs_number import formatted

    return formatted(value) if value else ""


def _mobile(value: str) -> str:
    from recordaccess.patients.contacts import format_uk_mobile

    return format_uk_mobile(value) if value else ""


def _pdf_font_faces():
    """The @font-face rules every PDF's stylesheet starts with (outreach/pdf/base.jinja)."""
    from recordaccess.core.pdf import font_faces

    return font_faces()


def indent(s, width: int | str = 4, first: bool = False, blank: bool = False):
    """Jinja's `indent`, with the same output, worked on plain text and marked safe once at the end.

    The NHS.UK frontend's macros indent every component they nest (181 uses), and Jinja's own filter splits, wraps
    and escapes each line of safe HTML as a Markup object: a quarter of a form page's processor time went there
    (benchmarks/results.md, the load run). Indenting does not change what the text is, so safe text stays safe."""
    if not isinstance(s, str):
        return do_indent(s, width, first, blank)  # whatever Jinja does with it (an undefined value)
    indention = width if isinstance(width, str) else " " * width
    lines = (str(s) + "\n").splitlines()  # the newline: as Jinja's, so a trailing line break is kept
    if blank:
        text = ("\n" + indention).join(lines)
    else:
        text = lines.pop(0)
        if lines:
            text += "\n" + "\n".join(indention + line if line else line for line in lines)
    if first:
        text = indention + text
    return Markup(text) if isinstance(s, Markup) else text  # noqa: S704 - it was safe; as Jinja marks it


def _practice_text(practice, field: str) -> str:
    from recordaccess.practices.defaults import public_text

    return public_text(practice, field)


def _progress_row(item) -> dict:
    label, count = item
    return {"key": {"text": label}, "value": {"text": f"{count:,}"}}


def environment(**options) -> Environment:
    # Django passes a loader over our template folders (DIRS and each app's jinja2/).
    options.update(
        loader=ChoiceLoader([options.pop("loader"), PackageLoader("nhsuk_frontend_jinja")]),
        undefined=ChainableUndefined,
        autoescape=True,
        extensions=["jinja2.ext.do"],
    )
    env = Environment(**options)  # noqa: S701 - autoescape is set above
    env.globals.update(
        static=static,
        url=url,
        get_messages=get_messages,
        pdf_font_faces=_pdf_font_faces,
        service_name="Online records access",
        practice_text=_practice_text,
    )
    env.filters.update(
        uk_date=uk_date,
        nhs_number=_nhs_number,
        mobile=_mobile,
        radio_item=_radio_item,
        checkbox_item=_checkbox_item,
        progress_row=_progress_row,
        select_item=_select_item,
        indent=indent,
    )
    env.tests.update(first_is_empty=_is_empty_choice)
    return env
