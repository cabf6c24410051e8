"""Sekretess: maskering av små antal och kontrollpunkten som prövar att inget kan räknas fram."""
