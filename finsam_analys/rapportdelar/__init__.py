"""Rapportens innehåll: en funktion per sektion (se gemensamt.py)."""
