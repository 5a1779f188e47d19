"""Widgets the kiosk's screens share."""
