"""Staff pages under /staff/ that are not about one practice: signing in and out, choosing a practice, and
answering an invitation. The project's urls.py puts them in the `staff` namespace."""

from recordaccess.practices import views
from recordaccess.practices.access import Stage, staff_page

urlpatterns = [
    staff_page("", views.home, "home", allow=Stage.SIGNED_IN),
    staff_page("sign-in/", views.sign_in, "sign_in", allow=Stage.ANYONE),
    staff_page("sign-in/set-up-app/", views.enrol, "enrol", allow=Stage.FIRST_FACTOR),
    staff_page("sign-in/security-code/", views.verify, "verify", allow=Stage.FIRST_FACTOR),
    staff_page("sign-out/", views.sign_out, "sign_out", allow=Stage.ANYONE),
    # An account's own invitations, answered only by its holder signed in with their own second factor.
    staff_page(
        "invitations/<int:invitation_id>/<slug:answer>/",
        views.invitation_answer,
        "invitation_answer",
        allow=Stage.SIGNED_IN,
    ),
]
