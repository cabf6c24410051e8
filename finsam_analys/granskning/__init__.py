"""Granskning: räkna om publicerade tabeller och nyckeltal och lista varje avvikelse."""
