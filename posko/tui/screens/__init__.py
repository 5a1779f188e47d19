"""The kiosk's screens: home, sign-in, queue, intake, look-up, close-out."""
