"""Avrundningens kontrollpunkt över alla inbäddade rapporter (det ``make rapport`` visar).

Varje visad fördelning som är delar av en helhet summerar *som den visas* (texten i tabellen,
tolkad tillbaka till tal) till exakt 100 % eller till den visade summaraden. Fördelningar med
maskade delar prövas inte mot helheten (de synliga delarna kan inte summera till 100 %); de
prövas i stället mot att ingen visad del är större än helheten.
"""

from __future__ import annotations

import math
import re

import pytest

from finsam_analys.presentation.tabellvisning import visningstext
from finsam_analys.tabell import MASKAD

RAPPORTER = [
    ("exempelforbund", "2024"),
    ("exempelforbund", "2025-01..2025-08"),
    ("vasteras", "2019"),
    ("vasteras", "2021-01..2021-08"),
    ("sodra_dalarna", "2015-07..2016-06"),
]


def _tal(text: str) -> float | None:
    """Visad text tillbaka till tal: ``"13 %"`` -> 13.0, ``"3 095"`` -> 3095.0."""
    t = text.replace("\xa0", "").replace("\u202f", "").replace(" ", "").replace("%", "")
    t = t.replace("\u2212", "-").replace(",", ".")
    if t in ("", MASKAD, "–") or not re.fullmatch(r"[-+]?\d+(\.\d+)?", t):
        return None
    return float(t)


@pytest.fixture(scope="module")
def rapporter(data_katalog):
    from finsam_analys import rapport
    from finsam_analys.indata.inlasning import las_forbund

    ut = {}
    for forbund, period in RAPPORTER:
        underlag = las_forbund(data_katalog / forbund)
        ut[(forbund, period)] = rapport.bygg_rapport(underlag, period)
    return ut


def _fordelningar(rapport):
    """(tabell, kolumn, delarnas visade tal, summans visade tal, maskad) för varje helhet."""
    for sektion in rapport.values():
        for t in sektion.tabellobjekt():
            text = visningstext(t)
            summarader = set(t.summarader)
            inre = [i for i in range(len(t.data)) if i not in summarader]
            for k in t.kolumner:
                if not (k.delar_av_helhet and k.ar_tal):
                    continue
                if t.helhet == "kolumn" and len(inre) > 1:
                    celler = [text[k.namn].iat[i] for i in inre]
                    summa = (text[k.namn].iat[min(summarader)] if len(summarader) == 1
                             else None)  # fmt: skip
                    yield t, k, celler, summa
            if t.helhet == "rad":
                kol = [k for k in t.kolumner if k.delar_av_helhet and k.ar_tal]
                for i in range(len(t.data)):
                    yield t, kol[0], [text[k.namn].iat[i] for k in kol], None


def _prova(rapport) -> int:
    """Pröva rapportens fördelningar; antalet prövade helheter."""
    provade = 0
    for t, k, celler, summa in _fordelningar(rapport):
        tal = [_tal(c) for c in celler]
        if any(c == MASKAD for c in celler):
            synliga = [x for x in tal if x is not None]
            hel = _tal(summa) if summa else None
            if hel is not None:
                assert all(x <= hel + 1e-9 for x in synliga), (t.titel, k.namn, celler, summa)
            continue
        if any(x is None for x in tal):
            continue  # saknade värden ("–"): ingen helhet att pröva
        total = sum(tal)
        steg = 10.0 ** -k.precision
        if k.matt == "andel":
            if all(x == 0 for x in tal):
                continue  # tom helhet (nämnaren 0)
            assert math.isclose(total, 100.0, abs_tol=steg / 10), (t.titel, k.namn, celler)
            provade += 1
        hel = _tal(summa) if summa else None
        if hel is not None:
            assert math.isclose(total, hel, abs_tol=steg / 10), (t.titel, k.namn, celler, summa)
            provade += 1
    return provade


@pytest.mark.parametrize("nyckel", RAPPORTER, ids=["-".join(r) for r in RAPPORTER])
def test_visade_fordelningar_summerar_till_helheten(rapporter, nyckel):
    _prova(rapporter[nyckel])


def test_provningen_nar_fordelningarna(rapporter):
    """Testet prövar verkligen något (andelar och antal mot summarader)."""
    assert sum(_prova(r) for r in rapporter.values()) >= 10


def test_alla_sektioner_ar_tabellmodellen(rapporter):
    """Alla tabeller som visas går genom avrundningens kontrollpunkt (inga tabeller av det
    äldre slaget som formaterar varje cell för sig)."""
    aldre = sorted(
        {(f, p, s.rubrik) for (f, p), r in rapporter.items() for s in r.values()
         if s.tabeller}  # fmt: skip
    )
    if aldre:
        pytest.xfail(f"sektioner av det äldre slaget (flyttas till tabellmodellen): {aldre}")
