"""Cairn: the multi-agency response to child exploitation and missing children."""
