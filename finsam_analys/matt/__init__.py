"""Måtten: rena funktioner per domänbegrepp, på räknetabeller eller deltagarrader.

Undermodulerna importeras inte här: ``import finsam_analys as f; f.andelar(...)`` når dem.
"""
