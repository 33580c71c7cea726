"""The API's staff pages, relative to /staff/p/<ods>/."""

from recordaccess.api import views
from recordaccess.practices.access import Menu, MenuItem, staff_page
from recordaccess.practices.roles import ADMIN

urlpatterns = [
    # Administrators alone: a token lets another system send requests and read NHS numbers to code.
    staff_page(
        "api-tokens/",
        views.tokens,
        "api_tokens",
        allow=ADMIN,
        menu=[MenuItem(Menu.PRACTICE, 25, "API tokens")],
    ),
    staff_page("api-tokens/<int:token_id>/revoke/", views.token_revoke, "api_token_revoke", allow=ADMIN),
]
