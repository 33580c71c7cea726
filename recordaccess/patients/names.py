"""Names for searching: lower case, accents folded, so 'Siobhán Ní Bhriain' is found by 'siobhan ni'."""

import unicodedata


def search_key(name: str) -> str:
    if name.isascii():
        return name.lower().strip()
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()
