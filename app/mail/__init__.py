"""Outgoing e-mail: one module, several transports (see service.py)."""
