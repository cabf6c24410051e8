"""``ram_med_textkolumner``: samma DataFrame som ``pd.DataFrame(data).astype(...)``."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from finsam_analys.tabell import ram_med_textkolumner

_ETIKETT = st.one_of(st.text(max_size=4), st.none(), st.integers(0, 3), st.just(np.nan))


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 4), st.data())
def test_ram_med_textkolumner_som_astype(rader, data):
    kolumner = data.draw(st.lists(st.sampled_from(["A", "B", "C"]), unique=True, max_size=3))
    ram = {}
    for k in ["A", "B", "C", "Antal"]:
        if k == "Antal":
            ram[k] = data.draw(st.lists(st.integers(0, 9), min_size=rader, max_size=rader))
        elif k in kolumner or data.draw(st.booleans()):
            etikett = data.draw(st.sampled_from([st.text(max_size=4), _ETIKETT]))
            ram[k] = data.draw(st.lists(etikett, min_size=rader, max_size=rader))
    kolumner = [k for k in kolumner if k in ram]
    if data.draw(st.booleans()):  # talen som array (som ur en annan tabell)
        ram["Antal"] = np.array(ram["Antal"], dtype=np.int64)
    forvantat = pd.DataFrame(ram).astype(dict.fromkeys(kolumner, object))
    fore = {k: [repr(x) for x in v] for k, v in ram.items()}
    ut = ram_med_textkolumner(ram, kolumner)
    assert {k: [repr(x) for x in v] for k, v in ram.items()} == fore  # muteras inte
    pd.testing.assert_frame_equal(ut, forvantat, check_exact=True)
    assert list(ut.dtypes) == list(forvantat.dtypes)
    assert [type(v) for v in ut.to_numpy().ravel()] == [
        type(v) for v in forvantat.to_numpy().ravel()
    ]


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 4), st.data())
def test_referens_som_radens(rader, data):
    """``Tabell.referens`` ger samma referens som radens Series (``iloc[rad][kolumn]``)."""
    from finsam_analys.tabell import Kolumn, Kvot, Storhet, Tabell

    s = [Storhet.av("x", d=str(i)) for i in range(3)]
    ref = st.one_of(st.none(), st.sampled_from(s), st.builds(Kvot, st.sampled_from(s)))
    refs = {k: data.draw(st.lists(ref, min_size=rader, max_size=rader)) for k in ("K", "Antal")}
    t = Tabell(
        "t",
        "T",
        pd.DataFrame({"K": ["a"] * rader, "Antal": range(rader)}),
        (Kolumn("K"), Kolumn("Antal", "antal")),
        referenser=pd.DataFrame(refs, dtype=object),
    )
    for i in range(rader):
        for k in ("K", "Antal"):
            assert t.referens(i, k) is t.referenser.iloc[i][k]
