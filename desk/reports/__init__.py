"""Reports for a period, as one-stop centers report them to the province (QĐ 766).

Rules:
- Every figure is computed by the database (``GROUP BY`` and conditional sums);
  Python only arranges aggregated rows.
- Reports only read: building one writes nothing.
"""
