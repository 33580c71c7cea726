"""Hooks the practice offers the apps above it, which it never imports."""

from django.dispatch import Signal

# Sent inside the transaction that changes a practice's approach, with actor, practice, before and after.
# A receiver returns what the administrator must be told about it ("" for nothing).
approach_changed = Signal()
