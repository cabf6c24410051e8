"""Presentation: svensk talformatering, figurer, tabellvisning och HTML-export."""
