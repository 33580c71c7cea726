"""Hooks the practice offers the apps above it, which it never imports."""

from django.dispatch import Signal

# Sent inside the transaction that changes a practice's approach, with actor, practice, before and after.
# A receiver returns what the administrator must be told about it ("" for nothing).
approach_changed = Signal()

# Sent to have one email go to a staff member once, with practice (the one it goes out under), reference, to,
# subject and body. The one message path answers it (outreach/direct.py `queue_staff_email`) and returns True
# when the message is queued; this app, at the bottom, never imports the path.
staff_email = Signal()

# Sent by the audit trail's page, with practice and wanted ({object type: {ids}}), to have the things its entries
# point at named in plain words. A receiver answers for the object types its app owns, only within that practice,
# with {(object type, id): name}: the patient's name and NHS number, a request's reference.
audit_names = Signal()
