"""Tester för kontrollpunkten (finsam_analys.sekretess: attack, beslut, kontrollpunkt).

Oraklet är skrivet här, oberoende av paketets Storhet/Relation: testet bygger små länkade
tabeller som vanliga heltalsmatriser (en korstabell avslut per utfall × insats med summor, en
fördelning per insats med andelar som delar korstabellens kolumnsummor, ett flöde per insats
start + nya = avslut + slut), kör kontrollpunkten och läser sedan bara vad tabellerna *visar*
(``mask``). Ur de visade talen och sambanden som testet självt känner till räknar det

* med uttömmande sökning alla icke-negativa heltalstabeller som stämmer med det som visas, och
  kräver att varje maskad cell har minst två möjliga värden;
* med en egen linjärprogrammering (``scipy.optimize.linprog``, LP-relaxation) att ingen maskad
  cell har ett intervall med bara ett heltal;
* nollregeln: ingen helhet har exakt en maskad del och bara visade nollor bredvid.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finsam_analys.sekretess.attack import Angripare, ar_rojd, attack, komponenter
from finsam_analys.sekretess.beslut import periodsamband, sekretessbeslut
from finsam_analys.sekretess.kontrollpunkt import gemensamt_beslut, samla, skydda
from finsam_analys.tabell import Kolumn, Relation, Sektion, Storhet, Tabell

TROSKEL = 5


class Regler:
    troskel = TROSKEL
    namnare_troskel = 10
    intern = False


# ------------------------------------------------------------------ testets egna tabeller


def _tabeller(x: np.ndarray, start: np.ndarray, nya: np.ndarray, period: str = "2024"):
    """Korstabell, fördelning per insats och flöde per insats som Tabell-objekt."""
    r, c = x.shape
    utfall = [f"u{i}" for i in range(r)]
    insatser = [f"I{j}" for j in range(c)]
    bas = Storhet.av("avslut", period)
    kors = Tabell.korstabell(
        pd.DataFrame(x, index=utfall, columns=insatser),
        namn="kors", titel="Kors", bas=bas, rad_dimension="utfall",
        kolumn_dimension="insats", radrubrik="Utfall",
    )  # fmt: skip
    per_insats = Tabell.fordelning(
        pd.Series(x.sum(axis=0), index=insatser),
        namn="insats", titel="Per insats", bas=bas, dimension="insats",
        kategorirubrik="Insats",
    )  # fmt: skip
    avslut = x.sum(axis=0)
    slut = start + nya - avslut
    refs: dict[str, list] = {"Insats": [None] * c}
    data: dict[str, list] = {"Insats": insatser}
    antal: dict[Storhet, float] = {}
    relationer = []
    for namn, pop, varden in (
        ("Start", "aktiva_vid_start", start),
        ("Nya", "nya", nya),
        ("Avslut", "avslut", avslut),
        ("Slut", "aktiva_vid_slut", slut),
    ):
        s = [Storhet.av(pop, period, insats=i) for i in insatser]
        refs[namn] = s
        data[namn] = [int(v) for v in varden]
        antal.update(zip(s, data[namn], strict=True))
    for j in range(c):
        relationer.append(
            Relation(
                ((1, refs["Start"][j]), (1, refs["Nya"][j]), (-1, refs["Avslut"][j]),
                 (-1, refs["Slut"][j]))
            )
        )  # fmt: skip
    flode = Tabell(
        namn="flode",
        titel="Flöde",
        data=pd.DataFrame(data).astype({"Insats": object}),
        kolumner=(Kolumn("Insats"), *(Kolumn(k, "antal") for k in ("Start", "Nya", "Avslut",
                                                                     "Slut"))),
        referenser=pd.DataFrame(refs, dtype=object),
        antal=antal,
        relationer=tuple(relationer),
    )  # fmt: skip
    return kors, per_insats, flode


@st.composite
def lankade(draw, hogst: int = 6):
    r = draw(st.integers(2, 3))
    c = draw(st.integers(2, 3))
    x = np.array(
        draw(st.lists(st.lists(st.integers(0, hogst), min_size=c, max_size=c),
                      min_size=r, max_size=r))
    )  # fmt: skip
    start = np.array(draw(st.lists(st.integers(0, hogst), min_size=c, max_size=c)))
    extra = np.array(draw(st.lists(st.integers(0, hogst), min_size=c, max_size=c)))
    nya = np.maximum(x.sum(axis=0) - start, 0) + extra
    return x, start, nya


# ------------------------------------------------------------------------- oraklet


_NODGRANS = 3_000
STORA = [0]  # antal sökningar som blev för stora (bara LP-kontrollen gällde)


class _ForStor(Exception):
    pass


class Ekvationer:
    """Testets egen bild av det läsaren ser: variabler, visade värden och samband."""

    def __init__(self) -> None:
        self.sant: dict[str, int] = {}
        self.visad: dict[str, bool] = {}
        self.samband: list[dict[str, int]] = []  # sum(k * x) == 0

    def variabel(self, namn: str, sant: int, visad: bool) -> None:
        if namn in self.sant:
            assert self.sant[namn] == sant
            # samma tal på två ställen: visat om det visas någonstans
            self.visad[namn] = self.visad[namn] or visad
        else:
            self.sant[namn], self.visad[namn] = int(sant), bool(visad)

    def summa(self, total: str, delar: list[str]) -> None:
        self.samband.append({total: 1} | {d: -1 for d in delar})

    @property
    def maskade(self) -> list[str]:
        return sorted(n for n, v in self.visad.items() if not v)

    def lp_intervall(self, namn: str) -> tuple[float, float]:
        """LP-relaxationens minsta och största värde (scipy linprog, oberoende av paketet)."""
        from scipy.optimize import linprog

        okanda = [n for n in self.sant if not self.visad[n]]
        j = {n: i for i, n in enumerate(okanda)}
        a, b = [], []
        for s in self.samband:
            rad = np.zeros(len(okanda))
            hoger = 0.0
            for n, k in s.items():
                if n in j:
                    rad[j[n]] += k
                else:
                    hoger -= k * self.sant[n]
            if rad.any():
                a.append(rad)
                b.append(hoger)
        e = np.zeros(len(okanda))
        e[j[namn]] = 1
        kw = {"A_eq": np.array(a), "b_eq": b} if a else {}
        lo = linprog(e, bounds=(0, None), method="highs", **kw)
        hi = linprog(-e, bounds=(0, None), method="highs", **kw)
        assert lo.status == 0
        return lo.fun, (math.inf if hi.status == 3 else -hi.fun)

    def _samband_for_okanda(self) -> list[tuple[dict[str, int], int]]:
        ut = []
        for s in self.samband:
            konst = sum(k * self.sant[n] for n, k in s.items() if self.visad[n])
            termer = {n: k for n, k in s.items() if not self.visad[n]}
            if termer:
                ut.append((termer, konst))
            else:
                assert konst == 0
        return ut

    def losning(self, grans: int, forst: dict[str, list[int]]) -> dict[str, int] | None:
        """En heltalslösning 0..grans för de okända som stämmer med det som visas, där
        variablerna i ``forst`` bara får sina listade värden (uttömmande sökning med
        fortplantning: ett samband med en enda otilldelad okänd bestämmer den; ett samband
        där alla otilldelade har samma tecken kräver att resten inte är negativ)."""
        okanda = [n for n in self.sant if not self.visad[n]]
        samband = self._samband_for_okanda()
        noder = [0]

        def sok(tilldelat: dict[str, int]) -> dict[str, int] | None:
            andrat = True
            tilldelat = dict(tilldelat)
            while andrat:
                andrat = False
                for termer, konst in samband:
                    fria = [n for n in termer if n not in tilldelat]
                    summa = konst + sum(k * tilldelat[n] for n, k in termer.items()
                                        if n in tilldelat)  # fmt: skip
                    if not fria:
                        if summa != 0:
                            return None
                    elif len(fria) == 1:
                        v = -summa / termer[fria[0]]
                        if v < 0 or v != int(v) or v > grans:
                            return None
                        if fria[0] in forst and int(v) not in forst[fria[0]]:
                            return None
                        tilldelat[fria[0]] = int(v)
                        andrat = True
                    else:  # resten -summa ska nås med de fria i 0..grans
                        plus = sum(termer[n] > 0 for n in fria) * grans
                        minus = sum(termer[n] < 0 for n in fria) * grans
                        if not -minus <= -summa <= plus:
                            return None
            fria = [n for n in okanda if n not in tilldelat]
            if not fria:
                return tilldelat
            noder[0] += 1
            if noder[0] > _NODGRANS:
                raise _ForStor

            def bunden(n: str) -> tuple:
                # den okända i sambandet med minst antal otilldelade (fortplantning snabbare)
                minst = min((sum(m not in tilldelat for m in t) for t, _ in samband if n in t),
                            default=99)  # fmt: skip
                return (n not in forst, minst, n)

            nasta = min(fria, key=bunden)
            for v in forst.get(nasta, range(grans + 1)):
                svar = sok({**tilldelat, nasta: v})
                if svar is not None:
                    return svar
            return None

        return sok({})

    def rojda_uttommande(self, grans: int, namn: list[str] | None = None) -> list[str]:
        """Maskade variabler med bara ett möjligt heltalsvärde (uttömmande sökning).

        En variabel vars sökning blir för stor (se ``_NODGRANS``) prövas bara med LP."""
        rojda = []
        for n in self.maskade if namn is None else namn:
            andra = [v for v in range(grans + 1) if v != self.sant[n]]
            try:
                if self.losning(grans, {n: andra}) is None:
                    rojda.append(n)
            except _ForStor:
                STORA[0] += 1
        return rojda


def _las_visat(kors: Tabell, per_insats: Tabell, flode: Tabell, pref: str = "") -> Ekvationer:
    """Det läsaren ser i de tre tabellerna (efter kontrollpunkten), som testets ekvationer."""
    e = Ekvationer()
    lagg_till(e, kors, per_insats, flode, pref)
    return e


def lagg_till(e: Ekvationer, kors: Tabell, per_insats: Tabell, flode: Tabell, pref: str) -> None:
    d, m = kors.data, kors.mask
    insatser = [k.namn for k in kors.kolumner[1:-1]]
    r = len(d) - 1
    for pos in range(r + 1):
        etikett = d["Utfall"].iat[pos]  # raderna läses efter etikett (ordningen kan ändras)
        i = int(etikett[1:]) if etikett != "Totalt" else r
        rad = f"{pref}R{i}" if i < r else f"{pref}G"
        for insats in insatser:
            namn = f"{pref}x{i},{insats}" if i < r else f"{pref}C{insats}"
            e.variabel(namn, d[insats].iat[pos], not m[insats].iat[pos])
        e.variabel(rad, d["Totalt"].iat[pos], not m["Totalt"].iat[pos])
        delar = [f"{pref}x{i},{k}" if i < r else f"{pref}C{k}" for k in insatser]
        e.summa(rad, delar)
    for insats in insatser:
        e.summa(f"{pref}C{insats}", [f"{pref}x{i},{insats}" for i in range(r)])
    e.summa(f"{pref}G", [f"{pref}R{i}" for i in range(r)])
    # fördelningen: samma kolumnsummor; en visad andel kräver visat antal och visad summa
    pd_, pm = per_insats.data, per_insats.mask
    for i, etikett in enumerate(pd_["Insats"]):
        namn = f"{pref}G" if etikett == "Totalt" else f"{pref}C{etikett}"
        e.variabel(namn, pd_["Antal"].iat[i], not pm["Antal"].iat[i])
        if not pm["Andel"].iat[i]:
            assert not pm["Antal"].iat[i] and not pm["Antal"].iat[len(pd_) - 1]
    # flödet: start + nya = avslut + slut per insats
    fd, fm = flode.data, flode.mask
    for i, insats in enumerate(fd["Insats"]):
        for kol in ("Start", "Nya", "Slut"):
            e.variabel(f"{pref}{kol}{insats}", fd[kol].iat[i], not fm[kol].iat[i])
        e.variabel(f"{pref}C{insats}", fd["Avslut"].iat[i], not fm["Avslut"].iat[i])
        e.samband.append({f"{pref}Start{insats}": 1, f"{pref}Nya{insats}": 1,
                          f"{pref}C{insats}": -1, f"{pref}Slut{insats}": -1})  # fmt: skip


def _partitioner(e: Ekvationer) -> list[tuple[str, list[str]]]:
    return [
        (next(n for n, k in s.items() if k == 1), [n for n, k in s.items() if k == -1])
        for s in e.samband
        if sum(k == 1 for k in s.values()) == 1
    ]


def _skyddade(x, start, nya, **kw):
    kors, per_insats, flode = _tabeller(x, start, nya)
    rapport = {"s": Sektion("s", "S", innehall=(kors, per_insats, flode))}
    (ut,), beslut = skydda([rapport], Regler(), **kw)
    return ut["s"].tabellobjekt(), beslut


def _kontrollera(e: Ekvationer) -> None:
    # inget visat antal under tröskeln (nollor visas)
    for n, v in e.sant.items():
        if e.visad[n]:
            assert v == 0 or v >= TROSKEL, f"{n} = {v} visas"
    # nollregeln
    for total, delar in _partitioner(e):
        maskade = [d for d in delar if not e.visad[d]]
        if len(maskade) == 1 and len(delar) > 1:
            ovriga = [d for d in delar if e.visad[d]]
            assert not all(e.sant[d] == 0 for d in ovriga), f"nollregeln: {total} = {delar}"
    # ingen maskad cell är röjd: LP-relaxation och uttömmande heltalssökning
    for n in e.maskade:
        lo, hi = e.lp_intervall(n)
        assert not ar_rojd((lo, hi)), f"{n} röjd av LP: [{lo}, {hi}]"
    grans = max(e.sant.values()) + 2  # en lösning med en större summa ska också hittas
    assert e.rojda_uttommande(grans) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lankade())
def test_lankade_tabeller_rojer_inget(data):
    x, start, nya = data
    (kors, per_insats, flode), beslut = _skyddade(x, start, nya)
    assert not beslut.rojda
    _kontrollera(_las_visat(kors, per_insats, flode))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lankade(hogst=7), st.lists(st.integers(0, 3), min_size=9, max_size=9))
def test_delar_och_helar_tillsammans_rojer_inget(data, okning):
    """Delåret och helåret i samma batch: helåret = delåret + resten (resten visas aldrig)."""
    x, start, nya = data
    r, c = x.shape
    xh = x + np.array(okning[: r * c]).reshape(r, c)
    nya_h = nya + np.array(okning[:c]) + (xh.sum(axis=0) - x.sum(axis=0))
    delar = _tabeller(x, start, nya, "2024-01..2024-08")
    helar = _tabeller(xh, start, nya_h, "2024")
    rapporter = [{"s": Sektion("s", "S", innehall=t)} for t in (delar, helar)]
    ut, beslut = skydda(rapporter, Regler())
    assert not beslut.rojda
    e = Ekvationer()
    (d,), (h,) = ([s.tabellobjekt() for s in u.values()] for u in ut)
    lagg_till(e, *d, "d:")
    lagg_till(e, *h, "h:")
    # läsaren vet att helåret aldrig är mindre än delåret: h = d + rest, rest ≥ 0 och okänd
    for n in [n for n in e.sant if n.startswith("d:") and "Start" not in n and "Slut" not in n]:
        hn = "h:" + n[2:]
        rest = f"rest:{n[2:]}"
        e.variabel(rest, e.sant[hn] - e.sant[n], False)
        e.summa(hn, [n, rest])
    for n in e.maskade:
        if not n.startswith("rest:"):
            assert not ar_rojd(e.lp_intervall(n)), n
    # uttömmande när sökrymden är rimlig (annars gäller LP-kontrollen ovan)
    if len(e.maskade) <= 24:
        grans = max(e.sant.values()) + 2
        maskade = [n for n in e.maskade if not n.startswith("rest:")]
        assert e.rojda_uttommande(grans, maskade) == []


def test_utan_kontrollen_hittar_oraklet_rojda_celler(monkeypatch):
    """Samma orakel med bara primär maskning cell för cell hittar röjda celler (kan falla)."""
    x = np.array([[2, 6], [6, 9]])
    start, nya = np.array([3, 7]), np.array([8, 9])
    monkeypatch.setenv("FINSAM_SEKRETESS", "primar")
    (kors, per_insats, flode), beslut = _skyddade(x, start, nya)
    e = _las_visat(kors, per_insats, flode)
    # maskade: (u0, I0) = 2, start och slut I0 = 3, slut I1 = 1 (= 7 + 9 - 15: röjd)
    assert e.rojda_uttommande(max(e.sant.values()) + 2) == ["SlutI1", "x0,I0"]
    monkeypatch.delenv("FINSAM_SEKRETESS")
    (kors, per_insats, flode), beslut = _skyddade(x, start, nya)
    _kontrollera(_las_visat(kors, per_insats, flode))


# --------------------------------------------------------------------- enskilda regler


def test_nollregeln_maskar_en_nolla_bredvid_en_ensam_maskad_del():
    # alla i insats I0 gick till u0 (3 personer): utan nollregeln röjs det
    x = np.array([[3, 6], [0, 7]])
    (kors, _, _), beslut = _skyddade(x, np.array([5, 5]), np.array([5, 10]))
    assert beslut.skal[Storhet.av("avslut", "2024", insats="I0", utfall="u1")] == "nollregel"
    assert bool(kors.mask["I0"].iat[1])


def test_maskade_rader_sist_i_etikettordning():
    # indata sorterad efter antal: maskade rader får inte visa sin storleksordning
    antal = pd.Series({"Arbete": 40, "Studier": 4, "Annat": 2, "Okänt": 1, "Ålder": 20})
    t = Tabell.fordelning(antal, namn="t", titel="T", bas=Storhet.av("avslut"),
                          dimension="utfall", kategorirubrik="Utfall", sortera=True)  # fmt: skip
    (ut,), beslut = skydda([{"s": Sektion("s", "S", innehall=(t,))}], Regler())
    visad = ut["s"].tabell("t")
    assert visad.data["Utfall"].tolist() == ["Arbete", "Ålder", "Annat", "Okänt", "Studier",
                                             "Totalt"]  # fmt: skip
    assert visad.mask["Antal"].tolist() == [False, False, True, True, True, False]


def test_attack_ger_tva_mojliga_varden_eller_ett_rojt():
    t, a, b, c = (Storhet.av("x", d=d) for d in ("", "a", "b", "c"))
    rel = [Relation.summa(t, [a, b, c])]
    v = {t: 20, a: 2, b: 8, c: 10}
    assert attack(v, {t, b, c}, {a}, rel)[a] == (2.0, 2.0)
    lo, hi = attack(v, {t, c}, {a, b}, rel)[a]
    assert lo < hi and 0 <= lo <= 10 and 0 <= hi <= 10  # a + b = 10


def test_komponenterna_skars_av_visade_tal_och_minnet_sparar_optimeringar():
    x = np.array([[2, 6, 7], [6, 9, 8], [7, 8, 1]])
    kors, _, _ = _tabeller(x, np.zeros(3, int), x.sum(axis=0))
    u = samla([{"s": Sektion("s", "S", innehall=(kors,))}])
    ang = Angripare(u.varden, u.relationer)
    maskade = {Storhet.av("avslut", "2024", insats="I0", utfall="u0"),
               Storhet.av("avslut", "2024", insats="I2", utfall="u2")}  # fmt: skip
    kanda = set(u.visade) - maskade
    assert len(komponenter(u.relationer, maskade)) == 2  # två oberoende hörn
    ang.intervall(kanda, maskade)
    forst = ang.optimeringar
    ang.intervall(kanda, maskade)
    assert ang.optimeringar == forst  # samma komponenter: inga nya optimeringar


def test_periodsamband_bara_for_perioder_i_varandra():
    h = Storhet.av("nya", "2024", insats="A")
    d = Storhet.av("nya", "2024-01..2024-08", insats="A")
    annat = Storhet.av("nya", "2023", insats="A")
    stock = Storhet.av("aktiva_vid_slut", "2024-01..2024-08", insats="A")
    rel, rest = periodsamband({h: 9, d: 6, annat: 4, stock: 3,
                               Storhet.av("aktiva_vid_slut", "2024", insats="A"): 5})  # fmt: skip
    assert [[str(s) for s in r.storheter] for r in rel] == [
        ["nya[2024; insats=A]", "nya[2024-01..2024-08; insats=A]",
         "nya[2024 utom 2024-01..2024-08; insats=A]"]
    ]  # fmt: skip
    assert list(rest.values()) == [3]


def test_tvingade_maskas_och_internt_maskar_inget():
    x = np.array([[12, 6], [6, 9]])
    tvingad = Storhet.av("avslut", "2024", insats="I1", utfall="u1")
    (kors, _, _), beslut = _skyddade(x, np.array([5, 5]), np.array([20, 15]), tvingade={tvingad})
    assert beslut.skal[tvingad] == "tvingad" and bool(kors.mask["I1"].iat[1])
    assert not beslut.rojda

    class Intern(Regler):
        intern = True

    x = np.array([[1, 2], [3, 4]])
    kors, per_insats, flode = _tabeller(x, np.array([1, 1]), np.array([3, 5]))
    (ut,), beslut = skydda([{"s": Sektion("s", "S", innehall=(kors,))}], Intern())
    assert beslut.avstangd and not ut["s"].tabell("kors").mask.to_numpy().any()


def test_sekretessbeslut_utan_sekundar_ar_bara_primar():
    x = np.array([[2, 6], [6, 9]])
    kors, _, _ = _tabeller(x, np.zeros(2, int), x.sum(axis=0))
    b = sekretessbeslut(kors.antal, set(kors.antal), kors.relationer, sekundar=False)
    assert set(b.skal.values()) == {"primär"}
    assert [str(s) for s in b.maskade] == ["avslut[2024; insats=I0, utfall=u0]"]


def test_gemensamt_beslut_ar_en_overmangd_av_varje_rapports():
    x = np.array([[2, 6, 0], [6, 9, 5]])
    d = _tabeller(x, np.array([1, 2, 3]), np.array([9, 14, 5]), "2024-01..2024-08")
    h = _tabeller(x + 1, np.array([1, 2, 3]), np.array([11, 16, 7]), "2024")
    u = [samla([{"s": Sektion("s", "S", innehall=t)}]) for t in (d, h)]
    ensam = [gemensamt_beslut(x, Regler()).maskade for x in u]
    tillsammans = gemensamt_beslut(u, Regler(), tvingade=ensam[0] | ensam[1])
    assert ensam[0] | ensam[1] <= tillsammans.maskade
    assert not tillsammans.rojda


@pytest.mark.parametrize("n", [1, 2, 3])
def test_ett_samband_utan_optimering(n):
    t = Storhet.av("x")
    delar = [Storhet.av("x", d=str(i)) for i in range(4)]
    v = {t: 20, **dict(zip(delar, [2, 3, 7, 8], strict=True))}
    ang = Angripare(v, [Relation.summa(t, delar)])
    svar = ang.intervall({t, *delar[n:]}, set(delar[:n]))
    assert ang.optimeringar == 0
    assert [ar_rojd(svar[s]) for s in delar[:n]] == [n == 1] * n


def test_tabell_sorterad_efter_antal_i_indata_far_maskade_rader_sist():
    """Skyddsnät: en sektion som sorterat fallande själv (utan ``sortera``) röjer inte
    ordningen mellan dolda värden (nollan som nollregeln maskar hamnar inte sist)."""
    antal = pd.Series({"Arbete": 3, "Studier": 0, "Annat": 0})
    t = Tabell.fordelning(antal.sort_values(ascending=False), namn="t", titel="T",
                          bas=Storhet.av("avslut"), dimension="utfall",
                          kategorirubrik="Utfall")  # fmt: skip
    (ut,), beslut = skydda([{"s": Sektion("s", "S", innehall=(t,))}], Regler())
    visad = ut["s"].tabell("t")
    assert visad.data["Utfall"].tolist() == ["Annat", "Arbete", "Studier", "Totalt"]
    assert visad.mask["Antal"].tolist() == [False, True, True, True]
