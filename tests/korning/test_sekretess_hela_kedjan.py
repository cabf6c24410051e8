"""Sekretessen genom hela kedjan: en batch för ett litet förbund, angripen ur utdata.

Testet bygger ett syntetiskt förbund med små insatser och kommuner (1–4 deltagare i de minsta)
och två perioder samma år (januari–augusti 2024 och 2024), kör batchen och angriper sedan det
som skrivits, som en läsare som bara har utdata: ``tabeller.xlsx`` och ``nyckeltal.json`` för
båda rapporterna (HTML-tabellerna och meningarna visar samma tal som tabellerna;
``nyckeltal.csv`` och jämförelserapporten är nyckeltalen igen, vilket testet kontrollerar).

Angriparen är skriven här, utan paketets storheter. Den känner bara samband som utdata själva
visar: summarader och summakolumner (``Totalt``), flödets identiteter (deltagit = aktiva vid
start + nya; avslut = fullföljda + avbrutna; aktiva vid slut = deltagit − avslut), kolumnen
``Förändring`` = perioden − jämförelseperioden, en visad andel × den visade summan (med
avrundningens halva enhet åt varje håll), samma etikett i två tabeller (flödet och flödet per
insats, avslut per insats och korstabellens summarad, bakgrundens summor = deltagit, nyckeltalen)
och att helåret aldrig har färre händelser än delåret. Med linjärprogrammering räknar den
minsta och största värde för varje maskat antal; rymmer intervallet bara ett heltal är antalet
röjt.

Samma angrepp mot en batch där kontrollpunkten bara maskar primärt (``FINSAM_SEKRETESS=primar``)
hittar röjda antal, så testet kan falla.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

ROT = Path(__file__).resolve().parents[2]

PERIODER = ["2024-01..2024-08", "2024"]
KATALOGER = {"2024-01..2024-08": "2024-01_2024-08", "2024": "2024"}

SKRIPT = """
import sys
from pathlib import Path
from finsam_analys.indata.syntetiskt import skriv_syntetiskt_forbund
from finsam_analys.korning.batch import kor_batch

if __name__ == "__main__":
    data, ut = Path(sys.argv[1]), Path(sys.argv[2])
    if not (data / "litet").exists():
        skriv_syntetiskt_forbund(
            data / "litet", seed=11, antal_deltaganden=160, ar=(2023, 2024),
            perioder=["2024-01..2024-08", "2024"], namn="Litet förbund",
            insatser=["Stora", "Mellan", "Liten", "Pytte", "Mini"],
            kommuner=["Norrby", "Söderby", "Västerby", "Österby", "Mitt", "Udde"],
            uttagsdatum="2025-02-01")
    resultat = kor_batch(data_katalog=data, utdata_katalog=ut, skapad="2025-03-01",
                         forlopp=False)
    sys.exit(0 if all(r.lyckades for r in resultat) else 1)
"""


def _kor_batch(tmp: Path, namn: str, *, bara_primar: bool) -> Path:
    """Batchen i en egen process (miljövariabeln når då arbetsprocesser och kärnor)."""
    data, ut = tmp / "data", tmp / namn
    data.mkdir(exist_ok=True)
    skript = tmp / "kor.py"
    skript.write_text(SKRIPT, encoding="utf-8")
    miljo = dict(os.environ)
    miljo.pop("FINSAM_SEKRETESS", None)
    if bara_primar:
        miljo["FINSAM_SEKRETESS"] = "primar"
    svar = subprocess.run([sys.executable, str(skript), str(data), str(ut)], env=miljo,
                          capture_output=True, text=True, timeout=900, cwd=ROT)  # fmt: skip
    assert svar.returncode == 0, svar.stderr[-3000:]
    return ut


@pytest.fixture(scope="module")
def batcher(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sekretess_kedjan")
    return {
        "på": _kor_batch(tmp, "ut", bara_primar=False),
        "av": _kor_batch(tmp, "ut_primar", bara_primar=True),
    }


# ---------------------------------------------------------------------------- angriparen


class Angripare:
    """Variabler för varje visat eller maskat antal, och samband mellan dem."""

    def __init__(self) -> None:
        self.foralder: dict[tuple, tuple] = {}
        self.varde: dict[tuple, float | None] = {}  # None = maskat
        self.lika: list[tuple[dict[tuple, float], float]] = []  # sum(k x) == b
        self.olika: list[tuple[dict[tuple, float], float]] = []  # sum(k x) <= b

    def rot(self, v: tuple) -> tuple:
        while self.foralder.setdefault(v, v) != v:
            v = self.foralder[v]
        return v

    def samma(self, a: tuple, b: tuple) -> None:
        """Två ställen som visar samma tal (samma etikett)."""
        if a in self.varde and b in self.varde:
            ra, rb = self.rot(a), self.rot(b)
            if ra != rb:
                self.foralder[rb] = ra

    def cell(self, nyckel: tuple, varde) -> None:
        if varde is None or (isinstance(varde, str) and varde != ".."):
            return
        if isinstance(varde, bool):
            return
        self.varde[nyckel] = None if varde == ".." else float(varde)
        self.rot(nyckel)

    def summa(self, total: tuple, delar: list[tuple]) -> None:
        if total in self.varde and delar and all(d in self.varde for d in delar):
            self.lika.append(({total: 1.0} | {d: -1.0 for d in delar}, 0.0))

    def skillnad(self, skillnad: tuple, a: tuple, b: tuple) -> None:
        if all(x in self.varde for x in (skillnad, a, b)):
            self.lika.append(({skillnad: 1.0, a: -1.0, b: 1.0}, 0.0))

    def minst(self, stor: tuple, liten: tuple) -> None:
        """``stor >= liten`` (helåret och delåret)."""
        if stor in self.varde and liten in self.varde:
            self.olika.append(({liten: 1.0, stor: -1.0}, 0.0))

    def andel(self, antal: tuple, total: tuple, andel: float, halv: float) -> None:
        """Visad andel: (andel - halv) * total <= antal <= (andel + halv) * total."""
        if antal in self.varde and total in self.varde:
            self.olika.append(({antal: -1.0, total: andel - halv}, 0.0))
            self.olika.append(({antal: 1.0, total: -(andel + halv)}, 0.0))

    # ------------------------------------------------------------------------ LP

    def angrip(self) -> dict[tuple, tuple[float, float]]:
        """Intervallet för varje maskat antal (en variabel per grupp av samma tal)."""
        from scipy.optimize import linprog

        grupper: dict[tuple, list[tuple]] = defaultdict(list)
        for v in self.varde:
            grupper[self.rot(v)].append(v)
        kanda: dict[tuple, float] = {}
        for r, medlemmar in grupper.items():
            visade = {self.varde[m] for m in medlemmar if self.varde[m] is not None}
            assert len(visade) <= 1, f"samma tal visas olika: {medlemmar} {visade}"
            if visade:
                kanda[r] = visade.pop()
        okanda = sorted((r for r in grupper if r not in kanda), key=str)
        j = {r: i for i, r in enumerate(okanda)}

        def rader(samband):
            a, b = [], []
            for termer, hoger in samband:
                rad = np.zeros(len(okanda))
                for v, k in termer.items():
                    r = self.rot(v)
                    if r in j:
                        rad[j[r]] += k
                    else:
                        hoger -= k * kanda[r]
                if rad.any():
                    a.append(rad)
                    b.append(hoger)
            return (np.array(a), np.array(b)) if a else (None, None)

        a_eq, b_eq = rader(self.lika)
        a_ub, b_ub = rader(self.olika)
        ut = {}
        for r in okanda:
            e = np.zeros(len(okanda))
            e[j[r]] = 1
            kw = dict(A_eq=a_eq, b_eq=b_eq, A_ub=a_ub, b_ub=b_ub, bounds=(0, None),
                      method="highs")  # fmt: skip
            lo, hi = linprog(e, **kw), linprog(-e, **kw)
            assert lo.status == 0, (r, lo.message)
            ut[r] = (lo.fun, math.inf if hi.status == 3 else -hi.fun)
        return ut


def _bas(titel: str) -> str:
    """Tabellens namn utan perioden (bladnamnen är avkortade till 31 tecken)."""
    return titel.split(",")[0].strip()


_ANTALSRUBRIKER = ("Antal",)
_FLODE = {
    "Aktiva vid periodens början": "start",
    "Nya under perioden": "nya",
    "Deltagit under perioden": "deltagit",
    "Avslut under perioden (fullföljda och avbrutna)": "avslut",
    "Avslut (fullföljda och avbrutna)": "avslut",
    "varav fullföljda": "fullfoljda",
    "Fullföljda": "fullfoljda",
    "varav avbrutna": "avbrutna",
    "Avbrutna": "avbrutna",
    "Aktiva vid periodens slut": "slut",
}
_BAKGRUND = ("Kön", "Ålder vid inskrivning", "Folkbokföringskommun", "Remittent",
             "Försörjning vid inskrivning", "Tid i offentlig försörjning för")  # fmt: skip
_NYCKELTAL = {
    "antal_aktiva_vid_start": "start", "antal_nya": "nya", "antal_deltagit": "deltagit",
    "antal_avslutade": "avslut", "antal_fullfoljda": "fullfoljda", "antal_avslut": "fullfoljda",
    "antal_avbrutna": "avbrutna", "antal_avbrott": "avbrutna", "antal_aktiva_vid_slut": "slut",
    "antal_kon": "deltagit", "antal_aldersgrupp": "deltagit",
    "antal_folkbokforingskommun": "deltagit", "antal_remittent": "deltagit",
    "antal_forsorjning_in": "deltagit", "antal_tid_offentlig_forsorjning": "deltagit",
}  # fmt: skip
# Händelser under perioden: helåret har minst lika många som delåret.
_HANDELSER = ("Kön", "Ålder vid inskrivning", "Folkbokföringskommun", "Remittent",
              "Avslut per utfall", "Avslut per utfall och insats", "Avslut per insats",
              "Avbrott per orsak", "Avbrott per remittent")  # fmt: skip


def _las_rapport(ang: Angripare, katalog: Path, rapport: str) -> None:
    import openpyxl

    bok = openpyxl.load_workbook(katalog / "tabeller.xlsx", read_only=True)
    for blad in bok.worksheets:
        alla = [list(r) for r in blad.iter_rows(values_only=True)]
        # A1 är tabellens titel (bladnamnet är kapat); rubrikraden är rad 6, under titel,
        # förbund och period, källa och enhet; tabellen slutar vid första tomma raden
        # (teckenförklaringen står under)
        rader = []
        for r in alla[5:]:
            if not any(c is not None for c in r):
                break
            rader.append(r)
        if len(rader) < 2:
            continue
        bas = _bas(str(alla[0][0]))
        rubrik = [str(c) for c in rader[0]]
        if bas == "Deltagarflöde":
            _flodet(ang, rapport, rubrik, rader[1:])
        elif bas == "Deltagarflöde per insats":
            _flodet_per_insats(ang, rapport, rubrik, rader[1:])
        else:
            _tabell(ang, rapport, bas, rubrik, rader[1:])
    nyckeltal = json.loads((katalog / "nyckeltal.json").read_text(encoding="utf-8"))
    for nyckel, varde in nyckeltal["nyckeltal"].items():
        if nyckel in _NYCKELTAL:
            ang.cell((rapport, "nyckeltal", nyckel), varde)
            ang.samma((rapport, "flöde", _NYCKELTAL[nyckel]), (rapport, "nyckeltal", nyckel))


def _flodet(ang, rapport, rubrik, rader) -> None:
    for rad in rader:
        led = _FLODE.get(str(rad[0]))
        if led is None:
            continue
        ang.cell((rapport, "flöde", led), rad[1])
        ang.cell((rapport, "flöde jämförelse", led), rad[2])
        ang.cell((rapport, "flöde förändring", led), rad[3])
        ang.skillnad((rapport, "flöde förändring", led), (rapport, "flöde", led),
                     (rapport, "flöde jämförelse", led))  # fmt: skip
    for t in ("flöde", "flöde jämförelse"):
        _identiteter(ang, lambda led, t=t: (rapport, t, led))


def _identiteter(ang, v) -> None:
    ang.summa(v("deltagit"), [v("start"), v("nya")])
    ang.summa(v("avslut"), [v("fullfoljda"), v("avbrutna")])
    ang.summa(v("deltagit"), [v("avslut"), v("slut")])


def _flodet_per_insats(ang, rapport, rubrik, rader) -> None:
    insatser = []
    for rad in rader:
        insats = str(rad[0])
        for k, varde in zip(rubrik[1:], rad[1:], strict=False):
            led = _FLODE.get(k)
            if led is None:
                continue
            if insats == "Totalt":
                ang.cell((rapport, "flöde per insats", "Totalt", led), varde)
                ang.samma((rapport, "flöde", led), (rapport, "flöde per insats", "Totalt", led))
            else:
                ang.cell((rapport, "flöde per insats", insats, led), varde)
        _identiteter(ang, lambda led, i=insats: (rapport, "flöde per insats", i, led))
        if insats != "Totalt":
            insatser.append(insats)
            # fullföljda per insats = avslut per insats i resultatavsnittet
            ang.samma((rapport, "flöde per insats", insats, "fullfoljda"),
                      (rapport, "Avslut per insats", insats, "Antal"))  # fmt: skip
    for led in set(_FLODE.values()):
        ang.summa((rapport, "flöde per insats", "Totalt", led),
                  [(rapport, "flöde per insats", i, led) for i in insatser])  # fmt: skip


def _tabell(ang, rapport, bas, rubrik, rader) -> None:
    """En vanlig tabell: antalskolumner, Totalt-rad och -kolumn, andelar."""
    etiketter = [str(r[0]) for r in rader]
    if bas == "Avslut per utfall och insats":
        antalskolumner = [k for k in rubrik[1:]]
    else:
        antalskolumner = [k for k in rubrik[1:] if k.startswith(_ANTALSRUBRIKER)]
    for rad in rader:
        for k, varde in zip(rubrik[1:], rad[1:], strict=False):
            if k in antalskolumner:
                ang.cell((rapport, bas, str(rad[0]), k), varde)
    delar = [e for e in etiketter if e != "Totalt" and not e.startswith("varav")]
    if "Totalt" in etiketter:
        for k in antalskolumner:
            ang.summa((rapport, bas, "Totalt", k), [(rapport, bas, e, k) for e in delar])
    if "Totalt" in rubrik:
        inre = [k for k in antalskolumner if k != "Totalt"]
        for e in etiketter:
            ang.summa((rapport, bas, e, "Totalt"), [(rapport, bas, e, k) for k in inre])
    if "Totalt" in etiketter:
        _andelar_av_totalen(ang, rapport, bas, rubrik, rader, antalskolumner)
    _samma_tal_i_flera_tabeller(ang, rapport, bas, etiketter, antalskolumner)


def _andelar_av_totalen(ang, rapport, bas, rubrik, rader, antalskolumner) -> None:
    """Andel × summa: "Andel" hör till "Antal", "Andel vid X" till "Antal vid X"."""
    for k in rubrik[1:]:
        if not k.startswith("Andel"):
            continue
        antal = "Antal" + k[len("Andel"):]
        if antal not in antalskolumner:
            continue
        j = rubrik.index(k)
        for rad in rader:
            if str(rad[0]) != "Totalt" and isinstance(rad[j], float | int) and not isinstance(
                rad[j], bool
            ):
                ang.andel((rapport, bas, str(rad[0]), antal), (rapport, bas, "Totalt", antal),
                          float(rad[j]), 0.005)  # fmt: skip


def _samma_tal_i_flera_tabeller(ang, rapport, bas, etiketter, antalskolumner) -> None:
    """Samma tal i flera tabeller."""
    if bas in _BAKGRUND and "Totalt" in etiketter:
        ang.samma((rapport, "flöde", "deltagit"), (rapport, bas, "Totalt", "Antal"))
    if bas == "Avslut per utfall" and "Totalt" in etiketter:
        ang.samma((rapport, "flöde", "fullfoljda"), (rapport, bas, "Totalt", "Antal"))
    if bas in ("Avbrott per orsak", "Avbrott per remittent") and "Totalt" in etiketter:
        ang.samma((rapport, "flöde", "avbrutna"), (rapport, bas, "Totalt", "Antal"))
    if bas == "Avslut per utfall och insats":
        for k in antalskolumner:
            if k != "Totalt":
                ang.samma((rapport, "Avslut per insats", k, "Antal"), (rapport, bas, "Totalt", k))
            for e in etiketter:
                if e != "Totalt" and k == "Totalt":
                    ang.samma((rapport, "Avslut per utfall", e, "Antal"), (rapport, bas, e, k))


def angrip_utdata(ut: Path) -> tuple[Angripare, dict[tuple, tuple[float, float]]]:
    ang = Angripare()
    for period in PERIODER:
        _las_rapport(ang, ut / "litet" / KATALOGER[period], period)
    # helåret har minst lika många händelser som delåret (samma etikett)
    delar, helar = PERIODER
    for nyckel in list(ang.varde):
        if nyckel[0] != delar:
            continue
        tabell = nyckel[1]
        if tabell in ("flöde", "flöde per insats", *_HANDELSER):
            led = nyckel[-1]
            if tabell.startswith("flöde") and led in ("start", "slut"):
                continue
            ang.minst((helar, *nyckel[1:]), nyckel)
    return ang, ang.angrip()


def _rojda(intervall: dict) -> list:
    return sorted(
        (str(k), lo, hi)
        for k, (lo, hi) in intervall.items()
        if math.isfinite(hi) and math.floor(hi + 1e-6) - math.ceil(lo - 1e-6) < 1
    )


@pytest.mark.langsam
def test_inget_maskat_antal_kan_raknas_fram_ur_utdata(batcher):
    ang, intervall = angrip_utdata(batcher["på"])
    assert len(intervall) > 20  # angreppet når många maskade antal
    assert _rojda(intervall) == []


@pytest.mark.langsam
def test_utan_kontrollpunkten_hittar_angreppet_roja_antal(batcher):
    _, intervall = angrip_utdata(batcher["av"])
    rojda = _rojda(intervall)
    assert len(rojda) >= 5, rojda


@pytest.mark.langsam
def test_nyckeltal_csv_och_jamforelsen_visar_nyckeltalen_som_rapporterna(batcher):
    import csv

    ut = batcher["på"]
    with (ut / "nyckeltal.csv").open(encoding="utf-8-sig") as fil:  # svensk Excel
        rader = list(csv.DictReader(fil, delimiter=";"))
    assert rader
    for period in PERIODER:
        json_ = json.loads((ut / "litet" / KATALOGER[period] / "nyckeltal.json").read_text())
        for r in rader:
            if r["period"] == period and r["nyckel"] in json_["nyckeltal"]:
                if json_["nyckeltal"][r["nyckel"]] == "..":
                    assert r["varde"] == "..", r
