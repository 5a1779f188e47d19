"""Posko: the walk-in complaint desk of Balai Kota DKI Jakarta.

Kept import-free on purpose: the kiosk's first paint must not wait for the
database layer (sqlmodel alone costs about half a second to import).
"""

__version__ = "0.1.0"
