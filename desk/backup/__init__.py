"""Backups and restores of a center's SQLite database.

Rules:
- A backup is a consistent copy of the live database taken while the kiosk and the
  counters keep working: SQLite's online backup API, inside one read transaction
  (WAL readers never block writers), never a copy of the file. The copy is checked
  (``PRAGMA integrity_check``, and every table's row count against the source as of
  the same snapshot) before it gets its final name; a copy that fails a check is
  deleted, never left looking like a good one.
- A copy is named ``desk-<agency code>-<YYYYmmdd-HHMMSS>.db`` (a copy taken before a
  schema upgrade ends in ``-before-<revision>``); the configured folder keeps the
  newest copy of each of the last ``keep_daily`` days and of the last
  ``keep_monthly`` months and deletes the rest, saying which.
- Every desk process on a SQLite file holds a shared advisory lock on
  ``<database>.lock`` for as long as it runs (:mod:`desk.backup.lock`); a restore
  takes it exclusively, so it refuses while any other desk process has the
  database open, and a role starting during a restore waits for it.
- A restore checks the file (SQLite, integrity, schema revision not newer than this
  desk, same center) before it replaces anything, and keeps the current database
  aside (``<database>.before-restore-<stamp>``); nothing is half-replaced.
- A schema upgrade takes a backup first; an upgrade that fails leaves the database
  as it was (:mod:`desk.backup.upgrade`).
- The daily backup runs from the long-running roles; one process claims each run,
  and a failure is kept in the ``setting`` table for the officer screens until a
  backup succeeds (:mod:`desk.backup.schedule`). It never stops the queue.
"""
