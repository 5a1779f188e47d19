"""The kiosk: the Textual terminal UI the duty staff run a whole session in."""
