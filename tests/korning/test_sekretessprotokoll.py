"""Sekretess över ett förbunds rapporter i en batch (korning/sekretessprotokoll.py)."""

from __future__ import annotations

import pandas as pd

from finsam_analys.korning.sekretessprotokoll import (
    las_protokoll,
    omkorningar,
    protokollfil,
    spara_protokoll,
)
from finsam_analys.rapport import Sektioner
from finsam_analys.sekretess.kontrollpunkt import gemensamt_beslut, samla, storhet_fran_lista
from finsam_analys.tabell import Sektion, Storhet, Tabell


class Regler:
    troskel = 5
    namnare_troskel = 10
    intern = False


def _rapport(antal: dict, period: str) -> Sektioner:
    """En rapport med en korstabell avslut per utfall × insats, maskad på egen hand."""
    t = Tabell.korstabell(pd.DataFrame(antal, index=["x", "y"], columns=["A", "B"]), namn="k",
                          titel="K", bas=Storhet.av("avslut", period), rad_dimension="utfall",
                          kolumn_dimension="insats", radrubrik="Utfall")  # fmt: skip
    sektioner = {"s": Sektion("s", "S", innehall=(t,))}
    u = samla([sektioner])
    r = Sektioner(sektioner)
    r.sekretessunderlag = u
    r.sekretessbeslut = gemensamt_beslut(u, Regler())
    return r


def test_delaret_rojer_helarets_rektangel_och_bada_kors_om(tmp_path):
    # Helåret skyddar (A, x) = 2 med en rektangel; delåret visar (A, y), (B, x) och (B, y)
    # med samma värden, och eftersom helåret aldrig har färre avslut är rektangeln låst.
    helar = _rapport({"A": [2, 6], "B": [6, 9]}, "2024")
    delar = _rapport({"A": [0, 6], "B": [6, 9]}, "2024-01..2024-08")
    assert len(helar.sekretessbeslut.maskade) == 4 and not delar.sekretessbeslut.maskade
    spara_protokoll(helar, katalog=tmp_path, forbund="f", period="2024")
    spara_protokoll(delar, katalog=tmp_path, forbund="f", period="2024-01..2024-08")
    assert protokollfil(tmp_path, "f", "2024-01..2024-08").name == "f__2024-01_2024-08.pickle"
    assert las_protokoll(tmp_path, "f", "2024")["maskade"] == helar.sekretessbeslut.maskade
    om = omkorningar(tmp_path, "f", ["2024-01..2024-08", "2024"])
    # delåret ska dölja sina celler; helåret behåller sin rektangel (inget nytt där)
    assert set(om) == {"2024-01..2024-08"}
    tvingade = {storhet_fran_lista(s) for s in om["2024-01..2024-08"]}
    assert {s.period for s in tvingade} == {"2024-01..2024-08"}
    assert Storhet.av("avslut", "2024-01..2024-08", insats="B", utfall="y") in tvingade
    # omkörd med de tvingade: inget mer behöver göras om
    ny = samla([dict(delar)])
    omkord = gemensamt_beslut(ny, Regler(), tvingade=tvingade)
    assert omkord.maskade == frozenset(tvingade) and not omkord.rojda


def test_ett_protokoll_eller_intern_ger_inga_omkorningar(tmp_path):
    r = _rapport({"A": [2, 6], "B": [6, 9]}, "2024")
    spara_protokoll(r, katalog=tmp_path, forbund="f", period="2024")
    assert omkorningar(tmp_path, "f", ["2024", "2023"]) == {}
    assert spara_protokoll(Sektioner(), katalog=tmp_path, forbund="g", period="2024") is None
