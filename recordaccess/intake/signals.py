"""Hooks intake offers the apps above it, which it never imports.

A request that is not for access (a question, a "no thank you") never goes on the clinical waiting list: the
questions app answers these signals, turning a question into a question in its inbox and a matched "no" into a
recorded decline (questions/services.py `follow_request`)."""

from django.dispatch import Signal

# Sent inside the transaction that takes a new request in (not a repeat joined to an earlier one), with request,
# after the register was asked for a match.
request_received = Signal()

# Sent inside the transaction when a person (or NHS login, or the patient's own message) matches a request to a
# patient after it was taken in, with request.
request_matched = Signal()
