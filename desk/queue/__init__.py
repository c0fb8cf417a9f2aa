"""The ticket queue: issue, call next, recall, no-show, transfer, start, finish; ratings.

Rules (details in :mod:`desk.queue.engine`):
- A ticket number is never issued twice in a local day, and a ticket is never called
  by two counters: every step is one write transaction (``BEGIN IMMEDIATE`` on
  SQLite, ``FOR UPDATE SKIP LOCKED`` on PostgreSQL).
- Every step is kept in ``ticket_event`` and writes its outbox and audit rows through
  the same recorder as the ORM's session events (:mod:`db.journal`).
- A ticket carries no personal data.
- Modules: :mod:`~desk.queue.engine` the steps (each one write transaction),
  :mod:`~desk.queue.statements` the statements built once and the order in which a
  counter calls, :mod:`~desk.queue.reads` the screens' reads, :mod:`~desk.queue.views`
  the frozen views and errors handed out, :mod:`~desk.queue.ratings` citizens' ratings.
- :mod:`desk.queue.watch` tells the screens that poll whether the database changed
  since their last read; they read again only then.
- :mod:`desk.queue.check` states the invariants that the property, multi-process and
  benchmark runs check after any workload.
"""
