"""Skala: nyckeltal ur deltagardata med 10 000, 100 000 och 1 000 000 deltaganden, HÅE ur
10 000 000 ersättningsperioder, och kärnaggregeringen mot samma fråga i DuckDB.

Varje storlek mäts i en egen underprocess som själv rapporterar tid och toppminne (RSS), så att
ingenting från en tidigare storlek ligger kvar. Steg:

``forbered``   genererar ett syntetiskt förbund (``finsam_analys.indata.syntetiskt``, tre år,
   perioderna
               2023, 2024 och 2025-01..2025-08) och skriver det både som förbundskatalog (CSV,
               som en användare har det) och som Parquet (för mätningen av räkningen).
``inlasning``  ``las_forbund`` på förbundskatalogen (CSV -> validerat ``Underlag``).
``nyckeltal``  alla nyckeltal för varje period: ``rakna`` (räknetabeller ur deltagarraderna) och
               ``indikatorer``, från ett ``Underlag`` byggt av Parquet-filerna.
``hae``        ``helarsekvivalenter`` per ersättningsform och kön för tre perioder, ur
               ersättningsperiodrader genererade direkt med NumPy (bästa av två).
``duckdb``     kärnaggregeringen (deltagarflöde och fördelningar per insats, för varje period)
               med biblioteket och samma fråga i DuckDB, i samma process, bästa av tre.

Mål (issue 6): tillväxt per 10× data högst 12× (tid), 1 000 000 deltaganden under 2 GiB,
kärnaggregeringen inom 2× av DuckDB.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # körd som skript: python benchmarks/bench_skala.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.gemensamt import (
    GIB,
    MIB,
    Matt,
    kor_underprocess,
    nollstall_toppminne,
    rapportera_fran_underprocess,
    rubrik,
    skriv_ut,
    toppminne_sedan_nollstallning,
)
from finsam_analys.matt.deltagarfloden import BAKGRUNDSDIMENSIONER

NAMN = "skala"
AR = (2023, 2024, 2025)
UTTAG = "2025-08-31"
PERIODER = ("2023", "2024", "2025-01..2025-08")
STORLEKAR = (10_000, 100_000, 1_000_000)
HAE_RADER = (1_000_000, 10_000_000)
SNABBA_STORLEKAR = (1_000, 10_000)
SNABBA_HAE_RADER = (10_000, 100_000)

MAL_TILLVAXT = 12.0  # högst 12× tid per 10× data
MAL_MINNE = 2 * GIB  # för 1 000 000 deltaganden
MAL_DUCKDB = 2.0  # biblioteket högst 2× DuckDB

# Rapportens bakgrundsdimensioner (dimension, urval); DuckDB-frågan räknar samma.
BAKGRUND = BAKGRUNDSDIMENSIONER


# ------------------------------------------------------------------ steg (körs i underprocess)


def _katalog(rot: Path, n: int) -> Path:
    return rot / f"forbund_{n}"


def steg_forbered(rot: Path, n: int) -> dict[str, Any]:
    """Generera förbundet och skriv det som förbundskatalog (CSV) och Parquet."""
    from finsam_analys.indata.syntetiskt import generera_forbund, skriv_forbund

    start = time.perf_counter()
    tabeller = generera_forbund(seed=n % 9973, antal_deltaganden=n, ar=AR, uttagsdatum=UTTAG)
    katalog = _katalog(rot, n)
    skriv_forbund(
        tabeller,
        katalog / "csv" / "skalforbund",
        namn=f"Skalförbundet ({n} deltaganden)",
        kommuner=sorted(tabeller["deltagare"]["folkbokforingskommun"].unique()),
        insatser=sorted(tabeller["deltagare"]["insats"].unique()),
        perioder=PERIODER,
    )
    (katalog / "parquet").mkdir(parents=True, exist_ok=True)
    for namn, df in tabeller.items():
        df.to_parquet(katalog / "parquet" / f"{namn}.parquet", index=False)
    return {
        "sekunder": time.perf_counter() - start,
        "rader": {k: len(v) for k, v in tabeller.items()},
    }


def steg_inlasning(rot: Path, n: int) -> dict[str, Any]:
    from finsam_analys.indata.inlasning import las_forbund

    start = time.perf_counter()
    underlag = las_forbund(_katalog(rot, n) / "csv" / "skalforbund")
    sekunder = time.perf_counter() - start
    return {"sekunder": sekunder, "rader": len(underlag.tabeller["deltagare"])}


def _underlag_fran_parquet(rot: Path, n: int):
    import pandas as pd
    import yaml

    from finsam_analys.indata.underlag import Forbundskonfig, Underlag

    katalog = _katalog(rot, n)
    konfig_fil = katalog / "csv" / "skalforbund" / "forbund.yaml"
    konfig, problem = Forbundskonfig.fran_dict(yaml.safe_load(konfig_fil.read_text("utf-8")))
    if konfig is None:
        raise RuntimeError(f"forbund.yaml kunde inte tolkas: {problem}")
    tabeller = {p.stem: pd.read_parquet(p) for p in sorted((katalog / "parquet").glob("*.parquet"))}
    return Underlag(katalog, konfig, tabeller)


def nyckeltal_for_perioder(underlag, perioder) -> dict[str, Any]:
    """Alla nyckeltal (räknetabeller och indikatorer) för varje period; antal rader per period."""
    from finsam_analys.matt.indikatorer import indikatorer
    from finsam_analys.matt.rakning import rakna

    ut = {}
    for period in perioder:
        rakning = rakna(underlag, period)
        ind = indikatorer(rakning)
        ut[str(period)] = {"tabeller": len(rakning.tabeller), "indikatorer": len(ind)}
    return ut


def steg_nyckeltal(rot: Path, n: int) -> dict[str, Any]:
    underlag = _underlag_fran_parquet(rot, n)
    # importer (scipy m.m.) räknas inte: de kostar lika mycket för alla storlekar
    import importlib

    for modul in ("finsam_analys.matt.halsa", "finsam_analys.matt.uppfoljning", "scipy.stats"):
        importlib.import_module(modul)
    start = time.perf_counter()
    resultat = nyckeltal_for_perioder(underlag, underlag.konfig.perioder)
    return {"sekunder": time.perf_counter() - start, "perioder": resultat}


def generera_ersattningsperioder(rader: int, *, seed: int = 1):
    """``rader`` ersättningsperioder 2022–2025 (person, form, kön, från, till, omfattning)."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    from finsam_analys.indata.scheman import ERSATTNINGSFORM_SCB

    rng = np.random.default_rng(seed)
    personer = max(1, rader // 3)
    person = rng.integers(1, personer + 1, rader)
    siffror = pc.utf8_lpad(pc.cast(pa.array(person), pa.string()), 8, "0")
    ids = pd.Series(pd.array(pc.binary_join_element_wise("P", siffror, ""), dtype="str"))
    former = pa.array(list(ERSATTNINGSFORM_SCB))
    form = pd.Series(
        pd.array(pc.take(former, pa.array(rng.integers(0, len(ERSATTNINGSFORM_SCB), rader))))
    ).astype("str")
    kon = pd.Series(pd.array(pc.take(pa.array(["Kvinna", "Man"]), pa.array(person % 2)))).astype(
        "str"
    )
    start = np.datetime64("2022-01-01", "D")
    fran = start + rng.integers(0, 4 * 365, rader).astype("timedelta64[D]")
    langd = np.round(rng.exponential(150.0, rader)).astype(np.int64)
    till = fran + langd.astype("timedelta64[D]")
    pagaende = rng.random(rader) < 0.05
    till = np.where(pagaende, np.datetime64("NaT", "D"), till)
    omfattning = np.array([1.0, 0.75, 0.5, 0.25])[rng.integers(0, 4, rader)]
    return pd.DataFrame(
        {
            "person": ids,
            "ersattningsform": form,
            "kon": kon,
            "fran": pd.Series(fran.astype("datetime64[us]")),
            "till": pd.Series(till.astype("datetime64[us]")),
            "omfattning": omfattning,
        }
    )


def steg_hae(rot: Path, rader: int, upprepningar: int = 2) -> dict[str, Any]:
    from finsam_analys.matt.helarsekvivalenter import helarsekvivalenter

    perioder = generera_ersattningsperioder(rader)
    nollstallt = nollstall_toppminne()
    tider, summor = [], {}
    for _ in range(upprepningar):  # bästa av två: den första körningen betalar sidfel m.m.
        start = time.perf_counter()
        for period in ("2023", "2024", "2025-01..2025-08"):
            t = helarsekvivalenter(perioder, period=period, per=["ersattningsform", "kon"])
            summor[period] = float(t.loc[t["ersattningsform"] == "Totalt", "hae"].sum())
        tider.append(time.perf_counter() - start)
    ut = {"sekunder": min(tider), "alla_sekunder": tider, "hae_totalt": summor}
    if nollstallt:  # toppminnet under beräkningen (datat finns redan i minnet)
        ut["berakning_toppminne_bytes"] = toppminne_sedan_nollstallning()
    return ut


# --- kärnaggregeringen: biblioteket och DuckDB ---------------------------------------------


def karnaggregering_bibliotek(deltagare, period):
    """Deltagarflöde och bakgrundsfördelningar per insats för en period (bibliotekets API).

    ``deltagarfloden.deltagarantal``, som rapportens räknetabeller använder.
    """
    from finsam_analys.matt import deltagarfloden

    return deltagarfloden.deltagarantal(
        deltagare, period=period, dimensioner=BAKGRUND, per="insats"
    )


_SQL = """
WITH b AS (
    SELECT insats, kon, remittent, folkbokforingskommun, forsorjning_in, forsorjning_ut,
           tid_offentlig_forsorjning_ar AS tid,
           year(inskrivningsdatum) - fodelsear AS alder,
           CAST(inskrivningsdatum AS DATE) AS ins,
           coalesce(CAST(avslutsdatum AS DATE), DATE '9999-12-31') AS avs,
           coalesce(avslutstyp = 'Avbruten', false) AS avbr
    FROM deltagare
), m AS (
    SELECT *,
           ins <= $slut AND avs >= $start AS deltagit,
           avs >= $start AND avs <= $slut AS avslutade
    FROM b
), flode AS (
    SELECT insats,
           count(*) FILTER (WHERE ins < $start AND avs >= $start) AS aktiva_vid_start,
           count(*) FILTER (WHERE ins >= $start AND ins <= $slut) AS nya,
           count(*) FILTER (WHERE deltagit) AS deltagit,
           count(*) FILTER (WHERE avslutade) AS avslutade,
           count(*) FILTER (WHERE avslutade AND NOT avbr) AS fullfoljda,
           count(*) FILTER (WHERE avslutade AND avbr) AS avbrutna,
           count(*) FILTER (WHERE ins <= $slut AND avs > $slut) AS aktiva_vid_slut
    FROM m GROUP BY insats
), flodesrader AS (
    UNPIVOT flode ON aktiva_vid_start, nya, deltagit, avslutade, fullfoljda, avbrutna,
                    aktiva_vid_slut
    INTO NAME kategori VALUE antal
), fordelningar AS (
    SELECT insats, 'kon' AS dimension, coalesce(kon, 'Uppgift saknas') AS kategori,
           count(*) AS antal FROM m WHERE deltagit GROUP BY ALL
    UNION ALL
    SELECT insats, 'aldersgrupp', CASE
               WHEN alder IS NULL OR alder < 0 THEN 'Uppgift saknas'
               WHEN alder < 25 THEN 'Under 25 år' WHEN alder < 30 THEN '25–29 år'
               WHEN alder < 40 THEN '30–39 år' WHEN alder < 50 THEN '40–49 år'
               ELSE '50 år eller äldre' END,
           count(*) FROM m WHERE deltagit GROUP BY ALL
    UNION ALL
    SELECT insats, 'folkbokforingskommun', coalesce(folkbokforingskommun, 'Uppgift saknas'),
           count(*) FROM m WHERE deltagit GROUP BY ALL
    UNION ALL
    SELECT insats, 'remittent', coalesce(remittent, 'Uppgift saknas'),
           count(*) FROM m WHERE deltagit GROUP BY ALL
    UNION ALL
    SELECT insats, 'forsorjning_in', coalesce(forsorjning_in, 'Uppgift saknas'),
           count(*) FROM m WHERE deltagit GROUP BY ALL
    UNION ALL
    SELECT insats, 'tid_offentlig_forsorjning', CASE
               WHEN tid IS NULL OR isnan(tid) OR tid < 0 THEN 'Uppgift saknas'
               WHEN tid < 1 THEN 'Under 1 år' WHEN tid < 2 THEN '1–2 år'
               WHEN tid < 5 THEN '2–5 år' WHEN tid < 10 THEN '5–10 år'
               ELSE '10 år eller mer' END,
           count(*) FROM m WHERE deltagit GROUP BY ALL
    UNION ALL
    SELECT insats, 'forsorjning_ut', coalesce(forsorjning_ut, 'Uppgift saknas'),
           count(*) FROM m WHERE avslutade GROUP BY ALL
)
SELECT insats, 'status' AS dimension, kategori, antal,
       NULL::BIGINT AS namnare, NULL::DOUBLE AS andel FROM flodesrader
UNION ALL
SELECT insats, dimension, kategori, antal,
       sum(antal) OVER (PARTITION BY insats, dimension) AS namnare,
       antal / sum(antal) OVER (PARTITION BY insats, dimension) AS andel
FROM fordelningar
"""


def karnaggregering_duckdb(anslutning, period):
    """Samma räknetabell med DuckDB (``deltagare`` registrerad i anslutningen)."""
    from finsam_analys.perioder import Rapportperiod

    p = Rapportperiod.tolka(period)
    return anslutning.execute(_SQL, {"start": p.start, "slut": p.slut}).df()


def _jamforbar(tabell):
    t = tabell[["insats", "dimension", "kategori", "antal"]].copy()
    t = t[t["antal"] > 0]
    t["insats"] = t["insats"].astype("str")
    t["dimension"] = t["dimension"].astype("str")
    t["kategori"] = t["kategori"].astype("str")
    t["antal"] = t["antal"].astype("int64")
    return t.sort_values(["insats", "dimension", "kategori"]).reset_index(drop=True)


def steg_duckdb(rot: Path, n: int, upprepningar: int = 3) -> dict[str, Any]:
    import duckdb
    import pandas as pd

    deltagare = pd.read_parquet(_katalog(rot, n) / "parquet" / "deltagare.parquet")
    anslutning = duckdb.connect()
    anslutning.register("deltagare", deltagare)
    bibliotek, db = [], []
    lika = True
    for _ in range(upprepningar):  # omväxlande, bästa av tre: brusig maskin
        start = time.perf_counter()
        ut_b = [karnaggregering_bibliotek(deltagare, p) for p in PERIODER]
        bibliotek.append(time.perf_counter() - start)
        start = time.perf_counter()
        ut_d = [karnaggregering_duckdb(anslutning, p) for p in PERIODER]
        db.append(time.perf_counter() - start)
    for b, d in zip(ut_b, ut_d, strict=True):
        if not _jamforbar(b).equals(_jamforbar(d)):
            lika = False
    return {
        "bibliotek_sekunder": bibliotek,
        "duckdb_sekunder": db,
        "duckdb_tradar": int(anslutning.execute("SELECT current_setting('threads')").fetchone()[0]),
        "lika_resultat": lika,
    }


STEG = {
    "forbered": steg_forbered,
    "inlasning": steg_inlasning,
    "nyckeltal": steg_nyckeltal,
    "hae": steg_hae,
    "duckdb": steg_duckdb,
}


# ------------------------------------------------------------------ huvudprocessen


def _kor(steg: str, rot: Path, n: int, tidsgrans: float) -> dict[str, Any]:
    r = kor_underprocess(
        ["-m", "benchmarks.bench_skala", "--steg", steg, "--rot", str(rot), "--n", str(n)],
        tidsgrans=tidsgrans,
    )
    if r.get("tidsgrans"):
        print(f"      {steg} n={n}: avbruten efter {tidsgrans:.0f} s (tidsgräns)", flush=True)
    elif r.get("fel"):
        print(f"      {steg} n={n}: FEL\n{r['fel']}", flush=True)
    return r


def _tillvaxtmatt(namn: str, enhet_n: str, matningar: dict[int, dict[str, Any]]) -> list[Matt]:
    """Tid och minne per storlek, och tillväxten per 10× data (mål högst 12×)."""
    matt = []
    storlekar = sorted(matningar)
    for n in storlekar:
        r = matningar[n]
        sek = r.get("sekunder")
        minne = r.get("toppminne_bytes")
        detaljer = {k: v for k, v in r.items() if k not in {"sekunder"}}
        matt.append(
            skriv_ut(
                Matt(
                    NAMN,
                    f"{namn}, {n:,} {enhet_n}: tid".replace(",", " "),
                    sek,
                    "s",
                    "" if sek is not None else "körs klart",
                    None if sek is not None else False,
                    detaljer,
                )
            )
        )
        if minne is not None:
            text = f"      toppminne {minne / MIB:,.0f} MiB"
            if r.get("berakning_toppminne_bytes"):
                text += (
                    f" för hela processen ({r['berakning_toppminne_bytes'] / MIB:,.0f} MiB "
                    "under själva beräkningen)"
                )
            print(text.replace(",", " "), flush=True)
    for liten, stor in zip(storlekar, storlekar[1:], strict=False):
        a, b = matningar[liten].get("sekunder"), matningar[stor].get("sekunder")
        faktor = stor / liten
        kvot = None if a is None or b is None or a <= 0 else b / a
        matt.append(
            skriv_ut(
                Matt(
                    NAMN,
                    f"{namn}: tillväxt {liten:,} -> {stor:,} ({faktor:.0f}× data)".replace(
                        ",", " "
                    ),
                    kvot,
                    "× tid",
                    f"högst {MAL_TILLVAXT * faktor / 10:.0f}×",
                    kvot is not None and kvot <= MAL_TILLVAXT * faktor / 10,
                    {"sekunder": [a, b]},
                )
            )
        )
    return matt


def _minnesmatt(namn: str, n: int, matning: dict[str, Any]) -> Matt:
    """Toppminnet för ``n`` deltaganden mot målet under 2 GiB."""
    minne = matning.get("toppminne_bytes")
    return skriv_ut(
        Matt(
            NAMN,
            f"{namn}, {n:,} deltaganden: toppminne".replace(",", " "),
            None if minne is None else minne / MIB,
            "MiB",
            "under 2 GiB (2 048 MiB)",
            minne is not None and minne < MAL_MINNE,
        )
    )


def kor(*, snabb: bool = False, rot: Path | None = None) -> list[Matt]:
    """Kör skalbenchmarken och returnera måtten (skrivs ut under tiden)."""
    import tempfile

    storlekar = SNABBA_STORLEKAR if snabb else STORLEKAR
    hae_rader = SNABBA_HAE_RADER if snabb else HAE_RADER
    storst = storlekar[-1]
    tmp = None
    if rot is None:
        tmp = tempfile.TemporaryDirectory(prefix="finsam-bench-skala-")
        rot = Path(tmp.name)
    matt: list[Matt] = []
    try:
        rubrik("Skala: förbereder syntetiska förbund")
        for n in storlekar:
            r = _kor("forbered", rot, n, tidsgrans=600)
            if r.get("sekunder") is None:
                return [skriv_ut(Matt(NAMN, f"förbered {n}", None, "", "körs klart", False, r))]
            print(f"      {n:>9,} deltaganden: {r['sekunder']:.1f} s".replace(",", " "))

        rubrik("Skala: alla nyckeltal för varje period (rakna + indikatorer)")
        nyckeltal = {n: _kor("nyckeltal", rot, n, tidsgrans=600) for n in storlekar}
        matt += _tillvaxtmatt("nyckeltal", "deltaganden", nyckeltal)
        matt.append(_minnesmatt("nyckeltal", storst, nyckeltal[storst]))

        rubrik("Skala: inläsning (CSV -> validerat Underlag)")
        inlasning = {n: _kor("inlasning", rot, n, tidsgrans=600) for n in storlekar}
        matt += _tillvaxtmatt("inläsning", "deltaganden", inlasning)
        matt.append(_minnesmatt("inläsning", storst, inlasning[storst]))

        rubrik("Skala: helårsekvivalenter ur ersättningsperioder")
        hae = {n: _kor("hae", rot, n, tidsgrans=600) for n in hae_rader}
        matt += _tillvaxtmatt("HÅE", "ersättningsperioder", hae)

        rubrik(f"Skala: kärnaggregeringen mot DuckDB ({storst:,} deltaganden)".replace(",", " "))
        r = _kor("duckdb", rot, storst, tidsgrans=600)
        if r.get("bibliotek_sekunder"):
            b, d = min(r["bibliotek_sekunder"]), min(r["duckdb_sekunder"])
            print(
                f"      biblioteket {b:.2f} s, DuckDB {d:.2f} s ({r['duckdb_tradar']} trådar), "
                f"bästa av {len(r['bibliotek_sekunder'])}; samma resultat: "
                f"{'ja' if r['lika_resultat'] else 'NEJ'}",
                flush=True,
            )
            matt.append(
                skriv_ut(
                    Matt(
                        NAMN,
                        "kärnaggregeringen: biblioteket / DuckDB",
                        b / d,
                        "×",
                        f"högst {MAL_DUCKDB:.0f}× (och samma resultat)",
                        b / d <= MAL_DUCKDB and r["lika_resultat"],
                        r,
                    )
                )
            )
        else:
            fel = Matt(NAMN, "kärnaggregeringen mot DuckDB", None, "", "körs klart", False, r)
            matt.append(skriv_ut(fel))
    finally:
        if tmp is not None:
            tmp.cleanup()
    return matt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steg", choices=sorted(STEG))
    parser.add_argument("--rot", type=Path)
    parser.add_argument("--n", type=int)
    parser.add_argument("--snabb", action="store_true", help="små storlekar (för tester)")
    args = parser.parse_args(argv)
    if args.steg:
        rapportera_fran_underprocess(STEG[args.steg](args.rot, args.n))
        return 0
    from benchmarks.gemensamt import spara_json

    matt = kor(snabb=args.snabb, rot=args.rot)
    spara_json(NAMN + ("_snabb" if args.snabb else ""), matt)
    return 0 if all(m.godkant is not False for m in matt) else 1


if __name__ == "__main__":
    sys.exit(main())
