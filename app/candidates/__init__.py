"""Candidate sites of a lead: matching every site against the inquiry (matching.py)."""
