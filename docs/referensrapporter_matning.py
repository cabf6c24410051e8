"""Mätning: varje tryckt tal i de tre referensrapporterna mot den genererade rapport.html.

Hjälpskript till ``docs/referensrapporter_matning.md``. Kör efter ``FINSAM_PDF=0 make rapport``::

    .venv/bin/python docs/referensrapporter_matning.py            # tabellerna för dokumentet
    .venv/bin/python docs/referensrapporter_matning.py --poster   # varje post med status

Posterna (block och antal) är desamma som i den första mätningen (fea3575). Varje post har en
sökning i rapporten: en cell (tabellens titel, raden, kolumnen och det tryckta värdet) eller ett
textmönster. Hittas värdet är posten R (C om raden har ett korrekt värde från granskningen för
den kolumnen); statusar som inte går att avgöra automatiskt (R*, C, D, Mm, Mg, Mt, M) står för
hand med en förklaring, och skriptet varnar när handens status och sökningen inte går ihop.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

ROT = Path(__file__).resolve().parent.parent
RAPPORTER = {
    "000": ("SOT Västerås 2019", ROT / "outputs/vasteras/2019/rapport.html"),
    "001": ("Västerås delår jan–aug 2021", ROT / "outputs/vasteras/2021-01_2021-08/rapport.html"),
    "002": (
        "Samverkansteam Avesta 2015/16",
        ROT / "outputs/sodra_dalarna/2015-07_2016-06/rapport.html",
    ),
}
SEEDS = Path("/work/shared/seeds")  # referensrapporterna som text (--seeds)
SEED = SEEDS / "001_d65e3be0497a915b.txt"
STATUSAR = ("R", "R*", "C", "D", "Mm", "Mg", "Mt", "M")


def norm(text: str) -> str:
    """Mellanslag av alla slag blir ett vanligt, U+2212 blir bindestreck."""
    text = text.replace("\u2212", "-").replace("\u2013", "–")
    return re.sub(r"[\s\u00a0\u202f\u2009]+", " ", text).strip()


# ------------------------------------------------------------------------------ rapport.html


@dataclass
class Html:
    tabeller: list[tuple[str, list[str], list[list[str]]]]
    text: str


def las_html(sokvag: Path) -> Html:
    soup = BeautifulSoup(sokvag.read_text(encoding="utf-8"), "lxml")
    for t in soup(["script", "style", "svg", "head"]):
        t.decompose()
    tabeller = []
    for t in soup.find_all("table"):
        cap = t.find("caption")
        rubrik = [norm(th.get_text(" ")) for th in t.select("thead th")]
        rader = [
            [norm(td.get_text(" ")) for td in tr.find_all(["td", "th"])]
            for tr in t.select("tbody tr")
        ]
        tabeller.append((norm(cap.get_text(" ")) if cap else "", rubrik, rader))
    rader = []
    for el in soup.find_all(["p", "li", "h1", "h2", "h3", "h4", "tr", "figcaption"]):
        if el.name == "p" and el.find_parent("li"):
            continue
        if el.name == "tr":
            rader.append(" | ".join(norm(td.get_text(" ")) for td in el.find_all(["td", "th"])))
        else:
            rader.append(norm(el.get_text(" ")))
    return Html(tabeller, "\n".join(r for r in rader if r))


# ------------------------------------------------------------------------------------ poster


@dataclass
class Post:
    rapport: str
    block: str
    post: str
    sok: tuple  # ("cell", titel, rad, kolumn, värde) eller ("text", mönster) eller ()
    status: str | None = None  # handens status; None = sökningens
    not_: str = ""
    fast_text: bool = False  # värdet står bara i förbundets löptext (text/), inte ur data
    annars: str | None = None  # status när sökningen inte hittar värdet (med not_ som skäl)
    om_hittad: str = ""  # noten när värdet hittas (för poster med annars)


def tal(text: str) -> float | None:
    m = re.search(r"[-+]?\d{1,3}(?: \d{3})+(?:,\d+)?|[-+]?\d+(?:,\d+)?", text)
    return float(m.group(0).replace(" ", "").replace(",", ".")) if m else None


def sok_cell(html: Html, titel: str, rad: str, kolumn: str, varde: str) -> tuple[str, str]:
    """('R'|'C'|'', vad som hittades)."""
    traffar = []
    for cap, rubrik, rader in html.tabeller:
        if not re.fullmatch(titel, cap) or not rubrik:
            continue
        kol = [i for i, r in enumerate(rubrik) if re.fullmatch(kolumn, r)]
        if not kol:
            continue
        for r in rader:
            if not re.match(rad + r"(?=[ |]|$)", " | ".join(r)):
                continue
            cell = r[kol[0]] if kol[0] < len(r) else ""
            if varde.startswith("re:"):
                ok = re.search(varde[3:], cell) is not None
            else:
                ok = tal(cell) is not None and tal(cell) == tal(varde)
            korr = ""
            if "Korrekt värde enligt granskningen" in rubrik:
                korr = r[rubrik.index("Korrekt värde enligt granskningen")]
            traffar.append((ok, cell, korr, rubrik[kol[0]]))
    for ok, cell, korr, kolnamn in traffar:
        if ok:
            namn = kolnamn.split(",")[0]
            if korr and re.search(rf"(^|; ){re.escape(namn)}:", korr):
                return "C", f"{cell} [{korr}]"
            return "R", cell
    return "", "; ".join(f"visas {c!r}" for _, c, _, _ in traffar)


def bedom(post: Post, html: Html) -> tuple[str, str]:
    """Sökningens status och vad som hittades."""
    if not post.sok:
        return "", ""
    if post.sok[0] == "cell":
        return sok_cell(html, *post.sok[1:])
    m = re.search(post.sok[1], html.text)
    return ("R", m.group(0)[:80]) if m else ("", "")


# --------------------------------------------------------------------- posterna, rapport 000


def c(titel, rad, kolumn, varde):
    return ("cell", titel, rad, kolumn, str(varde))


def t(monster):
    return ("text", monster)


def poster_000() -> list[Post]:
    P = lambda *a, **k: Post("000", *a, **k)  # noqa: E731
    mal = r"Mål och resultat, 2019"
    sam = r"Sammanställning per insats"
    hal = r"Hälsoenkät, 2019"
    ans = r"Ansökningar per remittent och inriktning, 2019"
    upp = r"6 månader efter avslut, 2019"
    ovr = r"6 månader: övriga \(utom arbete och studier\), 2019"
    upptr = r"Uppföljning 6 månader efter avslutad insats"
    ut = [
        P("Rubrik och period", "Tidsplan 2019-01-01–2019-12-31", t(r"2019-01-01–2019-12-31")),
        P("Rubrik och period", "Resultat beräknat på jan–nov 2019", t(r"januari–november 2019")),
        P("Resultat (antal)", "127 deltagit", t(r"127 personer deltagit")),
        P(
            "Resultat (antal)",
            "55 avslutat",
            t(r"55 personer som avslutat"),
            not_="text ({{antal_avslut}}) och tabellen Resultat; Deltagarflödet har dessutom 80 avslut inkl. avbrutna",
        ),
        P("Resultat (antal)", "25 avbrutit", t(r"avbrutit insatsen [^.]* är 25")),
        P("Målområde 1: mål", "Mål arbete 25 %", c(mal, "Arbete efter avslut", "Mål", "25 %")),
        P("Målområde 1: mål", "Mål studier 20 %", c(mal, "Studier efter avslut", "Mål", "20 %")),
        P(
            "Målområde 1: mål",
            "Mål fortsatt rehab 55 %",
            c(mal, "Fortsatt arbetslivsinriktad rehabilitering", "Mål", "55 %"),
            status="R*",
            not_="tolkat som tak 'högst 55 %' och bedömt 'ej uppfyllt' (mal.csv, riktning hogst)",
        ),
        P(
            "Målområde 1: resultat",
            "Resultat 13 %",
            c(mal, "Arbete efter avslut", "Resultat", "13 %"),
        ),
        P(
            "Målområde 1: resultat",
            "Resultat 9 %",
            c(mal, "Studier efter avslut", "Resultat", "9 %"),
        ),
        P(
            "Målområde 1: resultat",
            "Resultat 78 %",
            c(mal, "Fortsatt arbetslivsinriktad rehabilitering", "Resultat", "78 %"),
        ),
    ]
    for utfall, rad, varden in (
        ("Arbete", "Arbete", (5, 0, 2)),
        ("Studier", "Studier", (2, 2, 1)),
        ("Fortsatt rehab", "Fortsatt arbetslivsinriktad rehabilitering", (19, 11, 13)),
    ):
        for insats, v in zip(("MAC", "Upplevelse", "Trädgård"), varden, strict=True):
            ut.append(
                P(
                    "Sammanställning per insats (tabell)",
                    f"{utfall} {insats} {v}",
                    c(sam, rad, insats, v),
                )
            )
    summor = (
        ("Arbete", "Arbete", 7, 13),
        ("Studier", "Studier", 5, 9),
        ("Fortsatt", "Fortsatt arbetslivsinriktad rehabilitering", 43, 78),
    )
    for utfall, rad, v, _ in summor:
        ut.append(
            P(
                "Sammanställning per insats (tabell)",
                f"{utfall} totalt {v}",
                c(sam, rad, "Totalt", f"re:^{v} "),
            )
        )
    for _, rad, _, a in summor:
        ut.append(
            P(
                "Sammanställning per insats (tabell)",
                f"{a} %",
                c(sam, rad, "Totalt", rf"re:\({a} %\)"),
            )
        )
    for insats, v in (("MAC", 26), ("Upplevelse", 13), ("Trädgård", 16), ("Totalt", 55)):
        ut.append(
            P(
                "Sammanställning per insats (tabell)",
                f"{insats} {v}",
                c(sam, "Totalt", insats, f"re:^{v}\\b"),
            )
        )
    for insats, a in (("MAC", 47), ("Upplevelse", 24), ("Trädgård", 29)):
        ut.append(
            P(
                "Sammanställning per insats (tabell)",
                f"{insats} {a} %",
                c(sam, "Totalt", insats, rf"re:\({a} %\)"),
            )
        )
    ut.append(
        P(
            "Fortsatt rehab, text",
            "5 av 43 till förstärkt samarbete (FS)",
            c(r"Målområde 1", "Antal till förstärkt samarbete", "Värde", 5),
            not_="tryckt uppgift (nyckeltal_publicerade) och i texten",
        )
    )
    for rad, period in (
        ("Hela 2019", "helår"),
        ("juni–november 2019", "juni–nov"),
        ("januari–maj 2019", "jan–maj"),
    ):
        ut.append(P("Målområde 2: hälsa", f"Mål 90 % {period}", c(hal, rad, "Mål", "90 %")))
    for rad, v in (("Hela 2019", 81), ("juni–november 2019", 83), ("januari–maj 2019", 79)):
        ut.append(
            P("Målområde 2: hälsa", f"Resultat {v} %", c(hal, rad, "Andel förbättrade", f"{v} %"))
        )
    for post, rad, kol, v in (
        ("11 förbättrade", "januari–maj 2019", "Antal förbättrade", 11),
        ("14 enkäter", "januari–maj 2019", "Antal enkäter", 14),
        ("188 p", "januari–maj 2019", "Summa poäng vid start", 188),
        ("227 p", "januari–maj 2019", "Summa poäng vid avslut", 227),
        ("+21 %", "januari–maj 2019", "Förändring", "+21 %"),
        ("234 p", "juni–november 2019", "Summa poäng vid start", 234),
        ("280 p", "juni–november 2019", "Summa poäng vid avslut", 280),
        ("+20 %", "juni–november 2019", "Förändring", "+20 %"),
        ("18 enkäter", "juni–november 2019", "Antal enkäter", 18),
        ("15 förbättrade", "juni–november 2019", "Antal förbättrade", 15),
        ("32 enkäter", "Hela 2019", "Antal enkäter", 32),
        ("26 förbättrade", "Hela 2019", "Antal förbättrade", 26),
    ):
        ut.append(P("Målområde 2: hälsa", post, c(hal, rad, kol, v)))
    ut += [
        P(
            "Målområde 2: hälsa",
            "'hälsan har ökat under året med 4%'",
            t(r"ökat under året med 4%, 5 \(tryckt 4"),
            status="C",
            not_="granskningen under tabellen: 5 (4,8 procentenheter), och procentenheter, inte procent",
        ),
        P(
            "Målområde 3: ekonomi",
            "Målet budget i balans",
            t(r"Mål: Ekonomi i balans i förhållande till periodiserad budget"),
            not_="målet i ord under Målområde 3 (rapport.yaml) och den tryckta tabellen under Om underlaget",
        ),
        P(
            "Målområde 3: ekonomi",
            "8 054 364 kr ursprunglig finansiering",
            c(r"Målområde 3", "Budget ursprunglig", "Värde", "8 054 364"),
        ),
        P(
            "Målområde 3: ekonomi",
            "7 077 454 kr reviderad",
            c(r"Målområde 3", "Budget reviderad", "Värde", "7 077 454"),
        ),
        P(
            "Målområde 3: ekonomi",
            "976 910 kr revidering",
            c(r"Målområde 3", "Budget revidering", "Värde", "976 910"),
        ),
        P(
            "Målområde 3: ekonomi",
            "200 tkr outnyttjat projektstöd",
            c(r"Målområde 3", "Outnyttjat projektstöd", "Värde", 200),
        ),
        P("Målområde 4: samhällsnytta", "Mål 34 månader", c(mal, "Återbetalningstid", "Mål", 34)),
        P(
            "Målområde 4: samhällsnytta",
            "Resultat 94 månader",
            c(mal, "Återbetalningstid", "Resultat", 94),
        ),
        P("Ansökningar", "65 påbörjat", t(r"65 personer påbörjat")),
    ]
    rem = {
        "AF": "Arbetsförmedlingen",
        "FK": "Försäkringskassan",
        "Soc": r"Kommunen \(socialtjänsten\)",
    }
    for post, rad, kol, v in (
        ("AF 26", "AF", "Totalt", 26),
        ("FK 11", "FK", "Totalt", 11),
        ("Socialkontor 28", "Soc", "Totalt", 28),
        ("AF→MAC 16", "AF", "MAC", 16),
        ("Soc→MAC 14", "Soc", "MAC", 14),
        ("Soc→Upplevelse 0", "Soc", "Upplevelse", 0),
        ("Soc→Trädgård 7", "Soc", "Trädgård", 7),
        ("Trädgård 17", "Totalt", "Trädgård", 17),
        ("Upplevelse 5", "Totalt", "Upplevelse", 5),
        ("Grön rehab 8", "Totalt", "Grön rehab", 8),
        ("AF→Upplevelse 3", "AF", "Upplevelse", 3),
        ("AF→Trädgård 7", "AF", "Trädgård", 7),
        ("FK→Upplevelse 2", "FK", "Upplevelse", 2),
        ("FK→Trädgård 3", "FK", "Trädgård", 3),
        ("FK→MAC 3", "FK", "MAC", 3),
        ("FK→Grön rehab 2", "FK", "Grön rehab", 2),
        ("FK→Individuell start 1", "FK", "Individuell start", 1),
        ("Soc→Grön rehab 6", "Soc", "Grön rehab", 6),
        ("Soc→Individuell start 1", "Soc", "Individuell start", 1),
        ("MAC 33", "Totalt", "MAC", 33),
        ("Individuell start 2", "Totalt", "Individuell start", 2),
    ):
        ut.append(P("Ansökningar", post, c(ans, rem.get(rad, rad), kol, v)))
    avb = r"Avbrott per remittent, 2019"
    ut += [
        P("Avbrott", "AF 15", c(avb, "Arbetsförmedlingen", "Antal", 15)),
        P("Avbrott", "FK 2", c(avb, "Försäkringskassan", "Antal", 2)),
        P("Avbrott", "Socialkontor 8", c(avb, r"Kommunen \(socialtjänsten\)", "Antal", 8)),
        P(
            "Avbrott",
            "Övrigt-kategorin 6",
            c(r"Andel som avbrutit och skäl", "Antal avbrutna övrigt", "Värde", 6),
        ),
        P(
            "Avbrott",
            "7 avbrott av hälsoskäl",
            c(r"Resultatanalys", "Antal avbrutna hälsoskäl", "Värde", 7),
        ),
        P(
            "Avbrott",
            "'målet att minska andelen avbrott uppnåtts'",
            t(r"målet att minska andelen avbrott uppnåtts"),
            fast_text=True,
            not_="förbundets text (Resultatanalys); avsnittet Avbrott räknar ingen andel avbrott",
        ),
        P("Uppföljning 6 månader", "23 följda", c(upp, "Totalt", "Antal", 23)),
        P("Uppföljning 6 månader", "5 arbete", c(upp, "Arbete", "Antal", 5)),
        P("Uppföljning 6 månader", "22 %", c(upp, "Arbete", "Andel av nådda", "22 %")),
        P("Uppföljning 6 månader", "1 studier", c(upp, "Studier", "Antal", 1)),
        P("Uppföljning 6 månader", "4 %", c(upp, "Studier", "Andel av nådda", "4 %")),
        P("Uppföljning 6 månader", "17 resterande", c(ovr, "Totalt", "Antal", 17)),
        P(
            "Uppföljning 6 månader",
            "10 aktivt arbetssökande",
            c(ovr, "Aktivt arbetssökande", "Antal", 10),
        ),
        P("Uppföljning 6 månader", "59 %", c(ovr, "Aktivt arbetssökande", "Andel", "59 %")),
        P(
            "Uppföljning 6 månader",
            "7 ej aktivt arbetssökande",
            c(ovr, "Ej aktivt arbetssökande", "Antal", 7),
        ),
        P("Uppföljning 6 månader", "41 %", c(ovr, "Ej aktivt arbetssökande", "Andel", "41 %")),
    ]
    for post, rad, v in (
        ("1 arbetsmarknadsutbildning", "varav Arbetsmarknadsutbildning", 1),
        ("1 sjukpenning", "varav Sjukpenning", 1),
        ("1 föräldrapenning", "varav Föräldrapenning", 1),
        ("1 aktivitetsersättning", "varav Aktivitetsersättning", 1),
        ("1 utan offentlig försörjning", "varav Ingen offentlig försörjning", 1),
        ("3 försörjningsstöd", "varav Ekonomiskt bistånd", 3),
    ):
        ut.append(
            P(
                "Uppföljning 6 månader",
                post,
                c(upptr, rad, "Värde", v),
                annars="Mt",
                not_="varav-rad i uppfoljning.csv; avsnittet Uppföljning hoppar över varav-rader",
            )
        )
    ut += [
        P(
            "Uppföljning 6 månader",
            "12-månadersuppföljning ej genomförd",
            t(r"12 månader efter avslutad insats har inte genomförts"),
            fast_text=True,
            annars="M",
            not_="stycket är inte med i text/2019",
        ),
        P(
            "Viktiga händelser (text)",
            "5 personer har slutat i teamet",
            t(r"fem personer slutat i teamet"),
            fast_text=True,
            not_="förbundets text, 'fem' i ord som tryckt",
        ),
        P(
            "Viktiga händelser (text)",
            "3 månaders prova-på-tid",
            t(r"prova-på-tid om tre månader"),
            fast_text=True,
            not_="förbundets text ('3 mån' skrivet 'tre månader')",
        ),
        P(
            "Resultatanalys: jämförelse 2018",
            "127 (2018)",
            c(r"Deltagarflöde, 2019", "Deltagit under perioden", "2018", 127),
        ),
        P(
            "Resultatanalys: jämförelse 2018",
            "52 avslutade (2018)",
            c(r"Deltagarflöde, 2019", "varav fullföljda", "2018", 52),
            not_="Deltagarflödet (varav fullföljda 2018) och texten ('55 2019 mot 52 2018', fast tal)",
        ),
        P(
            "Resultatanalys: jämförelse 2018",
            "22 (2018)",
            c(r"Deltagarflöde, 2019", "varav avbrutna", "2018", 22),
        ),
    ]
    return ut


# --------------------------------------------------------------------- posterna, rapport 001

_HAE_FORMER = (
    "Sjukpenning",
    "Sjuk- och aktivitetsersättning",
    "Arbetslöshet",
    "Arbetsmarknadsåtgärder",
    "Ekonomiskt bistånd",
    "Etableringsersättning",
)


def _seedrader(start: str, antal: int) -> list[list[str]]:
    rader = SEED.read_text(encoding="utf-8").splitlines()
    i = next(i for i, r in enumerate(rader) if r.startswith(start))
    return [r.split("\t") for r in rader[i : i + antal]]


def poster_001() -> list[Post]:
    P = lambda *a, **k: Post("001", *a, **k)  # noqa: E731
    sam = r"Sammanfattning"
    ut = [
        P(
            "Sammanfattning: ekonomi",
            "Budget 21 551 tkr",
            c(sam, "Budget förbundet", "Värde", "21 551"),
        ),
        P(
            "Sammanfattning: ekonomi",
            "Förbrukat 39 %",
            c(sam, "Utfall procent av budget", "Värde", 39),
        ),
        P(
            "Sammanfattning: ekonomi",
            "Utvecklingsmedel 3 041 tkr",
            c(sam, "Utvecklingsmedel borträknade", "Värde", "3 041"),
        ),
        P(
            "Sammanfattning: ekonomi",
            "46 % utan utvecklingsmedel",
            c(sam, "Utfall procent utan utvecklingsmedel", "Värde", 46),
        ),
    ]
    org = "Organisation och verksamhet (text)"
    for post, monster in (
        ("156 000 invånare", r"156 000"),
        ("Styrelsen 5 sammanträden", r"fem tillfällen|5 sammanträden"),
        ("Utvecklingsgruppen 4 möten", r"fyra möten"),
        ("Länspresidiet 3 tjänstemän à 40 %", r"tjänstemän på 40"),
        ("250 tkr per förbund", r"250 tkr per"),
        ("125 tkr Norra Västmanland", r"125 tkr"),
        ("9 SIP-koordinatorer", r"nio SIP"),
        ("ca 1,5 år", r"1,5 år"),
        ("8 coachande möten (SIM)", r"8 coachande"),
        ("JobbFokus förlängning 3,8 mkr", r"3,8 mkr"),
        ("Introduktions- och praktikfas 6 månader", r"totalt 6 månader"),
    ):
        ut.append(
            P(
                org,
                post,
                t(monster),
                status="M",
                not_="förbundets löptext (s. 3–13, 17), inte transkriberad",
            )
        )
    ut.append(
        P(
            org,
            "SIM från 660 tkr",
            t(r"från 660 tkr till 1670 tkr"),
            not_="bara i granskningens citat av påståendet om 1670 tkr (Avvikelser)",
        )
    )
    ut.append(
        P(
            org,
            "SIM till 1670 tkr",
            c(r"Avvikelser", r"Delårsrapport 2021, s\. 17", "Publicerat", "1 670"),
            status="C",
            not_="granskningen: tabellen har 1 617",
        )
    )
    hae = r"Helårsekvivalenter"
    for rad in _seedrader("Västerås\t2020", 7):
        region = "Västmanlands län" if rad[0].startswith("Västmanland") else rad[0]
        radnamn = f"{region} \\| {rad[1]}"
        for form, v in zip(_HAE_FORMER, rad[2:8], strict=True):
            ut.append(
                P(
                    "HÅE huvudtabell: per ersättningsform (7 rader × 6)",
                    f"{form} {region} {rad[1]} {v}",
                    c(hae, radnamn, form, v),
                )
            )
        for kol, v in zip(("Totalt", "Folkmängd 20–64 år", "Andel"), rad[8:11], strict=True):
            namn = kol.split(" ")[0]
            ut.append(
                P(
                    "HÅE huvudtabell: Totalt, folkmängd, andel (7 rader × 3)",
                    f"{namn} {region} {rad[1]} {v}",
                    c(hae, radnamn, kol, v),
                )
            )
    kommuner = r"Länets kommuner 2020"
    for rad in _seedrader("Skinnskatteberg", 10):
        if rad[0] == "Västerås":
            continue
        for kol, v in zip(
            (*_HAE_FORMER, "Totalt", "Folkmängd 20–64 år", "Andel"), rad[1:10], strict=True
        ):
            ut.append(
                P(
                    "Länets kommuner 2020 (9 kommuner utöver Västerås × 9)",
                    f"{rad[0]} {kol.split(' ')[0]} {v}",
                    c(kommuner, rad[0], kol, v),
                )
            )
    for rad in _seedrader("Sjukpenning\t95 746", 7):
        form = (
            "Arbetsmarknadsåtgärder"
            if rad[0].startswith("Arbetsmarknadspolitiska")
            else rad[0].split(" ¹")[0]
        )
        for ar, varden in (("2020", rad[1:4]), ("2019", rad[5:8])):
            for kol, v in zip(("Kvinnor", "Män", "Totalt"), varden, strict=True):
                ut.append(
                    P(
                        f"Riket efter kön {ar} (7 × 3)",
                        f"{form} {kol} {v}",
                        c(f"Riket efter kön {ar}", form, kol, v),
                    )
                )
    for ar, start in (("2020", "Sjukpenning\t63,8"), ("2019", "Sjukpenning\t64,3")):
        for rad in _seedrader(start, 7):
            form = (
                "Arbetsmarknadsåtgärder"
                if rad[0].startswith("Arbetsmarknadspolitiska")
                else rad[0].split(" ¹")[0]
            )
            for kol, v in zip(("Kvinnor", "Män"), rad[1:3], strict=True):
                ut.append(
                    P(
                        "Könsfördelning 2020 och 2019 (2 × 7 × 2)",
                        f"{ar} {form} {kol} {v}",
                        c(f"Könsfördelning inom respektive ersättningsform {ar}", form, kol, v),
                    )
                )
    ok = r"Förändring av helårsekvivalenterna 2019–2020"
    ht = "HÅE text (SCB)"
    ut += [
        P(
            ht,
            "nästan 60 % 1990–1994",
            t(r"1990"),
            status="M",
            not_="SCB:s långa tidsserie finns inte i underlaget",
        ),
        P(
            ht,
            "SA cirka 29 %",
            t(r"29 procent"),
            status="Mg",
            not_="påståendet prövas (stämmer: 28,6) men visas inte",
        ),
        P(
            ht,
            "SA −4,5 % 2020",
            t(r"4,5 procent"),
            status="Mg",
            not_="påståendet prövas mot könstabellen (stämmer) men visas inte; förändringstabellen visar Riket −5 % ur huvudtabellen (225 528)",
        ),
        P(ht, "SA −50,1 % sedan 2006", t(r"50,1"), status="M", not_="2006 finns inte i underlaget"),
        P(
            ht,
            "Arbetslöshet +55 %",
            c(ok, "Arbetslöshet", "Riket", "+55 %"),
            not_="förändringstabellen, Riket",
        ),
        P(
            ht,
            "Etablering −37 %",
            c(
                r"Avvikelser",
                r"Delårsrapport 2021, s\. 15 \(SCB-text\) \| Etableringsersättningen",
                "Publicerat",
                "-37",
            ),
            status="C",
            not_="granskningen: −38 (−37,8); förändringstabellen visar Riket −38 %",
        ),
        P(
            ht,
            "vilka former ökade/minskade 2020",
            c(ok, "Ekonomiskt bistånd", "Riket", "+3 %"),
            status="D",
            not_="förändringstabellen visar vilka som ökade och minskade, men Ekonomiskt bistånd i riket ökade (+3 %: 91 895 → 94 555) "
            "medan texten säger att det minskade; granskningen prövar inte påståenden om riktning",
        ),
    ]
    budget = r"Budget och utfall 2021"
    utblick = r"Utblick"
    grupp = None
    for rad in _seedrader("Insatser", 33):
        if len(rad) == 1 or not rad[1].strip():
            grupp = rad[0].strip()
            continue
        post = rad[0].strip()
        g, p = (grupp, post)
        if post == "Summa tkr":
            p = "Summa"
        if post == "TOTAL summa tkr":
            g, p = "TOTAL", "Summa"
        radnamn = f"{re.escape(g)} \\| {re.escape(p)}"
        for kol, namn, v in zip(
            ("Budget, tkr", "Utfall, tkr", "Utfall i procent av budget"),
            ("budget", "utfall", "%"),
            rad[1:4],
            strict=True,
        ):
            ut.append(
                P(
                    "Budget och utfall 2021 (29 rader × budget, utfall, %)",
                    f"{p} ({g}) {namn} {v}",
                    c(budget, radnamn, kol, v),
                )
            )
        for kol, v in zip(("Budget 2022, tkr", "Budget 2023, tkr"), rad[4:6], strict=True):
            extra = {}
            if v.strip() == "-":
                extra = {"status": "R*", "not_": "tryckt '-', visas som 0"}
            ut.append(
                P(
                    "Utblick 2022–2023 (29 rader × 2)",
                    f"{p} ({g}) {kol.split(',')[0]} {v}",
                    c(utblick, radnamn, kol, "0" if v.strip() == "-" else v),
                    **extra,
                )
            )
    ek = r"Eget kapital"
    ir = "Intäkter, resultat, kvarstående medel"
    avv = r"Avvikelser"
    ut += [
        P(ir, "Intäkter 13 310", c(ek, "2021", "Intäkter, tkr", "13 310")),
        P(ir, "Intäkter 10 996", c(ek, "2022", "Intäkter, tkr", "10 996")),
        P(ir, "Intäkter 10 887", c(ek, "2023", "Intäkter, tkr", "10 887")),
        P(
            ir,
            "Resultat 2021 −2 155",
            c(ek, "2021", "Resultat, tkr", "-2 155"),
            not_="eget kapital-tabellen (13 310 − 15 465); granskningen listar det som avvikelse mot tabellens TOTAL (−5 196) och förklarar",
        ),
        P(
            ir,
            "Resultat 2022 −2 521",
            c(
                avv,
                r"Ekonomi januari–augusti 2021, 2022 \(tkr\) \| Resultat",
                "Publicerat",
                "-2 521",
            ),
            status="C",
            not_="−4 521 i eget kapital-tabellen och granskningen",
        ),
        P(
            ir,
            "Resultat 2023 107",
            c(avv, r"Ekonomi januari–augusti 2021, 2023 \(tkr\) \| Resultat", "Publicerat", "107"),
            status="C",
            not_="−555 i eget kapital-tabellen och granskningen",
        ),
        P(ir, "Kvarstående 8 241", c(ek, "2021", "Ingående eget kapital, tkr", "8 241")),
        P(ir, "Kvarstående 6 086", c(ek, "2022", "Ingående eget kapital, tkr", "6 086")),
        P(ir, "Kvarstående 1 565", c(ek, "2023", "Ingående eget kapital, tkr", "1 565")),
        P(
            "Eget kapital-rullning (text)",
            "Beräknade kostnader 15 465",
            c(ek, "2021", "Kostnader, tkr", "15 465"),
        ),
        P(
            "Eget kapital-rullning (text)",
            "Disponibla 2022 17 082",
            c(ek, "2022", "Disponibla medel, tkr", "17 082"),
        ),
        P(
            "Eget kapital-rullning (text)",
            "Disponibla 2023 12 452",
            c(ek, "2023", "Disponibla medel, tkr", "12 452"),
        ),
        P(
            "Eget kapital-rullning (text)",
            "Eget kapital 2024 1 010",
            c(ek, "2023", "Utgående eget kapital, tkr", "1 010"),
        ),
    ]
    bil = r"Bilaga Insatsredovisning"
    malt = r"Mål och resultat, januari–augusti 2021"
    sot, jf, sim = (
        "Insatsredovisning SOT",
        "Insatsredovisning JobbFokus 2.0/SPIRA",
        "Insatsredovisning SIM",
    )
    rct = r"Utökad budget för förberedelse inför randomiserad kontrollerad studie – RCT"
    ut += [
        P(
            sot,
            "Tilldelade medel 22 612 634 kr",
            c(bil, r"Tilldelade medel \| Samordningsteam", "Värde", "22 612 634"),
        ),
        P(sot, "110 årsplatser", c(bil, r"Årsplatser", "Värde", 110)),
        P(sot, "Mål stegförflyttning 80 %", c(malt, r"Stegförflyttning", "Mål", "80 %")),
        P(
            sot,
            "Mål kvar 6 mån 80 %",
            c(malt, r"Kvar på samma nivå eller högre efter 6", "Mål", "80 %"),
        ),
        P(
            sot,
            "Mål kvar 18 mån 90 %",
            c(malt, r"Kvar på samma nivå eller högre efter 18", "Mål", "90 %"),
        ),
        P(
            sot,
            "Mål återbetalningstid max 40 mån",
            c(r"Övriga mål, januari–augusti 2021", "Återbetalningstid", "Mål", 40),
        ),
        P(sot, "93 arbetssökande", c(bil, r"Antal deltagare \| Samordningsteam", "Värde", 93)),
        P(
            sot,
            "samtliga har gjort stegförflyttning",
            t(r"samtliga deltagare har gjort stegförflyttning(?!ar, varav)"),
            status="M",
            not_="inte transkriberat som tal ('samtliga'); målet visas som 'kan inte bedömas: resultatet saknas'",
        ),
        P(
            sot,
            "69 % närmat sig arbetsmarknaden",
            c(bil, r"Andel närmat arbetsmarknaden", "Värde", 69),
        ),
        P(
            jf,
            "Tilldelade medel 13 260 207 kr",
            c(bil, r"Tilldelade medel \| JobbFokus", "Värde", "13 260 207"),
        ),
        P(
            jf,
            "Antal ca 60",
            c(bil, r"Antal platser \| JobbFokus", "Värde", 60),
            annars="M",
            not_="inte transkriberat",
        ),
        P(jf, "Mål 100 % rätt plats", c(malt, r"På rätt plats", "Mål", "100 %")),
        P(
            jf,
            "81 unika deltagare",
            c(bil, r"Antal deltagare \| JobbFokus", "Värde", 81),
            not_="tryckt uppgift med kommentaren 'kumulativt sedan projektstart'",
        ),
        P(jf, "51 avslutat", c(bil, r"Antal avslutade \| JobbFokus", "Värde", 51)),
        P(jf, "17 anställning", c(bil, r"Antal anställning", "Värde", 17)),
        P(jf, "53 praktik", c(bil, r"Antal praktik", "Värde", 53)),
        P(jf, "21 studier", c(bil, r"Antal studier", "Värde", 21)),
        P(
            sim,
            "Tilldelade medel 3 539 000",
            c(bil, r"Tilldelade medel \| SIM", "Värde", "3 539 000"),
        ),
        P(sim, "Doktorandtjänst 700 000", c(rct, r"1\. Doktorandtjänst", "KOSTNAD, kr", "700 000")),
        P(sim, "Digitalisering 850 000", c(rct, r"2\.Digitalisering", "KOSTNAD, kr", "850 000")),
        P(sim, "Stödstrukturer 300 000", c(rct, r"3\.Stödstrukturer", "KOSTNAD, kr", "300 000")),
        P(sim, "TOTAL 1 850 000", c(rct, r"TOTAL", "KOSTNAD, kr", "1 850 000")),
    ]
    return ut


# --------------------------------------------------------------------- posterna, rapport 002


def poster_002() -> list[Post]:
    P = lambda *a, **k: Post("002", *a, **k)  # noqa: E731
    kon = r"Kön, juli 2015–juni 2016"
    rem = r"Remittent, juli 2015–juni 2016"
    fors = r"Försörjning vid inskrivning \(vem som betalar\), juli 2015–juni 2016"
    dr = r"Deltagarresultat 150501-160701"
    bud = r"Budgetutfall per 2016-06-30 och helårsprognos 2016"
    sam = r"Sammanfattning"
    ut = [
        P("Period", "2015-07-01–2016-06-30", t(r"2015-07-01–2016-06-30")),
        P(
            "Period",
            "resultat 150513–160701",
            t(r"2015-05-13"),
            annars="Mt",
            not_="står i forbund.yaml:s beskrivning, som Om underlaget inte längre visar (bara källornas)",
        ),
        P("Deltagare", "57 inskrivna", c(kon, "Totalt", "Antal", 57)),
        P("Deltagare", "27 män", c(kon, "Män", "Antal", 27)),
        P("Deltagare", "30 kvinnor", c(kon, "Kvinnor", "Antal", 30)),
        P("Deltagare", "53 %", c(kon, "Kvinnor", "Andel", "53 %")),
        P("Deltagare", "47 %", c(kon, "Män", "Andel", "47 %")),
        P("Deltagare", "medelålder 34,8", c(sam, "Medelålder inskrivna", "Värde", "34,8")),
        P(
            "Deltagare",
            "26 år förra året",
            c(sam, "Medelålder inskrivna juli 2015", "Värde", 26),
            annars="M",
            not_="inte transkriberat",
        ),
        P(
            "Deltagare",
            "ålder 21 (sammanfattning)",
            c(sam, "Lägsta ålder", "Värde", 21),
            status="C",
            not_="olika värden: avsnitt 1 säger 20 (granskningen, under tabellen)",
        ),
        P(
            "Deltagare",
            "ålder 58 (sammanfattning)",
            c(sam, "Högsta ålder", "Värde", 58),
            status="C",
            not_="olika värden: avsnitt 1 säger 61 (granskningen, under tabellen)",
        ),
        P(
            "Deltagare",
            "ålder 20 (avsnitt 1)",
            t(r"20 på annat ställe"),
            not_="bara i granskningen",
        ),
        P(
            "Deltagare",
            "ålder 61 (avsnitt 1)",
            t(r"61 på annat ställe"),
            not_="bara i granskningen",
        ),
        P(
            "Deltagare",
            "medelålder 35 år (avsnitt 1)",
            t(r"avsnitt 1 säger 35 år"),
            not_="påståendet (35 mot 34,8) prövas och stämmer men visas inte",
            annars="Mg",
            om_hittad="bara i kommentaren till den tryckta medelåldern 34,8 ('avsnitt 1 säger 35 år')",
        ),
        P(
            "Deltagare",
            "3 utomnordisk bakgrund",
            c(r"1\. Deltagare", "Antal utomnordisk bakgrund", "Värde", 3),
        ),
        P(
            "Deltagare",
            "4 beviljade aktivitetsersättning",
            c(r"1\. Deltagare", "Antal till aktivitetsstöd", "Värde", 4),
            not_="tryckt som 'aktivitetsstöd' i avsnitt 1",
        ),
        P(
            "Deltagare",
            "2–3 till ansöker",
            t(r"2–3 personer"),
            status="M",
            not_="ett intervall i löptexten, inte transkriberat",
        ),
        P(
            "Handläggare och försörjningsgrund",
            "Försörjning socialtjänst 33",
            c(fors, r"Kommunen", "Antal", 33),
        ),
        P(
            "Handläggare och försörjningsgrund",
            "Försörjning FK 22",
            c(fors, r"Försäkringskassan", "Antal", 22),
        ),
        P(
            "Handläggare och försörjningsgrund",
            "Annan försörjning 2",
            c(fors, r"Annan", "Antal", 2),
        ),
        P(
            "Handläggare och försörjningsgrund",
            "Remittent soc 25",
            c(rem, r"Kommunen", "Antal", 25),
        ),
        P(
            "Handläggare och försörjningsgrund",
            "Remittent FK 21",
            c(rem, r"Försäkringskassan", "Antal", 21),
        ),
        P("Handläggare och försörjningsgrund", "44 %", c(rem, r"Kommunen", "Andel", "44 %")),
        P(
            "Handläggare och försörjningsgrund",
            "37 %",
            c(rem, r"Försäkringskassan", "Andel", "37 %"),
        ),
        P("Handläggare och försörjningsgrund", "Landstinget 8", c(rem, r"Regionen", "Antal", 8)),
        P("Handläggare och försörjningsgrund", "14 %", c(rem, r"Regionen", "Andel", "14 %")),
        P("Handläggare och försörjningsgrund", "AF 3", c(rem, r"Arbetsförmedlingen", "Antal", 3)),
        P(
            "Handläggare och försörjningsgrund",
            "5 %",
            c(rem, r"Arbetsförmedlingen", "Andel", "5 %"),
        ),
        P("Deltagarresultat (tabell)", "Avslut totalt 18", c(dr, r"Status: Avslutad", "Värde", 18)),
        P("Deltagarresultat (tabell)", "Arbete 5", c(dr, r"Avslut: Arbete", "Värde", 5)),
        P("Deltagarresultat (tabell)", "Studier 0", c(dr, r"Avslut: Studier", "Värde", 0)),
        P("Deltagarresultat (tabell)", "Annat 5", c(dr, r"Avslut: Annat", "Värde", 5)),
        P("Deltagarresultat (tabell)", "Aktiva 39", c(dr, r"Status: Aktiv", "Värde", 39)),
        P(
            "Deltagarresultat (tabell)",
            "Dropouts 4",
            c(dr, r"Status: varav Tidigt avhopp", "Värde", 4),
        ),
        P(
            "Deltagarresultat (tabell)",
            "Annan arbetslivsinriktad rehab 2",
            c(dr, r"Avslut: Fortsatt", "Värde", 2),
        ),
        P(
            "Deltagarresultat (tabell)",
            "Sjukersättning 2",
            c(dr, r"Avslut: Sjuk- och aktivitetsersättning", "Värde", 2),
        ),
        P(
            "Resultatruta",
            "14 avslutade utöver avhopp",
            c(dr, r"Avslut totalt \(fullföljda\)", "Värde", 14),
        ),
        P("Resultatruta", "7 av 14", c(dr, r"Antal arbete eller rehab", "Värde", 7)),
        P(
            "Resultatruta",
            "50 % arbete/annan rehab",
            c(dr, r"Andel arbete eller rehab", "Värde", 50),
        ),
        P(
            "Resultatruta",
            "Genomströmningstid 8,46 mån",
            c(dr, r"Genomströmningstid", "Värde", "8,46"),
        ),
        P(
            "Resultatruta",
            "Tid i bidragsberoende 4,57 år",
            c(dr, r"Tid i bidragsberoende", "Värde", "4,57"),
        ),
        P("Resultatruta", "Snittålder 31,57 år", c(dr, r"Snittålder avslutade", "Värde", "31,57")),
        P(
            "Resultat, text",
            "snittålder avslutade ca 32",
            c(dr, r"Snittålder avslutade", "Kommentar", "re:ca 32 år"),
            not_="i kommentaren till 31,57 ('i texten: hos de avslutade ca 32 år')",
        ),
    ]
    rt = "Resultat, text"
    r3 = r"3\. Deltagare resultat och effekter"
    for post, sok, status, not_ in (
        (
            "arbete/rehab-gruppen 35 år",
            c(r3, r"Snittålder avslutade arbete eller rehab", "Värde", 35),
            None,
            "",
        ),
        ("annat-gruppen 28 år", c(r3, r"Snittålder avslutade annat", "Värde", 28), None, ""),
        ("6 av 14 i fyrsteget", c(r3, r"Antal avslutade tidigare fyrsteget", "Värde", 6), None, ""),
        ("4 av dessa arbete", c(r3, r"Antal fyrsteget till arbete", "Värde", 4), None, ""),
        (
            "2015: 67 % försörjning från soc",
            c(r3, r"Andel försörjning soc 2015", "Värde", 67),
            None,
            "",
        ),
        ("2015: ca 33 % från FK", c(r3, r"Andel remitterade FK 2015", "Värde", 33), None, ""),
        ("2016: 54 % från FK", c(r3, r"Andel nya FK 2016", "Värde", 54), None, ""),
        ("2016: 41 % från soc", c(r3, r"Andel nya soc 2016", "Värde", 41), None, ""),
        ("2016: 1 person från AF (5 %)", c(r3, r"Andel nya AF 2016", "Värde", 5), None, ""),
        (
            "ORS/SRS med ca hälften",
            t(r"ca hälften av deltagarna"),
            "M",
            "verksamhetens löptext, inte transkriberad",
        ),
        (
            "3 deltagare i workshop",
            t(r"3 deltagare"),
            "M",
            "verksamhetens löptext, inte transkriberad",
        ),
        (
            "10 deltagare i lösningsfokusgrupp",
            t(r"10 personer deltog"),
            "M",
            "verksamhetens löptext, inte transkriberad",
        ),
        (
            "inskrivning 1 gång/månad, 2–3 nya",
            t(r"1 gång/månad"),
            "M",
            "verksamhetens löptext, inte transkriberad",
        ),
    ):
        if status is None:
            ut.append(
                P(rt, post, sok, annars="M", not_="löptexten i avsnitt 3 är inte transkriberad")
            )
        else:
            ut.append(P(rt, post, sok, status=status, not_=not_))
    for post, monster in (
        ("AF 80 %", r"80 %"),
        ("soc 20 %", r"socialtjänsten, 20 %"),
        ("landsting 20 %", r"landstinget, .*20 %"),
        ("FK 20 % → 10 %", r"endast 10%"),
        ("administratör 25 %", r"25% administratör"),
        ("3 har slutat", r"3 medarbetare slutat"),
        ("6 personer, 3 heltid", r"6 personer, 3 heltid"),
        ("mötestid 2 → 4 timmar", r"från 2 till 4 timmar"),
        ("styrgrupp 2 möten hösten 2015", r"2 gånger under hösten"),
        ("styrgrupp 3 möten våren 2016", r"3 gånger under våren"),
    ):
        ut.append(
            P(
                "Personal och organisation (text)",
                post,
                t(monster),
                status="M",
                not_="organisatorisk löptext, inte transkriberad",
            )
        )
    for post, rad, kol, v, status, not_ in (
        ("Personal budget 1 775 000", "Personal", "Budget, kr", "1 775 000", None, ""),
        ("Personal utfall 819 000", "Personal", "Utfall, kr", "819 000", None, ""),
        ("Lokaler 165 000", "Lokaler", "Budget, kr", "165 000", None, ""),
        ("Lokaler 88 000", "Lokaler", "Utfall, kr", "88 000", None, ""),
        ("Lokaler diff 77 000", "Lokaler", "Differens, kr", "77 000", None, ""),
        ("Övriga 160 000", "Övriga kostnader", "Budget, kr", "160 000", None, ""),
        ("Övriga 81 000", "Övriga kostnader", "Utfall, kr", "81 000", None, ""),
        ("Övriga diff 79 000", "Övriga kostnader", "Differens, kr", "79 000", None, ""),
        ("Summa 2 100 000", "Summa", "Budget, kr", "2 100 000", None, ""),
        ("Summa 988 000", "Summa", "Utfall, kr", "988 000", None, ""),
        ("Personal diff 955 000", "Personal", "Differens, kr", "955 000", None, "956 000"),
        ("Summa diff 1 111 000", "Summa", "Differens, kr", "1 111 000", None, "1 112 000"),
        ("Prognos 0", "Personal", r"Prognos.*", "0", None, ""),
        ("Prognos −9 000", "Lokaler", r"Prognos.*", "-9 000", None, ""),
        ("Prognos +20 000", "Övriga kostnader", r"Prognos.*", "20 000", None, "visas utan '+'"),
        ("Prognos +11 000", "Summa", r"Prognos.*", "11 000", None, "visas utan '+'"),
    ):
        ut.append(P("Budgetutfall (tabell)", post, c(bud, rad, kol, v), status=status, not_=not_))
    ut.append(
        P(
            "Budgetutfall (tabell)",
            "'Ekonomin är i balans'",
            t(r"Ekonomin är i balans"),
            status="M",
            not_="bedömningen står i löptexten (avsnitt 9), inte transkriberad",
        )
    )
    return ut


# -------------------------------------------------------------------------------- utskrift

FORE = {
    # status per block i mätningen på fea3575 (n, R, R*, C, D, Mm, Mg, Mt, M)
    "000": {
        "Rubrik och period": (2, 2, 0, 0, 0, 0, 0, 0, 0),
        "Resultat (antal)": (3, 2, 0, 0, 1, 0, 0, 0, 0),
        "Målområde 1: mål": (3, 2, 1, 0, 0, 0, 0, 0, 0),
        "Målområde 1: resultat": (3, 3, 0, 0, 0, 0, 0, 0, 0),
        "Sammanställning per insats (tabell)": (22, 16, 0, 0, 0, 6, 0, 0, 0),
        "Fortsatt rehab, text": (1, 0, 0, 0, 0, 0, 0, 1, 0),
        "Målområde 2: hälsa": (19, 18, 0, 1, 0, 0, 0, 0, 0),
        "Målområde 3: ekonomi": (5, 0, 0, 0, 0, 0, 1, 3, 1),
        "Målområde 4: samhällsnytta": (2, 2, 0, 0, 0, 0, 0, 0, 0),
        "Ansökningar": (22, 11, 0, 0, 0, 11, 0, 0, 0),
        "Avbrott": (6, 1, 0, 0, 0, 2, 0, 2, 1),
        "Uppföljning 6 månader": (17, 5, 0, 0, 0, 10, 1, 0, 1),
        "Viktiga händelser (text)": (2, 0, 0, 0, 0, 0, 0, 0, 2),
        "Resultatanalys: jämförelse 2018": (3, 2, 0, 0, 1, 0, 0, 0, 0),
    },
    "001": {
        "Sammanfattning: ekonomi": (4, 1, 1, 0, 0, 0, 1, 1, 0),
        "Organisation och verksamhet (text)": (13, 0, 0, 1, 0, 0, 0, 0, 12),
        "HÅE huvudtabell: per ersättningsform (7 rader × 6)": (42, 3, 0, 5, 0, 0, 0, 34, 0),
        "HÅE huvudtabell: Totalt, folkmängd, andel (7 rader × 3)": (21, 16, 0, 4, 1, 0, 0, 0, 0),
        "Länets kommuner 2020 (9 kommuner utöver Västerås × 9)": (81, 0, 0, 7, 0, 0, 0, 74, 0),
        "Riket efter kön 2020 (7 × 3)": (21, 0, 0, 8, 0, 0, 0, 13, 0),
        "Riket efter kön 2019 (7 × 3)": (21, 1, 0, 2, 0, 0, 0, 18, 0),
        "Könsfördelning 2020 och 2019 (2 × 7 × 2)": (28, 0, 0, 0, 0, 0, 0, 28, 0),
        "HÅE text (SCB)": (7, 0, 0, 1, 0, 0, 3, 0, 3),
        "Budget och utfall 2021 (29 rader × budget, utfall, %)": (87, 87, 0, 0, 0, 0, 0, 0, 0),
        "Utblick 2022–2023 (29 rader × 2)": (58, 57, 1, 0, 0, 0, 0, 0, 0),
        "Intäkter, resultat, kvarstående medel": (9, 7, 0, 2, 0, 0, 0, 0, 0),
        "Eget kapital-rullning (text)": (4, 2, 0, 0, 0, 0, 0, 2, 0),
        "Insatsredovisning SOT": (9, 5, 0, 0, 0, 0, 0, 3, 1),
        "Insatsredovisning JobbFokus 2.0/SPIRA": (8, 1, 2, 0, 0, 0, 0, 4, 1),
        "Insatsredovisning SIM": (5, 0, 0, 0, 0, 0, 0, 1, 4),
    },
    "002": {
        "Period": (2, 2, 0, 0, 0, 0, 0, 0, 0),
        "Deltagare": (15, 8, 0, 2, 0, 2, 1, 0, 2),
        "Handläggare och försörjningsgrund": (11, 5, 0, 0, 0, 6, 0, 0, 0),
        "Deltagarresultat (tabell)": (8, 5, 0, 0, 0, 3, 0, 0, 0),
        "Resultatruta": (6, 4, 0, 0, 0, 2, 0, 0, 0),
        "Resultat, text": (14, 0, 1, 0, 0, 0, 0, 0, 13),
        "Personal och organisation (text)": (10, 0, 0, 0, 0, 0, 0, 0, 10),
        "Budgetutfall (tabell)": (17, 10, 0, 2, 0, 0, 0, 4, 1),
    },
}
MAIN = {
    # samma mått på main (bd67098) före den här grenens ändringar
    "000": {
        "Rubrik och period": (2, 2, 0, 0, 0, 0, 0, 0, 0),
        "Resultat (antal)": (3, 3, 0, 0, 0, 0, 0, 0, 0),
        "Målområde 1: mål": (3, 2, 1, 0, 0, 0, 0, 0, 0),
        "Målområde 1: resultat": (3, 3, 0, 0, 0, 0, 0, 0, 0),
        "Sammanställning per insats (tabell)": (22, 22, 0, 0, 0, 0, 0, 0, 0),
        "Fortsatt rehab, text": (1, 1, 0, 0, 0, 0, 0, 0, 0),
        "Målområde 2: hälsa": (19, 18, 0, 1, 0, 0, 0, 0, 0),
        "Målområde 3: ekonomi": (5, 5, 0, 0, 0, 0, 0, 0, 0),
        "Målområde 4: samhällsnytta": (2, 2, 0, 0, 0, 0, 0, 0, 0),
        "Ansökningar": (22, 22, 0, 0, 0, 0, 0, 0, 0),
        "Avbrott": (6, 6, 0, 0, 0, 0, 0, 0, 0),
        "Uppföljning 6 månader": (17, 10, 0, 0, 0, 0, 0, 6, 1),
        "Viktiga händelser (text)": (2, 2, 0, 0, 0, 0, 0, 0, 0),
        "Resultatanalys: jämförelse 2018": (3, 3, 0, 0, 0, 0, 0, 0, 0),
    },
    "001": {
        "Sammanfattning: ekonomi": (4, 4, 0, 0, 0, 0, 0, 0, 0),
        "Organisation och verksamhet (text)": (13, 1, 0, 1, 0, 0, 0, 0, 11),
        "HÅE huvudtabell: per ersättningsform (7 rader × 6)": (42, 42, 0, 0, 0, 0, 0, 0, 0),
        "HÅE huvudtabell: Totalt, folkmängd, andel (7 rader × 3)": (21, 18, 0, 3, 0, 0, 0, 0, 0),
        "Länets kommuner 2020 (9 kommuner utöver Västerås × 9)": (81, 81, 0, 0, 0, 0, 0, 0, 0),
        "Riket efter kön 2020 (7 × 3)": (21, 17, 0, 4, 0, 0, 0, 0, 0),
        "Riket efter kön 2019 (7 × 3)": (21, 21, 0, 0, 0, 0, 0, 0, 0),
        "Könsfördelning 2020 och 2019 (2 × 7 × 2)": (28, 28, 0, 0, 0, 0, 0, 0, 0),
        "HÅE text (SCB)": (7, 1, 0, 1, 1, 0, 2, 0, 2),
        "Budget och utfall 2021 (29 rader × budget, utfall, %)": (87, 87, 0, 0, 0, 0, 0, 0, 0),
        "Utblick 2022–2023 (29 rader × 2)": (58, 57, 1, 0, 0, 0, 0, 0, 0),
        "Intäkter, resultat, kvarstående medel": (9, 7, 0, 2, 0, 0, 0, 0, 0),
        "Eget kapital-rullning (text)": (4, 4, 0, 0, 0, 0, 0, 0, 0),
        "Insatsredovisning SOT": (9, 8, 0, 0, 0, 0, 0, 0, 1),
        "Insatsredovisning JobbFokus 2.0/SPIRA": (8, 7, 0, 0, 0, 0, 0, 0, 1),
        "Insatsredovisning SIM": (5, 5, 0, 0, 0, 0, 0, 0, 0),
    },
    "002": {
        "Period": (2, 1, 0, 0, 0, 0, 0, 1, 0),
        "Deltagare": (15, 11, 0, 2, 0, 0, 0, 0, 2),
        "Handläggare och försörjningsgrund": (11, 11, 0, 0, 0, 0, 0, 0, 0),
        "Deltagarresultat (tabell)": (8, 8, 0, 0, 0, 0, 0, 0, 0),
        "Resultatruta": (6, 6, 0, 0, 0, 0, 0, 0, 0),
        "Resultat, text": (14, 1, 0, 0, 0, 0, 0, 0, 13),
        "Personal och organisation (text)": (10, 0, 0, 0, 0, 0, 0, 0, 10),
        "Budgetutfall (tabell)": (17, 14, 0, 2, 0, 0, 0, 0, 1),
    },
}
ORGANISATORISKA = {
    "Viktiga händelser (text)",
    "Organisation och verksamhet (text)",
    "Personal och organisation (text)",
}


def mat(fel: list[str]) -> dict[str, list[tuple[Post, str, str]]]:
    """Varje post med slutlig status och vad sökningen hittade."""
    ut = {}
    for kod, poster in (("000", poster_000()), ("001", poster_001()), ("002", poster_002())):
        html = las_html(RAPPORTER[kod][1])
        rader = []
        for p in poster:
            auto, hittat = bedom(p, html)
            status = p.status or auto or p.annars or "?"
            if status == "?":
                fel.append(
                    f"{kod} {p.block}: {p.post}: hittas inte ({hittat or 'ingen träff'}) – ange status"
                )
            if p.status in ("R*", "C") and not auto:
                fel.append(f"{kod} {p.block}: {p.post}: {p.status} men hittas inte ({hittat})")
            if p.status in ("Mm", "Mg", "Mt", "M") and auto:
                fel.append(f"{kod} {p.block}: {p.post}: {p.status} men hittas: {hittat!r}")
            if p.status is None and auto == "C" and not p.not_:
                p.not_ = hittat.split(" [", 1)[-1].rstrip("]")
            if p.status is None and auto and p.annars:
                p.not_ = p.om_hittad  # skälet i not_ gällde när värdet saknades
            rader.append((p, status, hittat))
        ut[kod] = rader
    return ut


def _procent(a: int, n: int) -> str:
    return f"{100 * a / n:.1f}".replace(".", ",") + " %"


def _atergivet(t: tuple) -> int:
    return sum(t[1:4])


def tabeller(matning: dict) -> str:
    """Per rapport: en tabell per block (nu) med återgivet nu, på fea3575 och på main."""
    delar = []
    for kod, rader in matning.items():
        block: dict[str, Counter] = {}
        for p, s, _ in rader:
            block.setdefault(p.block, Counter())[s] += 1
        delar.append(f"### {kod} {RAPPORTER[kod][0]}\n")
        delar.append(
            "| block (tryckt rapport) | n | R | R* | C | D | Mm | Mg | Mt | M "
            "| återgivet nu | fea3575 | main |"
        )
        delar.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        tot = Counter()
        for b, cnt in block.items():
            n = sum(cnt.values())
            fore, main = FORE[kod][b], MAIN[kod][b]
            assert fore[0] == n == main[0], (kod, b, fore[0], main[0], n)
            celler = [str(cnt[s]) if cnt[s] else "" for s in STATUSAR]
            nu = cnt["R"] + cnt["R*"] + cnt["C"]
            delar.append(
                f"| {b} | {n} | "
                + " | ".join(celler)
                + f" | {nu} | {_atergivet(fore)} | {_atergivet(main)} |"
            )
            tot.update(cnt)
        n = sum(tot.values())
        fore_at = sum(_atergivet(t) for t in FORE[kod].values())
        main_at = sum(_atergivet(t) for t in MAIN[kod].values())
        atersk = tot["R"] + tot["R*"] + tot["C"]
        delar.append(
            f"| **totalt** | **{n}** | "
            + " | ".join(f"**{tot[s]}**" for s in STATUSAR)
            + f" | **{atersk}** | **{fore_at}** | **{main_at}** |"
        )
        delar.append(
            "| **andel** | 100 % | "
            + " | ".join(_procent(tot[s], n) for s in STATUSAR)
            + f" | **{_procent(atersk, n)}** | {_procent(fore_at, n)} | {_procent(main_at, n)} |"
        )
        saknas = n - atersk - tot["D"]
        fast = sum(1 for p, s, _ in rader if p.fast_text and s in ("R", "R*", "C"))
        utan_org = [(p, s) for p, s, _ in rader if p.block not in ORGANISATORISKA]
        n2 = len(utan_org)
        at2 = sum(1 for _, s in utan_org if s in ("R", "R*", "C"))
        delar.append("")
        delar.append(
            f"**Återgivet (R + R\\* + C): {_procent(atersk, n)}** ({atersk} av {n}; fea3575 "
            f"{_procent(fore_at, n)}, main {_procent(main_at, n)}). Annat värde utan flagga (D): "
            f"{_procent(tot['D'], n)}. Saknas: {_procent(saknas, n)} (Mm {tot['Mm']}, "
            f"Mg {tot['Mg']}, Mt {tot['Mt']}, M {tot['M']}). Av de återgivna står {fast} bara som "
            f"fast tal i förbundets löptext (text/). Utan rent organisatoriska tal i löptexten: "
            f"n = {n2}, återgivet {_procent(at2, n2)}.\n"
        )
    return "\n".join(delar)


def ej_atergivna(matning: dict) -> str:
    delar = []
    for kod, rader in matning.items():
        delar.append(f"#### {kod} {RAPPORTER[kod][0]}\n")
        delar.append("| block | post (som tryckt) | status | varför |")
        delar.append("|---|---|---|---|")
        for p, s, _ in rader:
            if s in ("R", "R*", "C"):
                continue
            delar.append(f"| {p.block} | {p.post} | {s} | {p.not_} |")
        delar.append("")
    return "\n".join(delar)


def alla_poster(matning: dict) -> str:
    delar = []
    for kod, rader in matning.items():
        delar.append(f"#### {kod} {RAPPORTER[kod][0]}\n")
        delar.append("| block | post (som tryckt) | status | i rapporten | not |")
        delar.append("|---|---|---|---|---|")
        for p, s, hittat in rader:
            fast = p.fast_text and s in ("R", "R*", "C")
            not_ = p.not_ + (" (fast tal i förbundets löptext)" if fast else "")
            delar.append(f"| {p.block} | {p.post} | {s} | {hittat.replace('|', '/')} | {not_} |")
        delar.append("")
    return "\n".join(delar)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--poster", action="store_true", help="varje post med status och träff")
    ap.add_argument("--ej-atergivna", action="store_true", help="posterna som inte återges")
    ap.add_argument("--seeds", type=Path, default=SEEDS, help="katalogen med referensrapporterna")
    args = ap.parse_args()
    global SEED
    SEED = args.seeds / SEED.name
    fel: list[str] = []
    matning = mat(fel)
    if args.poster:
        print(alla_poster(matning))
    elif args.ej_atergivna:
        print(ej_atergivna(matning))
    else:
        print(tabeller(matning))
    for f in fel:
        print("VARNING:", f, file=sys.stderr)
    return 1 if fel else 0


if __name__ == "__main__":
    raise SystemExit(main())
