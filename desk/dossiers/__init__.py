"""Dossiers (hồ sơ): intake, the lifecycle, the forms, the catalogue, due dates.

Rules:
- Intake is one transaction: the dossier code, the register number, the components,
  the first status and the receipt (Mẫu 01) commit together or not at all.
- A dossier's status moves only along the lifecycle of :mod:`desk.dossiers.lifecycle`
  (NĐ 61/2018, TT 01/2018); every step is kept in ``dossier_status`` with its time.
- Due dates count working hours of the center's calendar
  (:mod:`desk.dossiers.due_dates`): weekends, the holiday table, make-up days and the
  15:00 cut-off.
- What people type about themselves is checked in :mod:`desk.dossiers.identity`
  (CCCD structure, phones to E.164) and never reaches a log, a ticket or the audit
  trail in clear; the printed forms (:mod:`desk.dossiers.forms`) mask the ID number.
- The catalogue (:mod:`desk.dossiers.catalogue`) imports all-or-nothing; its search
  (:mod:`desk.dossiers.search`) is answered from an in-memory index on every keystroke.
"""
