"""The Jinja2 environment: our templates first, then the NHS.UK frontend's components."""

from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader


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
    )
    env.tests.update(first_is_empty=_is_empty_choice)
    return env
