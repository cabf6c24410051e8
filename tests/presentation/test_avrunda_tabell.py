"""Avrundningens kontrollpunkt: ``avrunda_tabell`` mot en enkel referens cell för cell."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from finsam_analys.presentation.avrundning import _helhet, avrunda_tabell, avrundat_varde
from finsam_analys.tabell import MASKAD, Kolumn, Tabell


def _referens(tabell: Tabell) -> pd.DataFrame:
    """Visningen räknad rakt fram: en kopia som objekt, sedan cell för cell."""
    data = tabell.data
    mask = np.zeros(data.shape, dtype=bool) if tabell.mask is None else tabell.mask.to_numpy()
    visning = data.astype(object).copy()
    inre = [i for i in range(len(data)) if i not in tabell.summarader]
    summarad = min(tabell.summarader) if len(set(tabell.summarader)) == 1 else None
    for j, kolumn in enumerate(tabell.kolumner):
        if not kolumn.ar_tal:
            for i in range(len(data)):
                if mask[i, j]:
                    visning.iat[i, j] = MASKAD
            continue
        tal = pd.to_numeric(data.iloc[:, j].astype(object), errors="coerce").to_numpy(float)
        avrundat = {}
        if kolumn.delar_av_helhet and tabell.helhet == "kolumn" and len(inre) > 1:
            avrundat = _helhet(tal, mask[:, j], inre, summarad, kolumn)
        procent = kolumn.matt in ("andel", "andel_av", "procentenheter", "forandring")
        heltal = not procent and kolumn.precision == 0
        for i, v in enumerate(data.iloc[:, j].tolist()):
            if mask[i, j]:
                visning.iat[i, j] = MASKAD
            elif i in avrundat:
                visning.iat[i, j] = int(avrundat[i]) if heltal else avrundat[i]
            else:
                visning.iat[i, j] = avrundat_varde(v, kolumn.matt, kolumn.precision)
    return visning


_MATT = ["text", "antal", "andel", "belopp", "poang", "tryckt", "hae", "bedomning"]


@st.composite
def _tabeller(draw):
    n = draw(st.integers(0, 6))
    matt = draw(st.lists(st.sampled_from(_MATT), min_size=1, max_size=4))
    kolumner, data = [], {}
    for j, m in enumerate(matt):
        namn = f"k{j}"
        delar = m != "text" and m != "bedomning" and draw(st.booleans())
        kolumner.append(Kolumn(namn, m, draw(st.sampled_from([None, 0, 1])), "", delar))
        if m in ("text", "bedomning"):
            varden = draw(st.lists(st.sampled_from(["A", "Totalt", "Uppfyllt", None]),
                                   min_size=n, max_size=n))  # fmt: skip
            data[namn] = pd.Series(varden, dtype=draw(st.sampled_from(["str", object])))
        elif draw(st.booleans()):
            data[namn] = pd.Series(draw(st.lists(st.integers(-5, 500), min_size=n, max_size=n)))
        else:
            tal = st.one_of(st.floats(0, 1), st.floats(-100, 1000), st.just(np.nan))
            varden = draw(st.lists(tal, min_size=n, max_size=n))
            if draw(st.booleans()):  # blandad objektkolumn (publicerade tal, "..")
                varden = [draw(st.sampled_from([v, str(v), "..", None])) for v in varden]
                data[namn] = pd.Series(varden, dtype=object)
            else:
                data[namn] = pd.Series(varden, dtype="float64")
    mask = None
    if draw(st.booleans()):
        mask = pd.DataFrame(
            np.array(draw(st.lists(st.booleans(), min_size=n * len(matt), max_size=n * len(matt))),
                     dtype=bool).reshape(n, len(matt)), columns=list(data))  # fmt: skip
    summarader = tuple(draw(st.sets(st.integers(0, max(n - 1, 0)), max_size=2))) if n else ()
    return Tabell("t", "T", pd.DataFrame(data), tuple(kolumner), summarader=summarader,
                  helhet=draw(st.sampled_from(["kolumn", "rad"])), mask=mask)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(_tabeller())
def test_avrunda_tabell_som_referensen(tabell):
    fore = tabell.data.copy()
    visning = avrunda_tabell(tabell).visning
    pd.testing.assert_frame_equal(tabell.data, fore)  # argumentet muteras inte
    if tabell.helhet == "rad":  # radhelheterna räknas som förut, efter kolumnerna
        return
    forvantat = _referens(tabell)
    pd.testing.assert_frame_equal(visning, forvantat, check_exact=True)
    assert [type(v) for v in visning.to_numpy().ravel()] == [
        type(v) for v in forvantat.to_numpy().ravel()
    ]
