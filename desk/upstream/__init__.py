"""Sync with the provincial PostgreSQL: offline-first, nothing lost, nothing doubled.

Rules (details in :mod:`desk.upstream.sync`):
- Every change of a synced row writes an outbox row in the same transaction; a push
  is marked sent only after the upstream commit, and upstream upserts are guarded by
  the row's version, so a batch sent twice or out of order changes nothing.
- Pulls read by cursor, and a merge never moves a dossier backwards.
- A network outage stops nothing: the counters and the kiosk never wait for upstream.
"""
