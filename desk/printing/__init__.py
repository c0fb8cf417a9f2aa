"""Printing of tickets and documents.

Until the ESC/POS printer work lands, tickets are written as plain-text previews to
the preview directory, so the kiosk already produces a paper-equivalent a person can
look at. Nothing printed carries personal data.
"""
