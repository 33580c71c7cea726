import pytest

from recordaccess.core.errors import NotFound
from recordaccess.core.scoping import one_for_practice
from recordaccess.practices.models import SignpostingResource


def test_the_practices_own_object_is_found(practice):
    resource = practice.resources.first()
    assert one_for_practice(SignpostingResource.objects.all(), practice, resource.pk) == resource


def test_another_practices_object_is_not_found_like_one_that_never_existed(practice, other_practice):
    foreign = other_practice.resources.first()
    with pytest.raises(NotFound) as theirs:
        one_for_practice(SignpostingResource.objects.all(), practice, foreign.pk)
    with pytest.raises(NotFound) as nobodys:
        one_for_practice(SignpostingResource.objects.all(), practice, 999_999)
    assert str(theirs.value) == str(nobodys.value)
