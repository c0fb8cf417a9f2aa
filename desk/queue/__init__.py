"""The ticket queue: issue, call next, recall, no-show, transfer, start, finish; ratings.

Rules (details in :mod:`desk.queue.engine`):
- A ticket number is never issued twice in a local day, and a ticket is never called
  by two counters: every step is one write transaction (``BEGIN IMMEDIATE`` on
  SQLite, ``FOR UPDATE SKIP LOCKED`` on PostgreSQL).
- Every step is kept in ``ticket_event`` and writes its outbox and audit rows through
  the same recorder as the ORM's session events (:mod:`db.journal`).
- A ticket carries no personal data.
- :mod:`desk.queue.check` states the invariants that the property, multi-process and
  benchmark runs check after any workload.
"""
