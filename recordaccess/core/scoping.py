"""Practice scoping for reads: one way to fetch one practice's object by its id."""

from django.db.models import Model, QuerySet

from recordaccess.core.errors import NotFound

NOT_FOUND = "Not found"


def one_for_practice(queryset: QuerySet, practice, pk, *, through: str = "practice") -> Model:
    """The object with this id among `practice`'s, or NotFound. Another practice's object and one that never
    existed look the same, so a member of one practice learns nothing about another's.

    `through` is the path from the object to its practice when it is not a direct field
    (`campaign__practice`)."""
    found = queryset.filter(**{through: practice}, pk=pk).first()
    if found is None:
        raise NotFound(NOT_FOUND)
    return found
