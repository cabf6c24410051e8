"""Tester för sekundärmaskningens val (finsam_analys.sekretess.beslut).

Fallet är ett litet förbund som det ser ut efter ``finsam-analys ny`` på en egen uppföljningsfil:
tre insatser med 18, 13 och 20 avslut, av dem 4, 5 och 4 avbrutna, och avbrotten per orsak
(flytt 9, okänt 4). De små avbrotten måste skyddas, men förbundets totaler (51 avslut, 38
fullföljda, 13 avbrutna) är rapportens viktigaste tal och ska inte maskas när det räcker att
maska celler inne i tabellerna. Oraklet är en egen linjärprogrammering (scipy.optimize.linprog)
över testets egna ekvationer: varje maskad cell ska kunna ha minst två heltalsvärden.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog

from finsam_analys.sekretess.beslut import sekretessbeslut
from finsam_analys.tabell import Relation, Storhet

INSATSER = {"K": (14, 4), "S": (8, 5), "U": (16, 4)}  # insats: (fullföljda, avbrutna)
ORSAK = {"Flytt": 9, "Okänt": 4}


def _fall():
    def s(**v):
        return Storhet.av("avslut", "2024", **v)

    varden: dict[Storhet, float] = {}
    ekvationer: list[tuple[Storhet, list[Storhet]]] = []  # summa = delar
    for i, (f, a) in INSATSER.items():
        varden[s(avslutstyp="Fullföljd", insats=i)] = f
        varden[s(avslutstyp="Avbruten", insats=i)] = a
        varden[s(insats=i)] = f + a
        ekvationer.append(
            (s(insats=i), [s(avslutstyp="Fullföljd", insats=i), s(avslutstyp="Avbruten", insats=i)])
        )
    for typ, k in (("Fullföljd", 0), ("Avbruten", 1)):
        varden[s(avslutstyp=typ)] = sum(v[k] for v in INSATSER.values())
        ekvationer.append((s(avslutstyp=typ), [s(avslutstyp=typ, insats=i) for i in INSATSER]))
    varden[s()] = 51
    ekvationer.append((s(), [s(insats=i) for i in INSATSER]))
    ekvationer.append((s(), [s(avslutstyp="Fullföljd"), s(avslutstyp="Avbruten")]))
    for o, v in ORSAK.items():
        varden[s(avslutstyp="Avbruten", orsak=o)] = v
    ekvationer.append(
        (s(avslutstyp="Avbruten"), [s(avslutstyp="Avbruten", orsak=o) for o in ORSAK])
    )
    return varden, ekvationer, s


def _intervall(varden, ekvationer, maskade):
    """Min och max för varje maskad cell givet allt visat (testets eget LP)."""
    okanda = sorted(maskade, key=str)
    index = {c: k for k, c in enumerate(okanda)}
    A, b = [], []
    for summa, delar in ekvationer:
        rad = np.zeros(len(okanda))
        hoger = 0.0
        for koef, cell in [(1, summa), *((-1, d) for d in delar)]:
            if cell in index:
                rad[index[cell]] += koef
            else:
                hoger -= koef * varden[cell]
        if rad.any():
            A.append(rad)
            b.append(hoger)
    ut = {}
    for cell, k in index.items():
        c = np.zeros(len(okanda))
        c[k] = 1
        lo = linprog(c, A_eq=A, b_eq=b, bounds=(0, None)).fun
        hi = -linprog(-c, A_eq=A, b_eq=b, bounds=(0, None)).fun
        ut[cell] = (lo, hi)
    return ut


def test_sma_avbrott_skyddas_utan_att_forbundets_totaler_maskas():
    varden, ekvationer, s = _fall()
    relationer = [Relation.summa(t, d) for t, d in ekvationer]
    beslut = sekretessbeslut(varden, set(varden), relationer, troskel=5)
    # primärt: de små (4, 4 avbrutna och okänt 4)
    for cell in (s(avslutstyp="Avbruten", insats="K"), s(avslutstyp="Avbruten", insats="U"),
                 s(avslutstyp="Avbruten", orsak="Okänt")):  # fmt: skip
        assert beslut.skal[cell] == "primär"
    # förbundets totaler visas
    for cell in (s(), s(avslutstyp="Fullföljd"), s(avslutstyp="Avbruten")):
        assert cell not in beslut.maskade, str(cell)
    # och inget maskat kan räknas fram (testets eget LP): minst två heltal i varje intervall
    for cell, (lo, hi) in _intervall(varden, ekvationer, beslut.maskade).items():
        assert np.floor(hi + 1e-9) - np.ceil(lo - 1e-9) >= 1, (str(cell), lo, hi)
    # inte fler sekundära än nödvändigt i det här fallet: flytt och två fullföljda per insats
    assert sum(v == "sekundär" for v in beslut.skal.values()) == 3


def test_utan_sekundar_maskning_rojer_oraklet_de_sma():
    varden, ekvationer, s = _fall()
    relationer = [Relation.summa(t, d) for t, d in ekvationer]
    beslut = sekretessbeslut(varden, set(varden), relationer, troskel=5, sekundar=False)
    lo, hi = _intervall(varden, ekvationer, beslut.maskade)[s(avslutstyp="Avbruten", insats="K")]
    assert np.isclose(lo, 4) and np.isclose(hi, 4)  # fullföljda 14 av 18 visas: 4 avbrutna
