"""The rules of messages, in one pure module used by the template editor, the previews and the senders.

Placeholders are written as GOV.UK Notify writes them, ((first name)). Text messages are counted as the
networks bill them: GSM-7 when every character is in the GSM alphabet (160 characters, or 153 a fragment
when split; ^ { } [ ] ~ | \\ and € take two), otherwise Unicode (70, or 67 a fragment). Like Notify, we first
replace the look-alike characters people paste from word processors (curly quotes, dashes, ellipses) with
their GSM forms, so one smart quote does not double the cost of a campaign.
"""

import re
from dataclasses import dataclass

from recordaccess.core.errors import DomainError

# Notify refuses text messages longer than this (characters, after placeholders are filled).
SMS_MAX_CHARACTERS = 918
GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = set("^{}\\[~]|€\f")
DOWNGRADES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2010": "-",
        "\u2011": "-",
        "\u2212": "-",
        "\u2026": "...",
        "\u00a0": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u2009": " ",
        "\u200b": "",
        "\t": " ",
    }
)
PLACEHOLDER = re.compile(r"\(\(([^()]+?)\)\)")


class TemplateError(DomainError):
    """A template that cannot be rendered or sent, with a message for the person writing it."""


def placeholder_key(name: str) -> str:
    return " ".join(name.lower().split())


def placeholders(text: str) -> list[str]:
    """The placeholders a template uses, in order of first use, as written."""
    seen: dict[str, str] = {}
    for match in PLACEHOLDER.finditer(text):
        seen.setdefault(placeholder_key(match.group(1)), match.group(1).strip())
    return list(seen.values())


def render(text: str, values: dict[str, str]) -> str:
    """Fill every ((placeholder)); a missing value is an error naming it, never a blank in a patient's message."""
    given = {placeholder_key(k): v for k, v in values.items()}
    missing = [name for name in placeholders(text) if given.get(placeholder_key(name)) in (None, "")]
    if missing:
        raise TemplateError(f"No value for {', '.join(f'(({name}))' for name in missing)}")
    return PLACEHOLDER.sub(lambda m: str(given[placeholder_key(m.group(1))]), text)


@dataclass(frozen=True)
class SmsLength:
    text: str  # as it will be sent, after downgrading look-alike characters
    encoding: str  # "GSM-7" or "Unicode"
    characters: int  # as the network counts them: GSM extension characters count twice
    fragments: int
    unicode_characters: tuple[str, ...]  # the characters that force Unicode, for the editor to name

    @property
    def too_long(self) -> bool:
        return len(self.text) > SMS_MAX_CHARACTERS


def sms_length(text: str) -> SmsLength:
    sent = text.translate(DOWNGRADES)
    forcing = tuple(dict.fromkeys(ch for ch in sent if ch not in GSM_BASIC and ch not in GSM_EXTENSION))
    if forcing:
        characters = len(sent)
        fragments = 1 if characters <= 70 else -(-characters // 67)
        return SmsLength(sent, "Unicode", characters, fragments, forcing)
    characters = len(sent) + sum(1 for ch in sent if ch in GSM_EXTENSION)
    fragments = 1 if characters <= 160 else -(-characters // 153)
    return SmsLength(sent, "GSM-7", characters, fragments, ())


def sms_cost_pence(fragments: int, recipients: int, price_per_fragment_pence: float) -> float:
    return round(fragments * recipients * price_per_fragment_pence, 2)


# Each platform's limit on a post, in characters. X counts every web address as 23 characters.
SOCIAL_LIMITS = {
    "X (Twitter)": 280,
    "Bluesky": 300,
    "Threads": 500,
    "Instagram": 2_200,
    "LinkedIn": 3_000,
    "Facebook": 63_206,
}
WEB_ADDRESS = re.compile(r"https?://\S+")


@dataclass(frozen=True)
class PostLength:
    platform: str
    limit: int
    characters: int

    @property
    def fits(self) -> bool:
        return self.characters <= self.limit


def social_lengths(text: str) -> list[PostLength]:
    """How long a post is on each platform, as each counts it."""
    plain = len(text)
    on_x = len(WEB_ADDRESS.sub("x" * 23, text))
    return [
        PostLength(platform, limit, on_x if platform.startswith("X ") else plain)
        for platform, limit in SOCIAL_LIMITS.items()
    ]
