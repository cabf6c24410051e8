"""Påhittade egna uppföljningsfiler i de former förbund för dem, byggda i kod (openpyxl/csv).

Varje byggare skriver en fil och returnerar den med *facit*: en post per deltagande med det
som filen betyder (start, slut, kön, utfall …), skrivet för hand bredvid cellerna. Testerna
räknar förväntade antal ur facit, aldrig med koden som prövas.

Formerna (en per byggare):

- ``ar_per_blad``: instruktionsblad först, ett blad per år, titelrader och en tom rad ovanför
  rubriken, radbrytningar och avslutande blanksteg i rubrikerna ("Avslutsdatum\\n(åååå-mm-dd)",
  "Hemkommun "), Excel-datum, en summarad och formaterade tomma rader under tabellen.
- ``per_insats_grupprubrik``: ett blad per insats, en sammanfogad titel, grupprubriker
  ("Vid inskrivning", "Vid avslut") sammanfogade över underrubriker som upprepas
  ("Försörjning" två gånger), en rad med ifyllnadsanvisningar under rubriken, Kvinna/Man,
  datum som text.
- ``csv_semikolon_cp1252``: Excels "CSV (semikolonavgränsad)": cp1252, decimalkomma, förkortade
  rubriker ("Inskr.datum", "Utskr.datum"), k/m med gemener, datum som "5/3 2024" och ISO.
- ``csv_utf8_bom_koder``: UTF-8 med BOM, datum som 20240305, kön som 1/2 med förklaring i
  rubriken, födelseår.
- ``heltalsdatum_och_manad``: datum inskrivna som tal (20240305) och som bara år och månad
  ("2024-03"), ålder som "34 år".
- ``koder_med_forklaring``: avslutsorsak som sifferkoder med en förklaring på ett eget blad,
  summarader "Totalt" och "Antal kvinnor" under tabellen.
- ``aktiva_och_avslutade``: bladen "Pågående" och "Avslutade", rubriker med versaler, en
  insatskolumn med två insatser, ett statistikblad med en liten korstabell.
- ``ar_per_blad_med_kvarstaende``: ett blad per år där de som fortsätter in i nästa år står på
  båda bladen (samma löpnummer och startdatum).
- ``mellanrubriker``: mellanrubriker ("PÅGÅENDE", "AVSLUTADE") mitt i tabellen och rubriker
  sammanfogade lodrätt över två rader.
- ``kryss``: kön, försörjning och sysselsättning efter avslut som en kolumn per kategori med
  "x", under sammanfogade grupprubriker.
- ``pagar_och_status``: "Pågår" och "-" i slutdatumet, en statuskolumn, födelseår med två
  siffror, remittenter med ort, en makrobok (.xlsm).
- ``avslut_pa_eget_blad``: inskrivningar på ett blad, avslut (id, datum, orsak) på ett annat;
  några har skrivits in två gånger med samma id.
- ``personnummer``: en kolumn "Personnr" med giltiga (påhittade) personnummer.

Alla personer är påhittade; inga id liknar personnummer (utom i ``personnummer``, som ska
vägras).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.styles import Font, PatternFill

__all__ = ["BYGGARE", "Deltagande", "raknat"]


@dataclass(frozen=True)
class Deltagande:
    """Vad en rad i filen betyder (facit)."""

    id: str
    insats: str
    start: dt.date
    slut: dt.date | None
    kon: str  # Kvinna, Man
    fodelsear: int
    kommun: str
    remittent: str  # AF, FK, Kommun, Region, Annan
    forsorjning: str  # kod i FORSORJNING
    utfall: str | None  # kod i UTFALL (None när pågående)
    avbrott: bool


_KOMMUNER = ("Norrköping", "Söderköping", "Valdemarsvik")
_REM = ("AF", "FK", "Kommun", "Region")
_FORS = ("Aktivitetsstöd", "Sjukpenning", "Ekonomiskt bistånd", "Ingen offentlig försörjning")
_UTF = (
    ("Arbete", False),
    ("Studier", False),
    ("Fortsatt arbetslivsinriktad rehabilitering", False),
    ("Aktivt arbetssökande", False),
    ("Ohälsa", True),
    ("Flytt", True),
)


def _deltaganden(
    seed: int, n: int, insatser: tuple[str, ...], forsta: dt.date, sista: dt.date,
    *, idprefix: str = "", uttag: dt.date | None = None,
) -> list[Deltagande]:  # fmt: skip
    """n påhittade deltaganden med start mellan forsta och sista."""
    r = random.Random(seed)
    uttag = uttag or sista
    ut = []
    dagar = (sista - forsta).days
    for i in range(n):
        start = forsta + dt.timedelta(days=r.randrange(dagar))
        slut = start + dt.timedelta(days=r.randrange(40, 400))
        if slut > uttag or r.random() < 0.15:
            slut = None
        utfall, avbrott = r.choice(_UTF) if slut else (None, False)
        ut.append(
            Deltagande(
                id=f"{idprefix}{i + 1}",
                insats=insatser[i % len(insatser)],
                start=start,
                slut=slut,
                kon=r.choice(("Kvinna", "Kvinna", "Man")),
                fodelsear=r.randrange(1965, 2005),
                kommun=r.choice(_KOMMUNER),
                remittent=r.choice(_REM),
                forsorjning=r.choice(_FORS),
                utfall=utfall,
                avbrott=avbrott,
            )
        )
    return sorted(ut, key=lambda d: (d.start, d.id))


def raknat(facit: list[Deltagande], ar: int, insats: str | None = None) -> dict[str, int]:
    """Antalen för ett helår, räknade ur facit (deltagit, nya, avslut, fullföljda, kön)."""
    fran, till = dt.date(ar, 1, 1), dt.date(ar, 12, 31)
    d = [
        p for p in facit
        if p.start <= till and (p.slut is None or p.slut >= fran)
        and (insats is None or p.insats == insats)
    ]  # fmt: skip
    avslut = [p for p in d if p.slut is not None and p.slut <= till]
    return {
        "deltagit": len(d),
        "nya": sum(p.start >= fran for p in d),
        "avslut": len(avslut),
        "fullfoljda": sum(not p.avbrott for p in avslut),
        "avbrutna": sum(p.avbrott for p in avslut),
        "kvinnor": sum(p.kon == "Kvinna" for p in d),
        "man": sum(p.kon == "Man" for p in d),
    }


def _spara(bok: openpyxl.Workbook, fil: Path) -> Path:
    bok.save(fil)
    return fil


def _ny_bok() -> openpyxl.Workbook:
    bok = openpyxl.Workbook()
    bok.remove(bok.active)
    return bok


# ---------------------------------------------------------------------------
# Förbundens etiketter (hur facit skrivs i filerna)
# ---------------------------------------------------------------------------

_REM_ORD = {
    "AF": "Arbetsförmedlingen", "FK": "Försäkringskassan", "Kommun": "Socialtjänsten",
    "Region": "Vårdcentral", "Annan": "Egen anmälan",
}  # fmt: skip
_FORS_ORD = {
    "Aktivitetsstöd": "Aktivitetsstöd", "Sjukpenning": "Sjukpenning",
    "Ekonomiskt bistånd": "Försörjningsstöd", "Ingen offentlig försörjning": "Ingen ersättning",
}  # fmt: skip
_UTF_ORD = {
    "Arbete": "Arbete", "Studier": "Studier",
    "Fortsatt arbetslivsinriktad rehabilitering": "Annan insats",
    "Aktivt arbetssökande": "Arbetssökande", "Ohälsa": "Avbrott - sjukdom",
    "Flytt": "Avbrott - flytt",
}  # fmt: skip


# ---------------------------------------------------------------------------
# Byggarna
# ---------------------------------------------------------------------------


def ar_per_blad(katalog: Path) -> tuple[Path, list[Deltagande]]:
    """Instruktionsblad, ett blad per startår, titelrader, radbrytningar i rubriker, summarad."""
    facit = _deltaganden(
        1, 60, ("Jobbspåret",), dt.date(2023, 1, 9), dt.date(2024, 11, 29),
        uttag=dt.date(2024, 12, 31),
    )  # fmt: skip
    bok = _ny_bok()
    instr = bok.create_sheet("Instruktioner")
    for t in (
        "Så fyller du i uppföljningen",
        "En rad per deltagare. Datum skrivs åååå-mm-dd.",
        "Kön: K eller M. Orsak: välj i listan.",
    ):
        instr.append([t])
    rubriker = [
        "Löpnr", "Datum för inskrivning", "Avslutsdatum\n(åååå-mm-dd)", "Kön (K/M)",
        "Födelseår", "Hemkommun ", "Remitterande myndighet", "Försörjning vid start",
        "Orsak till avslut", "Kommentar",
    ]  # fmt: skip
    for ar in (2023, 2024):
        ark = bok.create_sheet(str(ar))
        ark.append(["Samordningsförbundet Östra Kustbygden"])
        ark.append([f"Deltagaruppföljning Jobbspåret {ar}"])
        ark.append([])
        ark.append(rubriker)
        for c in ark[4]:
            c.font = Font(bold=True)
        rader = [p for p in facit if p.start.year == ar]
        for p in rader:
            ark.append([
                int(p.id), p.start, p.slut, "K" if p.kon == "Kvinna" else "M", p.fodelsear,
                p.kommun, _REM_ORD[p.remittent], _FORS_ORD[p.forsorjning],
                _UTF_ORD[p.utfall] if p.utfall else None,
                "Bra kontakt" if int(p.id) % 7 == 0 else None,
            ])  # fmt: skip
        ark.append(["Summa", len(rader)])
        for i in range(ark.max_row + 1, ark.max_row + 30):  # formaterade tomma rader
            ark.cell(i, 2).fill = PatternFill("solid", fgColor="FFFFCC")
            ark.cell(i, 2).number_format = "yyyy-mm-dd"
    return _spara(bok, katalog / "kustbygden_jobbsparet.xlsx"), facit


def per_insats_grupprubrik(katalog: Path) -> tuple[Path, list[Deltagande]]:
    """Ett blad per insats, grupprubriker över upprepade underrubriker, anvisningsrad."""
    facit = _deltaganden(
        2, 70, ("Unga vuxna", "Arbetslivsteamet"), dt.date(2022, 2, 1), dt.date(2024, 10, 31),
        uttag=dt.date(2024, 12, 31),
    )  # fmt: skip
    bok = _ny_bok()
    for insats in ("Unga vuxna", "Arbetslivsteamet"):
        ark = bok.create_sheet(insats)
        ark.append([f"Samordningsförbundet Sydkusten – {insats} 2022–2024"])
        ark.merge_cells("A1:J1")
        ark.append([])
        ark.append(["Deltagare", None, None, "Vid inskrivning", None, None, None,
                    "Vid avslut", None, None])  # fmt: skip
        ark.merge_cells("A3:C3")
        ark.merge_cells("D3:G3")
        ark.merge_cells("H3:J3")
        ark.append(["Nr", "Kön", "Ålder", "Datum", "Kommun", "Försörjning", "Remitterad från",
                    "Datum", "Orsak", "Försörjning"])  # fmt: skip
        ark.append([None, "Kvinna/Man", "år", "åååå-mm-dd", None, "välj i listan",
                    "välj i listan", "åååå-mm-dd", "välj i listan", "välj i listan"])  # fmt: skip
        for p in (p for p in facit if p.insats == insats):
            fors_ut = None
            if p.slut:
                fors_ut = "Lön" if p.utfall == "Arbete" else _FORS_ORD[p.forsorjning]
            ark.append([
                p.id, p.kon, p.start.year - p.fodelsear, p.start.isoformat(), p.kommun,
                _FORS_ORD[p.forsorjning], _REM_ORD[p.remittent],
                p.slut.isoformat() if p.slut else None,
                _UTF_ORD[p.utfall] if p.utfall else None, fors_ut,
            ])  # fmt: skip
    return _spara(bok, katalog / "sydkusten.xlsx"), facit


def csv_semikolon_cp1252(katalog: Path) -> tuple[Path, list[Deltagande]]:
    """Excels semikolonavgränsade CSV i cp1252 med decimalkomma och förkortade rubriker."""
    facit = _deltaganden(
        3, 50, ("Vägen vidare",), dt.date(2023, 3, 1), dt.date(2024, 12, 1),
        uttag=dt.date(2024, 12, 31),
    )  # fmt: skip
    r = random.Random(3)
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(["Id", "Inskr.datum", "Utskr.datum", "Kön", "Ålder vid inskrivning", "Kommun",
                "Remittent", "Försörjning vid start", "Sysselsättning efter avslut",
                "ORS start", "ORS slut"])  # fmt: skip
    for i, p in enumerate(facit):

        def datum(d: dt.date | None, i: int = i) -> str:
            if d is None:
                return ""
            return f"{d.day}/{d.month} {d.year}" if i % 2 else d.isoformat()

        ors_in = f"{r.randrange(50, 300) / 10:.1f}".replace(".", ",")
        ors_ut = f"{r.randrange(80, 390) / 10:.1f}".replace(".", ",") if p.slut else ""
        w.writerow([
            f"VV-{p.id}", datum(p.start), datum(p.slut), "k" if p.kon == "Kvinna" else "m",
            p.start.year - p.fodelsear, p.kommun, p.remittent, _FORS_ORD[p.forsorjning],
            _UTF_ORD[p.utfall] if p.utfall else "", ors_in, ors_ut,
        ])  # fmt: skip
    fil = katalog / "vagen_vidare_export.csv"
    fil.write_bytes(buf.getvalue().encode("cp1252"))
    return fil, facit


def csv_utf8_bom_koder(katalog: Path) -> tuple[Path, list[Deltagande]]:
    """UTF-8 med BOM, datum som 20240305, kön som 1/2 (förklarat i rubriken), födelseår."""
    facit = _deltaganden(
        4, 45, ("Steg för steg",), dt.date(2023, 1, 16), dt.date(2024, 11, 15),
        uttag=dt.date(2024, 12, 31),
    )  # fmt: skip
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\n")
    w.writerow(["Deltagarnummer", "Startdatum", "Slutdatum", "Kön (1=man, 2=kvinna)",
                "Födelseår", "Folkbokföringskommun", "Remitterad av",
                "Försörjning vid inskrivning", "Avslutsorsak"])  # fmt: skip
    for p in facit:
        w.writerow([
            p.id, p.start.strftime("%Y%m%d"), p.slut.strftime("%Y%m%d") if p.slut else "",
            "2" if p.kon == "Kvinna" else "1", p.fodelsear, p.kommun, _REM_ORD[p.remittent],
            _FORS_ORD[p.forsorjning], _UTF_ORD[p.utfall] if p.utfall else "",
        ])  # fmt: skip
    fil = katalog / "steg_for_steg.csv"
    fil.write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))
    return fil, facit


def heltalsdatum_och_manad(katalog: Path) -> tuple[Path, list[Deltagande]]:
    """Datum som tal (20240305) på ett blad och bara år-månad ("2024-03") i slutdatum."""
    facit = _deltaganden(
        5, 40, ("Basen",), dt.date(2023, 2, 1), dt.date(2024, 10, 1),
        uttag=dt.date(2024, 12, 31),
    )  # fmt: skip

    # bara år och månad är känt för slutet: facit får månadens sista dag (så räknas det)
    def sista(d: dt.date) -> dt.date:
        return (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)

    facit = [Deltagande(**{**p.__dict__, "slut": sista(p.slut) if p.slut else None}) for p in facit]
    bok = _ny_bok()
    ark = bok.create_sheet("Basen")
    ark.append(["Id", "Startdatum", "Slutmånad", "Kön", "Ålder", "Kommun", "Avslutsorsak"])
    for p in facit:
        ark.append([
            f"B{int(p.id):03d}", int(p.start.strftime("%Y%m%d")),
            p.slut.strftime("%Y-%m") if p.slut else None, "Kvinna" if p.kon == "Kvinna" else "Man",
            f"{p.start.year - p.fodelsear} år", p.kommun, _UTF_ORD[p.utfall] if p.utfall else None,
        ])  # fmt: skip
    return _spara(bok, katalog / "basen.xlsx"), facit


_UTF_KOD = {
    "Arbete": 1, "Studier": 2, "Fortsatt arbetslivsinriktad rehabilitering": 3,
    "Aktivt arbetssökande": 4, "Ohälsa": 5, "Flytt": 6,
}  # fmt: skip


def koder_med_forklaring(katalog: Path) -> tuple[Path, list[Deltagande]]:
    """Avslutsorsak som sifferkoder (förklaring på bladet "Koder"), summarader under tabellen."""
    facit = _deltaganden(
        6, 55, ("Lotsen",), dt.date(2023, 1, 10), dt.date(2024, 11, 20),
        uttag=dt.date(2024, 12, 31),
    )  # fmt: skip
    bok = _ny_bok()
    ark = bok.create_sheet("Deltagare")
    ark.append(["Lotsen – deltagarförteckning"])
    ark.append(["Id", "Start", "Avslut", "Kön", "Födelseår", "Remittent", "Avslutsorsak (kod)"])
    for p in facit:
        ark.append([
            f"L-{p.id}", p.start, p.slut, p.kon[0], p.fodelsear,
            {"AF": "AF", "FK": "FK", "Kommun": "SOC", "Region": "REG"}[p.remittent],
            _UTF_KOD[p.utfall] if p.utfall else None,
        ])  # fmt: skip
    ark.append([])
    ark.append(["Totalt", len(facit)])
    ark.append(["Antal kvinnor", sum(p.kon == "Kvinna" for p in facit)])
    koder = bok.create_sheet("Koder")
    koder.append(["Kod", "Avslutsorsak"])
    for namn, kod in (("Arbete", 1), ("Studier", 2), ("Annan insats", 3), ("Arbetssökande", 4),
                      ("Avbrott sjukdom", 5), ("Avbrott flytt", 6)):  # fmt: skip
        koder.append([kod, namn])
    return _spara(bok, katalog / "lotsen_koder.xlsx"), facit


def aktiva_och_avslutade(katalog: Path) -> tuple[Path, list[Deltagande]]:
    """Bladen Pågående och Avslutade, rubriker med versaler, insatskolumn, statistikblad."""
    facit = _deltaganden(
        7, 64, ("Resursteamet", "Navigatorn"), dt.date(2023, 1, 5), dt.date(2024, 12, 10),
        uttag=dt.date(2024, 12, 31),
    )  # fmt: skip
    bok = _ny_bok()
    stat = bok.create_sheet("Statistik")
    stat.append(["Sammanställning"])
    stat.append(["Kön", "Antal", "Andel"])
    kv = sum(p.kon == "Kvinna" for p in facit)
    stat.append(["Kvinnor", kv, kv / len(facit)])
    stat.append(["Män", len(facit) - kv, 1 - kv / len(facit)])
    rubriker = ["INSATS", "ID", "STARTDATUM", "SLUTDATUM", "KÖN", "FÖDELSEÅR", "BOSTADSORT",
                "REMISS FRÅN", "ERSÄTTNING VID START", "AVSLUTSANLEDNING"]  # fmt: skip
    for namn, urval in (("Pågående", [p for p in facit if p.slut is None]),
                        ("Avslutade", [p for p in facit if p.slut is not None])):  # fmt: skip
        ark = bok.create_sheet(namn)
        ark.append(rubriker)
        for p in urval:
            ark.append([
                p.insats, f"{p.insats[:3].upper()}{p.id}", p.start, p.slut,
                "KVINNA" if p.kon == "Kvinna" else "MAN", p.fodelsear, p.kommun,
                _REM_ORD[p.remittent], _FORS_ORD[p.forsorjning],
                _UTF_ORD[p.utfall] if p.utfall else None,
            ])  # fmt: skip
    return _spara(bok, katalog / "resurs_och_navigator.xlsx"), facit


def ar_per_blad_med_kvarstaende(katalog: Path) -> tuple[Path, list[Deltagande]]:
    """Ett blad per år med alla som deltagit det året: de som fortsätter står på båda bladen."""
    facit = _deltaganden(
        8, 50, ("Kompassen",), dt.date(2023, 1, 9), dt.date(2024, 11, 29),
        uttag=dt.date(2024, 12, 31),
    )  # fmt: skip
    bok = _ny_bok()
    for ar in (2023, 2024):
        ark = bok.create_sheet(f"Deltagare {ar}")
        ark.append(["Löpnr", "Startdatum", "Slutdatum", "Kön", "Födelseår", "Avslutsorsak"])
        fran, till = dt.date(ar, 1, 1), dt.date(ar, 12, 31)
        for p in facit:
            if p.start <= till and (p.slut is None or p.slut >= fran):
                slut = p.slut if p.slut and p.slut <= till else None
                ark.append([
                    f"K{p.id}", p.start, slut, p.kon[0], p.fodelsear,
                    _UTF_ORD[p.utfall] if slut and p.utfall else None,
                ])  # fmt: skip
    return _spara(bok, katalog / "kompassen.xlsx"), facit


def mellanrubriker(katalog: Path) -> tuple[Path, list[Deltagande]]:
    """Ett blad med mellanrubriker ("PÅGÅENDE", "AVSLUTADE") i tabellen och rubriker
    sammanfogade lodrätt över två rader bredvid grupprubriker ("Vid start" över "Datum")."""
    facit = _deltaganden(
        9, 36, ("Trappan",), dt.date(2023, 2, 1), dt.date(2024, 11, 30),
        uttag=dt.date(2024, 12, 31),
    )  # fmt: skip
    bok = _ny_bok()
    ark = bok.create_sheet("Trappan")
    ark.append(["Id", "Kön", "Vid start", None, "Vid avslut", None])
    ark.append([None, None, "Datum", "Försörjning", "Datum", "Orsak"])
    for omrade in ("A1:A2", "B1:B2", "C1:D1", "E1:F1"):
        ark.merge_cells(omrade)
    for rubrik, urval in (
        ("PÅGÅENDE", [p for p in facit if p.slut is None]),
        ("AVSLUTADE", [p for p in facit if p.slut is not None]),
    ):
        ark.append([rubrik])
        for p in urval:
            ark.append([
                f"T{p.id}", p.kon[0], p.start, _FORS_ORD[p.forsorjning], p.slut,
                _UTF_ORD[p.utfall] if p.utfall else None,
            ])  # fmt: skip
    return _spara(bok, katalog / "trappan.xlsx"), facit


def kryss(katalog: Path) -> tuple[Path, list[Deltagande]]:
    """Kön, försörjning och sysselsättning efter avslut som en kolumn per kategori med "x"
    under sammanfogade grupprubriker; en kategori som ingen har (A-kassa) är en tom kolumn."""
    facit = _deltaganden(
        10, 48, ("Vägvisaren",), dt.date(2023, 1, 16), dt.date(2024, 11, 30),
        uttag=dt.date(2024, 12, 31),
    )  # fmt: skip
    bok = _ny_bok()
    ark = bok.create_sheet("Deltagare")
    ark.append(["Vägvisaren – uppföljning 2023–2024"])
    ark.append([])
    fors = ["Aktivitetsstöd", "A-kassa", "Sjukpenning", "Ek. bistånd", "Ingen ersättning"]
    fors_kod = {"Aktivitetsstöd": "Aktivitetsstöd", "Sjukpenning": "Sjukpenning",
                "Ekonomiskt bistånd": "Ek. bistånd",
                "Ingen offentlig försörjning": "Ingen ersättning"}  # fmt: skip
    utf = ["Arbete", "Studier", "Annan insats", "Arbetssökande", "Avbrott sjukdom",
           "Avbrott flytt"]  # fmt: skip
    utf_kod = {**_UTF_ORD, "Ohälsa": "Avbrott sjukdom", "Flytt": "Avbrott flytt"}
    ark.append(
        [
            "Löpnr",
            "Startdatum",
            "Slutdatum",
            "Kön",
            None,
            "Försörjning vid inskrivning",
            *[None] * 4,
            "Sysselsättning efter avslut",
            *[None] * 5,
            "Kommentar",
        ]
    )
    ark.append([None, None, None, "Kvinna", "Man", *fors, *utf, None])
    for omrade in ("A3:A4", "B3:B4", "C3:C4", "D3:E3", "F3:J3", "K3:P3", "Q3:Q4"):
        ark.merge_cells(omrade)
    for p in facit:
        ark.append([
            int(p.id), f"{p.start.day}/{p.start.month} {p.start.year}",
            f"{p.slut.day}/{p.slut.month} {p.slut.year}" if p.slut else None,
            "x" if p.kon == "Kvinna" else None, "x" if p.kon == "Man" else None,
            *["x" if fors_kod[p.forsorjning] == f else None for f in fors],
            *["x" if p.utfall and utf_kod[p.utfall] == u else None for u in utf],
            "Avslutad i förtid" if p.avbrott else None,
        ])  # fmt: skip
    return _spara(bok, katalog / "vagvisaren.xlsx"), facit


def pagar_och_status(katalog: Path) -> tuple[Path, list[Deltagande]]:
    """ "Pågår" och "-" i slutdatumet, en statuskolumn (Aktiv/Avslutad), födelseår med två
    siffror, remittenter med ort ("Soc Norrköping", "AF Valdemarsvik"), en .xlsm-bok."""
    facit = _deltaganden(
        11, 40, ("Startpunkten",), dt.date(2023, 3, 1), dt.date(2024, 11, 30),
        uttag=dt.date(2024, 12, 31),
    )  # fmt: skip
    rem = {"AF": "AF", "FK": "FK", "Kommun": "Soc", "Region": "Psykiatrin"}
    bok = _ny_bok()
    ark = bok.create_sheet("Blad1")
    ark.append(["Löpnr", "Startdatum", "Slutdatum", "Kön", "Född", "Status", "Remittent",
                "Avslutsorsak"])  # fmt: skip
    for i, p in enumerate(facit):
        slut = p.slut or ("Pågår", "-", "pågående")[i % 3]
        ark.append([
            i + 1, p.start, slut, p.kon, f"{p.fodelsear % 100:02d}",
            "Avslutad" if p.slut else "Aktiv", f"{rem[p.remittent]} {p.kommun}",
            _UTF_ORD[p.utfall] if p.utfall else None,
        ])  # fmt: skip
    return _spara(bok, katalog / "startpunkten.xlsm"), facit


def avslut_pa_eget_blad(katalog: Path) -> tuple[Path, list[Deltagande]]:
    """Inskrivningar på ett blad och avslut (id, datum, orsak, försörjning) på ett annat, i
    en annan ordning; några deltagare har skrivits in två gånger (samma id, nytt startdatum)."""
    facit = _deltaganden(
        12, 44, ("Jobbcenter Plus",), dt.date(2023, 1, 10), dt.date(2024, 6, 30),
        uttag=dt.date(2024, 12, 31),
    )  # fmt: skip
    # var femte deltagare kommer tillbaka med samma id efter sitt avslut
    aterkomst = [
        Deltagande(**{**p.__dict__, "start": p.slut + dt.timedelta(days=30), "slut": None,
                      "utfall": None, "avbrott": False})
        for p in facit[::5] if p.slut is not None and p.slut < dt.date(2024, 11, 1)
    ]  # fmt: skip
    facit = facit + aterkomst
    bok = _ny_bok()
    ark = bok.create_sheet("Inskrivna")
    ark.append(["Deltagar-ID", "Inskrivningsdatum", "Kön", "Födelseår", "Remittent"])
    for p in sorted(facit, key=lambda p: p.start):
        ark.append([f"JP-{p.id}", p.start, p.kon[0], p.fodelsear, _REM_ORD[p.remittent]])
    ark = bok.create_sheet("Avslutade")
    ark.append(["Deltagar-ID", "Avslutsdatum", "Avslutsorsak"])
    for p in sorted((p for p in facit if p.slut), key=lambda p: (p.utfall or "", p.id)):
        ark.append([f"JP-{p.id}", p.slut, _UTF_ORD[p.utfall]])
    return _spara(bok, katalog / "jobbcenter_plus.xlsx"), facit


def personnummer(katalog: Path) -> tuple[Path, list[Deltagande]]:
    """En kolumn med (påhittade, giltiga) personnummer: ska vägras."""
    bok = _ny_bok()
    ark = bok.create_sheet("Deltagare")
    ark.append(["Personnr", "Start", "Slut", "Kön"])
    for pnr in ("19811218-9876", "19900101-0017", "19750505-1233"):
        ark.append([pnr, dt.date(2024, 2, 1), None, "K"])
    return _spara(bok, katalog / "med_personnummer.xlsx"), []


BYGGARE = {
    f.__name__: f
    for f in (
        ar_per_blad, per_insats_grupprubrik, csv_semikolon_cp1252, csv_utf8_bom_koder,
        heltalsdatum_och_manad, koder_med_forklaring, aktiva_och_avslutade,
        ar_per_blad_med_kvarstaende, mellanrubriker, kryss, pagar_och_status,
        avslut_pa_eget_blad, personnummer,
    )
}  # fmt: skip


if __name__ == "__main__":  # python tests/egna_filer.py KATALOG: skriv alla filerna
    import sys

    ut = Path(sys.argv[1])
    ut.mkdir(parents=True, exist_ok=True)
    for namn, bygg in BYGGARE.items():
        fil, facit = bygg(ut)
        print(namn, fil, len(facit))
