"""The center itself: its configuration, its mirror in the database, its officers.

Rules:
- ``config.toml`` is the source of truth for the center, its services and counters;
  :mod:`desk.center.mirror` copies it into the database in place (never deleting a
  row that tickets or dossiers point at) and writes nothing when nothing changed.
- A malformed configuration never crashes a role: :mod:`desk.center.config` raises
  ``ConfigError`` naming the file, the key and what is expected.
- Officer passwords are argon2id hashes; roles include the ones before them
  (officer < supervisor < admin); every protected action asks :func:`accounts.require`.
- :mod:`desk.center.runtime` opens a migrated database and resolves the configured
  ids once per process; the UI and the command line both start from it.
"""
