"""Ett påhittat förbunds *egen* uppföljningsfil, i den form förbund faktiskt för den.

:func:`generera_egen_uppfoljning` drar deltaganden för två insatser (Steget och Lotsen) som
startar 2022–2024, och :func:`skriv_egen_uppfoljning` skriver dem som en Excel-arbetsbok med ett
blad per insats och med egenheterna i verkliga uppföljningsfiler: titelrader ovanför rubriken,
sammanfogade celler (rubriken "ORS" över "in" och "ut", en kommun sammanfogad över två rader),
egna svenska rubriker som skiljer sig mellan bladen ("Start"/"Startdatum", "Slutdatum"/"Avslutad"),
egna stavningar av kategorier (K/M/Kvinna, Arbetsförmedlingen/AF, Försörjningsstöd,
"Avbrott - sjukdom"), Ja/Nej, datum som riktiga datum, som text i flera former och som Excel-tal,
tal med decimalkomma som text, fritextkommentarer, en tom rad, en summarad och en anteckning
under tabellen, ett instruktionsblad och ett blad med rullistor.

Filen ``data/exempel_egen_uppfoljning.xlsx`` är skapad så här (testerna läser den och räknar
själva ur den)::

    skriv_egen_uppfoljning("data/exempel_egen_uppfoljning.xlsx", seed=14)

Alla personer är påhittade; id:n är löpnummer och korta koder som aldrig liknar personnummer.

>>> blad = generera_egen_uppfoljning(seed=14)
>>> sorted(blad), len(blad["Steget"]) + len(blad["Lotsen"])
(['Lotsen', 'Steget'], 300)
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["generera_egen_uppfoljning", "skriv_egen_uppfoljning", "UTTAGSDATUM"]

UTTAGSDATUM = dt.date(2025, 1, 15)
_FORSTA, _SISTA = dt.date(2022, 1, 3), dt.date(2024, 12, 13)
_KOMMUNER = ("Exempelstad", "Norrby", "Söderby", "Åsby")
_P_KOMMUN = (0.5, 0.2, 0.2, 0.1)

# remittent: (förbundets stavningar, sannolikhet)
_REMITTENT = (
    (("Arbetsförmedlingen", "AF", "Af"), 0.32),
    (("Försäkringskassan", "FK"), 0.25),
    (("Socialtjänsten", "Soc"), 0.30),
    (("Vården", "Psykiatrin"), 0.10),
    (("Egen anmälan",), 0.03),
)
_FORSORJNING = (
    "Aktivitetsstöd",
    "A-kassa",
    "Sjukpenning",
    "Försörjningsstöd",
    "Ekonomiskt bistånd",
    "Sjukersättning",
    "Aktivitetsersättning",
    "Etableringsersättning",
    "Ingen ersättning",
    "Lön",
)
_P_FORSORJNING = (0.18, 0.06, 0.17, 0.2, 0.08, 0.05, 0.08, 0.06, 0.07, 0.05)
# utfall vid fullföljt avslut och orsaker vid avbrott, per blad (bladen stavar olika)
_UTFALL = {
    "Steget": (
        ("Arbete", "Arbete med stöd", "Studier", "Annan insats", "Arbetssökande", "Sjukersättning"),
        (0.2, 0.08, 0.12, 0.38, 0.15, 0.07),
    ),
    "Lotsen": (
        ("Arbete", "Studier", "Fortsatt rehabilitering", "Arbetssökande", "Annat"),
        (0.28, 0.12, 0.35, 0.17, 0.08),
    ),
}
_AVBROTT = {
    "Steget": (
        ("Avbrott - sjukdom", "Avbrott - flytt", "Avbrott - föräldraledig", "Avbrott - annat"),
        (0.45, 0.2, 0.15, 0.2),
    ),
    "Lotsen": (("Avbrutit - sjukdom", "Avbrutit - flytt", "Avbrutit - annat"), (0.5, 0.25, 0.25)),
}
_UPPFOLJNING = ("Arbete", "Studier", "Arbetssökande", "Fortsatt rehabilitering", "Vet ej")
_KOMMENTARER = (
    "Bra närvaro",
    "Ringt flera gånger utan svar",
    "Har flyttat till annan ort",
    "Önskar mer stöd kring ekonomi",
    "Praktik på lager, fungerar bra",
    "Behöver kontakt med psykiatrin",
)


def generera_egen_uppfoljning(
    *, seed: int = 14, antal: tuple[int, int] = (170, 130)
) -> dict[str, pd.DataFrame]:
    """Deltaganden per insats med förbundets egna etiketter (innan de skrivs som Excel).

    Parameters
    ----------
    seed : int
        Frö till ``numpy.random.default_rng``.
    antal : (int, int)
        Antal deltaganden i Steget och Lotsen.

    Returns
    -------
    dict[str, DataFrame]
        Bladnamn -> en rad per deltagande med kolumnerna ``id``, ``start``, ``slut`` (datum,
        NaT = pågående), ``kon`` ("K"/"M"), ``alder``, ``kommun``, ``remittent``,
        ``forsorjning_in``, ``forsorjning_ut``, ``orsak``, ``avbrott`` (bool), ``ors_in``,
        ``ors_ut``, ``uppfoljning_6`` och ``kommentar``.

    Examples
    --------
    >>> blad = generera_egen_uppfoljning(seed=1, antal=(20, 10))
    >>> (blad["Steget"]["start"].dt.year.between(2022, 2024)).all()
    np.True_
    """
    rng = np.random.default_rng(seed)
    ut = {}
    for blad, n in zip(("Steget", "Lotsen"), antal, strict=True):
        dagar = (_SISTA - _FORSTA).days
        start = pd.to_datetime(_FORSTA) + pd.to_timedelta(np.sort(rng.integers(0, dagar, n)), "D")
        avbrott = rng.random(n) < 0.2
        langd = np.where(
            avbrott,
            rng.lognormal(np.log(90), 0.5, n),
            rng.lognormal(np.log(240), 0.4, n),
        ).round()
        slut = start + pd.to_timedelta(langd, "D")
        pagaende = slut > pd.Timestamp("2024-12-31")
        slut = slut.where(~pagaende)
        avbrott = avbrott & ~pagaende
        utfall, p_utfall = _UTFALL[blad]
        orsaker, p_orsaker = _AVBROTT[blad]
        orsak = np.where(
            avbrott, rng.choice(orsaker, n, p=p_orsaker), rng.choice(utfall, n, p=p_utfall)
        ).astype(object)
        orsak[pagaende] = None
        rem_grupp = rng.choice(len(_REMITTENT), n, p=[p for _, p in _REMITTENT])
        remittent = [_REMITTENT[g][0][rng.integers(len(_REMITTENT[g][0]))] for g in rem_grupp]
        fors_in = rng.choice(_FORSORJNING, n, p=_P_FORSORJNING).astype(object)
        fors_ut = np.where(
            rng.random(n) < 0.6, fors_in, rng.choice(_FORSORJNING, n, p=_P_FORSORJNING)
        ).astype(object)
        fors_ut[pagaende] = None
        ors_in = np.clip(rng.normal(19, 7, n), 0, 40).round(1)
        ors_ut = np.clip(ors_in + rng.normal(4.5, 6, n), 0, 40).round(1)
        ors_in = np.where(rng.random(n) < 0.1, np.nan, ors_in)
        ors_ut = np.where(pagaende | (rng.random(n) < 0.15), np.nan, ors_ut)
        uppf_dag = slut + pd.DateOffset(months=6)
        har_uppf = (~pagaende) & (~avbrott) & (uppf_dag <= pd.Timestamp(UTTAGSDATUM))
        uppf = np.where(
            har_uppf & (rng.random(n) < 0.75), rng.choice(_UPPFOLJNING, n), None
        ).astype(object)
        kommentar = np.where(rng.random(n) < 0.3, rng.choice(_KOMMENTARER, n), None)
        prefix = "ST" if blad == "Steget" else "L"
        id_ = (
            [str(i) for i in range(1, n + 1)]
            if blad == "Steget"
            else [f"{prefix}{d.year % 100:02d}-{i:03d}" for i, d in enumerate(start, start=1)]
        )
        ut[blad] = pd.DataFrame(
            {
                "id": id_,
                "start": start,
                "slut": slut,
                "kon": np.where(rng.random(n) < 0.55, "K", "M"),
                "alder": rng.integers(18, 65, n),
                "kommun": rng.choice(_KOMMUNER, n, p=_P_KOMMUN),
                "remittent": remittent,
                "forsorjning_in": fors_in,
                "forsorjning_ut": fors_ut,
                "orsak": orsak,
                "avbrott": avbrott,
                "ors_in": ors_in,
                "ors_ut": ors_ut,
                "uppfoljning_6": uppf,
                "kommentar": kommentar,
            }
        )
    return ut


def _datumcell(rng: np.random.Generator, datum: pd.Timestamp, former: tuple[str, ...]):
    """Datum i en av förbundets former: riktigt datum, text eller Excel-tal."""
    if pd.isna(datum):
        return None, None
    d = datum.date()
    form = former[rng.integers(len(former))]
    if form == "datum":
        return dt.datetime(d.year, d.month, d.day), "yyyy-mm-dd"
    if form == "iso":
        return d.isoformat(), "@"
    if form == "dm_ar":
        return f"{d.day}/{d.month} {d.year}", "@"
    if form == "punkt":
        return f"{d.day}.{d.month}.{d.year}", "@"
    if form == "serie":
        return (d - dt.date(1899, 12, 30)).days, "General"
    raise AssertionError(form)


def skriv_egen_uppfoljning(sokvag: str | Path, *, seed: int = 14) -> Path:
    """Skriv den påhittade egna uppföljningsfilen som .xlsx (se modulens beskrivning).

    Parameters
    ----------
    sokvag : str eller Path
        Filen som skapas (skrivs över om den finns).
    seed : int
        Frö till generatorn; samma frö ger samma celler.

    Returns
    -------
    Path
        Sökvägen.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    rng = np.random.default_rng(seed + 1)
    blad = generera_egen_uppfoljning(seed=seed)
    bok = Workbook()
    las = bok.active
    las.title = "Läs först"
    for i, rad in enumerate(
        (
            "Uppföljning av deltagare – Samordningsförbundet Exempeldalen",
            "Fyll i en rad per deltagare. Använd rullistorna där de finns.",
            "Personnummer får inte skrivas in; använd löpnummer eller deltagarkod.",
            "ORS skattas vid start och vid avslut (0–40).",
        ),
        start=1,
    ):
        las.cell(row=i, column=1, value=rad)
    fet = Font(bold=True)

    # Steget: två titelrader, rubrik över två rader med "ORS" sammanfogad över in/ut
    st = bok.create_sheet("Steget")
    d = blad["Steget"]
    st["A1"] = "Samordningsförbundet Exempeldalen"
    st["A1"].font = Font(bold=True, size=14)
    st.merge_cells("A1:N1")
    st["A2"] = "Deltagaruppföljning Steget 2022–2024 (uppdaterad 2025-01-15)"
    st.merge_cells("A2:N2")
    rubriker = [
        "Löpnr",
        "Start",
        "Slutdatum",
        "Kön",
        "Ålder",
        "Hemkommun",
        "Remitterad från",
        "Försörjning vid start",
        "Försörjning vid avslut",
        "Avslutsorsak",
        "Avbrott (Ja/Nej)",
        "ORS",
        None,
        "Kommentar",
        "Handläggare",
    ]
    for j, rubrik in enumerate(rubriker, start=1):
        if rubrik is None:
            continue
        cell = st.cell(row=4, column=j, value=rubrik)
        cell.font = fet
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        if rubrik != "ORS":
            st.merge_cells(start_row=4, start_column=j, end_row=5, end_column=j)
    st.merge_cells("L4:M4")
    st["L5"], st["M5"] = "in", "ut"
    rad = 6
    kon_stavning = {"K": ("K", "K", "K", "Kvinna", "k"), "M": ("M", "M", "M", "Man", "man")}
    handlaggare = ("AB", "CD", "EF")
    for i, r in enumerate(d.itertuples(index=False)):
        if i == 60:
            rad += 1  # en tom rad mitt i tabellen
        start, fmt_s = _datumcell(rng, r.start, ("datum",) * 8 + ("iso", "dm_ar", "serie"))
        slut, fmt_e = _datumcell(rng, r.slut, ("datum",) * 8 + ("iso", "punkt", "serie"))
        alder = f"{r.alder} år" if rng.random() < 0.05 else int(r.alder)
        varden = [
            int(r.id),
            start,
            slut,
            kon_stavning[r.kon][rng.integers(5)],
            alder,
            r.kommun,
            r.remittent,
            r.forsorjning_in,
            r.forsorjning_ut,
            r.orsak,
            _avbrott(rng, r.orsak, r.avbrott),
            None if np.isnan(r.ors_in) else _ors(rng, r.ors_in),
            None if np.isnan(r.ors_ut) else _ors(rng, r.ors_ut),
            r.kommentar,
            handlaggare[rng.integers(3)],
        ]
        for j, v in enumerate(varden, start=1):
            cell = st.cell(row=rad, column=j, value=v)
            if j == 2 and fmt_s:
                cell.number_format = fmt_s
            if j == 3 and fmt_e:
                cell.number_format = fmt_e
        rad += 1
    # två deltagare i rad från samma kommun, sammanfogat i kommunkolumnen
    for forsta in range(6, rad - 1):
        if st.cell(forsta, 6).value == st.cell(forsta + 1, 6).value and forsta > 20:
            st.cell(forsta + 1, 6).value = None
            st.merge_cells(start_row=forsta, start_column=6, end_row=forsta + 1, end_column=6)
            break
    st.cell(row=rad + 1, column=1, value=f"Summa: {len(d)} deltagare")
    st.cell(row=rad + 2, column=1, value="Uppgifterna är påhittade (exempel).")

    # Lotsen: en titelrad, andra rubriker, ORS i två egna kolumner
    lo = bok.create_sheet("Lotsen")
    d = blad["Lotsen"]
    lo["A1"] = "Lotsen – deltagarlista"
    lo.merge_cells("A1:E1")
    rubriker = [
        "ID",
        "Startdatum",
        "Avslutad",
        "Kön",
        "Ålder vid start",
        "Kommun",
        "Remittent",
        "Försörjning in",
        "Försörjning ut",
        "Orsak till avslut",
        "ORS in",
        "ORS ut",
        "Uppföljning 6 mån",
        "Anteckningar",
    ]
    for j, rubrik in enumerate(rubriker, start=1):
        lo.cell(row=3, column=j, value=rubrik).font = fet
    kon_namn = {"K": "Kvinna", "M": "Man"}
    for i, r in enumerate(d.itertuples(index=False), start=4):
        start, fmt_s = _datumcell(rng, r.start, ("datum",) * 9 + ("iso",))
        slut, fmt_e = _datumcell(rng, r.slut, ("datum",) * 9 + ("dm_ar",))
        varden = [
            r.id,
            start,
            slut,
            kon_namn[r.kon],
            int(r.alder),
            r.kommun,
            r.remittent,
            r.forsorjning_in,
            r.forsorjning_ut,
            r.orsak,
            None if np.isnan(r.ors_in) else float(r.ors_in),
            None if np.isnan(r.ors_ut) else float(r.ors_ut),
            r.uppfoljning_6,
            r.kommentar,
        ]
        for j, v in enumerate(varden, start=1):
            cell = lo.cell(row=i, column=j, value=v)
            if j == 2 and fmt_s:
                cell.number_format = fmt_s
            if j == 3 and fmt_e:
                cell.number_format = fmt_e

    listor = bok.create_sheet("Listor")
    for j, (rubrik, varden) in enumerate(
        (
            ("Kön", ("Kvinna", "Man")),
            ("Remitterad från", ("Arbetsförmedlingen", "Försäkringskassan", "Socialtjänsten")),
            ("Avbrott (Ja/Nej)", ("Ja", "Nej")),
        ),
        start=1,
    ):
        listor.cell(row=1, column=j, value=rubrik)
        for i, v in enumerate(varden, start=2):
            listor.cell(row=i, column=j, value=v)

    fast = dt.datetime(2025, 1, 15, 8, 0, 0)
    bok.properties.creator = "finsam-analys (syntetiskt exempel)"
    bok.properties.created = fast
    bok.properties.modified = fast
    sokvag = Path(sokvag)
    bok.save(sokvag)
    return sokvag


def _avbrott(rng: np.random.Generator, orsak, avbrott: bool) -> str | None:
    """Ja/Nej; pågående deltaganden har ibland redan fått "Nej"."""
    if orsak is None:
        return "Nej" if rng.random() < 0.3 else None
    return "Ja" if avbrott else "Nej"


def _ors(rng: np.random.Generator, varde: float):
    """ORS-poäng som tal, eller ibland som text med decimalkomma ("21,5")."""
    if rng.random() < 0.1:
        return f"{varde:.1f}".replace(".", ",")
    return float(varde)
