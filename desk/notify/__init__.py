"""Telling citizens: result-ready and early-result notices, and the board's spoken calls.

Rules:
- A notice is queued in the same transaction that makes it due (a dossier marked
  ready at the counter, or a back-office "resolved" pulled from upstream), through
  one function, :func:`desk.notify.notices.queue_ready`: one notice per dossier and
  event, and none for a dossier without a phone or when no channel is configured.
- The notifier (:mod:`desk.notify.notifier`) delivers them from its own process
  (``desk notify --daemon``): it never runs on a counter's or the kiosk's path, so a
  slow or dead gateway slows nobody. Failures retry with exponential backoff and
  jitter; state lives in the database, so a restart loses nothing.
- Never twice: each attempt carries the notice's idempotency key; a gateway that
  already took the key answers "duplicate", which counts as sent. A notice caught
  mid-send by a crash is retried with the same key.
- The citizen's phone is the only personal data sent; messages name the dossier code,
  the procedure and the center, never an ID number. Logs carry the notice id only.
- Spoken calls (:mod:`desk.notify.announce`) are queued so two calls never talk over
  each other, each after a chime; a missing speech engine is reported once, never fatal.
"""
