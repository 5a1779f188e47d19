"""Use cases the UIs call. Each takes a Session and a Clock, and commits once."""
