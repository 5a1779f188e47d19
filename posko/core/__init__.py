"""Pure domain rules: no I/O, no clock reads, nothing of Textual, SQL or paper."""
