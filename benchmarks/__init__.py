"""Prestandamätningar för finsam-analys (issue 6); kör alla med ``make bench``."""
