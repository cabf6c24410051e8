"""Referensrapporterna som test av rapporten: varje tryckt taltabell syns i den genererade
rapportens HTML, och varje tryckt tal i den är återgivet eller flaggat av granskningen med rätt
värde.

Tabellerna nedan är avskrivna ur de tre referensrapporterna (/work/shared/seeds, tabb mellan
kolumnerna som i textversionen): titeln som tryckt, rubrikerna på de tabeller i rapporten där
talen ska synas (förbundets tryckta tabell och rapportens omräknade), och tabellen som tryckt.
Första kolumnen (etiketterna) och rubrikraden räknas inte. Kända fel i det tryckta står med
rätt värde (handräknat): de ska finnas bland granskningens avvikelser. Datasidan (att varje
tabell är transkriberad) prövas i ``tests/granskning/test_referensrapporter.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from finsam_analys.granskning.kontroller import allvarlighet
from finsam_analys.granskning.resultat import granska
from finsam_analys.indata.inlasning import las_forbund
from finsam_analys.korning import batch as korning

pytestmark = pytest.mark.langsam

DATA = Path(__file__).resolve().parents[2] / "data"
SKAPAD = "2026-01-31"

# (titel som tryckt, rubriker i rapporten där talen ska synas, tabellen som tryckt)
SOT_2019 = [
    (
        "Målområde 1: Mål",
        ["Mål och resultat"],
        """EGEN FÖRSÖRJNING	ANDEL Avslut
I arbete efter avslut	25 %
I studier efter avslut	20 %
Fortsatt arbetslivsinriktad rehabilitering efter avslut	55%""",
    ),
    (
        "Målområde 1: Resultat 2019",
        ["Målområde 1 Resultat 2019", "Mål och resultat"],
        """EGEN FÖRSÖRJNING	ANDEL Avslut
I arbete efter avslut	13 %
I studier efter avslut	9 %
Fortsatt arbetslivsinriktad rehabilitering efter avslut	78 %""",
    ),
    (
        "Sammanställning per insats",
        ["Sammanställning per insats"],
        """	MAC	Upplevelse	Trädgård	Totalt
Arbete	5	0	2	7 (13%)
Studier	2	2	1	5 (9%)
Fortsatt Arbetslivinriktad rehab	19	11	13	43 (78%)
Totalt	26 (47%)	13 (24%)	16 (29%)	55 (100%)""",
    ),
    (
        "Hälsoenkäter – resultat",
        ["Målområde 2 Hälsoenkäter - resultat", "Hälsoenkät, 2019"],
        """HÄLSA - Förbättrad upplevd hälsa efter avslut	MÅL - ANDEL Avslut	RESULTAT - ANDEL Avslut
Helår	90 %	81%
Juni - November	90%	83%
Januari - Maj	90%	79%""",  # noqa: E501
    ),
    (
        "Målområde 3: Att Samordningsteamet har en budget i balans",
        ["Målområde 3: Att Samordningsteamet har en budget i balans"],
        """EKONOMI I BALANS	PERIOD
I förhållande till periodiserad budget	Budget i balans.""",
    ),
    (
        "Målområde 4: Samhällsnytta",
        ["Målområde 4", "Mål och resultat"],
        """SAMHÄLLSNYTTA	NIVÅ
Återbetalningstid - Mål	34 månader på total samhällsnivå
Återbetalningstid- Resultat	94 månader på total samhällsnivå""",
    ),
]

VASTERAS_2021 = [
    (
        "Helårsekvivalenter",
        ["Helårsekvivalenter"],
        """Objekt	År	Sjukpenning	Sjuk- och aktivitetsersättning	Arbetslöshet	Arbetsmarknadsåtgärder	Ekonomiskt bistånd	Etableringsersättning	Totalt	Folkmängd 20-64 år	Andel
Västerås	2020	1 905	3 475	2 148	3 381	2 072	470	13 451	88 586	15,2
Västerås	2019	1 992	3 629	1 308	2 753	2 118	734	12 533	87 797	14,3
Västerås	2018	2 223	3 826	1 179	2 830	2 058	1 082	13 198	86 708	15,2
Riket	2020	150 044	225 528	124 182	172 472	94 555	23 029	789 810	5 876 835	13,4
Riket	2019	150 616	236 460	80 101	145 849	91 895	37 058	741 979	5 858 492	12,7
Västmanlands län	2020	3 528	6 631	3 565	6 107	3 133	855	23 817	152 318	16,3
Västmanlandslän	2019	4 041	6 962	2 206	5 204	3 102	1 361	22 515	151 827	14,8""",  # noqa: E501
    ),
    (
        "Länets kommuner 2020",
        ["Länets kommuner 2020"],
        """Kommun	Sjukpenning	Sjuk- aktivitets- ersätt	Arbets- löshet	Arbets markn ads- åtgärder	Ekono miskt bistånd	Etabl erings ersätt	Totalt	Folkmängd 20-64 år	Andel
Skinnskatteberg	62	126	37	68	56	5	354	2 204	16,1
Surahammar	127	232	131	177	55	25	745	5 229	14,2
Kungsör	130	245	94	251	73	35	828	4 542	18,2
Hallstahammar	207	421	185	269	93	43	1 218	8 687	14,0
Norberg	80	134	56	129	91	22	513	2 890	17,7
Västerås	1 905	3 475	2 148	3 381	2 072	470	13 451	88 586	15,2
Sala	314	609	234	460	153	60	1 831	12 068	15,2
Fagersta	179	366	163	420	153	63	1 343	6 988	19,2
Köping	347	699	338	653	228	88	2 354	13 784	17,1
Arboga	176	323	179	300	160	42	1 181	7 340	16,1
	3 528	6 631	3 565	6 107	3 133	855	23 817	152 318	16,3""",  # noqa: E501
    ),
    (
        "Helårsekvivalenter på riksnivå efter kön, 2020",
        ["Riket efter kön 2020"],
        """	Kvinnor	Män	Totalt
Sjukpenning	95 746	54 410	150 156
Sjuk- och aktivitetsersättning	126 322	99 519	225 841
Arbetslöshet	55 259	68 924	124 182
Arbetsmarknadspolitiska åtgärder	83 251	89 221	172 472
Ekonomiskt bistånd ¹⁾	48 608	45 946	94 555
Etableringsersättning	13 719	9 318	23 036
Totalt	422 904	367 337	790 242""",
    ),
    (
        "Helårsekvivalenter på riksnivå efter kön, 2019",
        ["Riket efter kön 2019"],
        """	Kvinnor	Män	Totalt
Sjukpenning	96 889	53 727	150 616
Sjuk- och aktivitetsersättning	132 907	103 552	236 460
Arbetslöshet	36 375	43 726	80 101
Arbetsmarknadspolitiska åtgärder	68 580	77 269	145 849
Ekonomiskt bistånd ¹⁾	47 457	44 438	91 895
Etableringsersättning	20 897	16 161	37 058
Totalt	403 106	338 873	741 979""",
    ),
    (
        "Könsfördelning inom respektive ersättningsform (2020)",
        ["Könsfördelning inom respektive ersättningsform 2020"],
        """	Kvinnor	Män	Totalt
Sjukpenning	63,8	36,2	100,0
Sjuk- och aktivitetsersättning	55,9	44,1	100,0
Arbetslöshet	44,5	55,5	100,0
Arbetsmarknadspolitiska åtgärder	48,3	51,7	100,0
Ekonomiskt bistånd ¹⁾	51,4	48,6	100,0
Etableringsersättning	59,6	40,4	100,0
Totalt	53,5	46,5	100,0""",
    ),
    (
        "Könsfördelning inom respektive ersättningsform (2019)",
        ["Könsfördelning inom respektive ersättningsform 2019"],
        """	Kvinnor	Män	Totalt
Sjukpenning	64,3	35,7	100,0
Sjuk- och aktivitetsersättning	56,2	43,8	100,0
Arbetslöshet	45,4	54,6	100,0
Arbetsmarknadspolitiska åtgärder	47,0	53,0	100,0
Ekonomiskt bistånd ¹⁾	51,6	48,4	100,0
Etableringsersättning	56,4	43,6	100,0
Totalt	54,3	45,7	100,0""",
    ),
    (
        "Budget och utfall tom aug 2021",
        ["Budget och utfall 2021", "Utblick", "Eget kapital"],
        """Budget 2021 utblick 2022-2023	Budget 2021	UTFALL	UTFALL	Utblick 2022	Utblick 2023
Intäkter partner	13310 tkr			10 996 tkr	10 887 kr
Samordningsteam Västerås	7 306	3 095	42%	7 923	8 000
JobbFokus 2.0/SPIRA	3 588	1 700	47%	1 919	-
Länsgemensamma utbildningsinsatser	250	17	7%	250	250
Lokala utbildningsinsatser Västerås	800	453	57%	600	500
Kartläggning/utvärdering/implementering	250	222	89%	250	0
SIM	1 617	824	51%	925	350
Insatskatalog/Indikatorer	130	52	40%	140	140
Utvecklingsmedel ej intecknade medel	3 094	53	2%	2000	662
Summa tkr	17 035	6 416	38%	14 007	9 902
Revision auktor. revisor kostnad saknas	60	63	105%	62	63
Politikerarvode inkl. förl. arb.tidförtj.sociala avg.	70	25	36%	70	70
Löneadministration	8	4	50%	8	8
Konferens	35	0	0%	50	50
Representation	6	0	0%	9	9
Övrigt	5	0	0%	10	10
Summa tkr	184	92	50%	209	210
Administrativa tjänster Servicepartner	26	13	50%	26	26
Redovisningskostnader	81	41	51%	76	76
Bankkostnader	11	5	45%	11	11
Förbundssamordnartjänst inkl arbetsgivar- och driftsansvar Servicep	1097	549	50%	1097	1120
Representation	6	0	0%	11	11
Resekostnader	2	0	0%	6	7
Hemsida och nyhetsbrev	10	3	30%	10	15
Utbildning, konferenser	7	2	29%	20	20
Serviceavg. NNS Nationella Nätverket för Samordningsförb	27	27	100%	25	23
Trycksaker, böcker	10	8	80%	11	11
Övrigt	10	4	40%	8	10
Summa tkr	1 287	652	51%	1 301	1 330
TOTAL summa tkr	18 506	7 160	39%	15 517	11 442
Resultat intäkter - kostnader	-2 155			-2 521	107
Kvarstående medel, eget kapital från föregående år	8 241			6 086	1 565""",
    ),
    (
        "Indikatorer (insatsredovisning SOT)",
        ["Indikatorer"],
        """Målområde	Resultat	Effekt 6 månader	Effekt 18 månader
Arbetssökandes förflyttning enligt processtrappan*	80% har gjort en stegförflyttning	80% är kvar	90% är kvar
Återbetalning samhällsnytta	Max 40 månader på total samhällsnivå""",  # noqa: E501
    ),
    (
        "Samhällsnytta (insatsredovisning SOT)",
        ["Samhällsnytta"],
        """SAMHÄLLSNYTTA	NIVÅ
Återbetalningstid	40 månader på total samhällsnivå""",
    ),
    (
        "Utökad budget för förberedelse inför randomiserad kontrollerad studie – RCT",
        ["Utökad budget för förberedelse inför randomiserad kontrollerad studie – RCT"],
        """POST	AKTIVITET	NÄR	KOSTNAD
1. Doktorandtjänst	Praktiskt forskningsarbete knutet till SIM	2022-2023	700 000
2.Digitalisering steg 2.	Digital utform- /anpassning för total distansundervisning	2021-2022	850 000
3.Stödstrukturer	Skapa SIM stödstrukturer mot stärkt arbetsmiljö	2021-2022	300 000
TOTAL			1 850 000""",  # noqa: E501
    ),
]

AVESTA_2016 = [
    (
        "Handläggare och försörjningsgrund deltagare 150701-160630",
        ["Handläggare och försörjningsgrund"],
        """	Socialtjänst	Försäkringskassan	Annan försörjning	Arbetsförmedlingen	Landstinget
Försörjningsgrund	33	22	2
Remitterande aktör	25	21		3	8""",
    ),
    (
        "Deltagarresultat 150501-160701",
        ["Deltagarresultat 150501-160701"],
        """	Antal inskrivna Tom 20160701	Antal avslut totalt	Varav dropouts (tidiga avhopp)	Antal i arbete	Antal i studier	Antal till annan arbetslivsinriktad rehab	Antal till sjukersättning	Antal till annat	Antal aktiva 20160701
	57	18	4	5	0	2	2	5	39
AVSLUTADE (förutom tidiga avhopp)	14
7 av 14 = 50 % i arbete/annan arbetslivsinriktad rehab	7	14	50
Genomströmningstid : snitt	8,46 mån
Tid i bidragsberoende: snitt	4,57 år""",  # noqa: E501
    ),
    (
        "Budgetutfall med utfall per 2016-06-30 och helårsprognos 2016",
        ["Budgetutfall per 2016-06-30 och helårsprognos 2016"],
        """Kr	Budget	Utfall period	Differens	Prognos
Personal	1 775 000	819 000	955 000	0
Lokaler	165 000	88 000	77 000	-9 000
Övriga kostnader	160 000	81 000	79 000	+ 20 000
Summa	2 100 000	988 000	1 111 000	+ 11 000""",
    ),
]

# Kända fel i det tryckta: (tryckt, rätt värde), handräknade (se data/README.md).
KANDA_FEL = {
    "vasteras": {
        (22515.0, 22876.0),  # 4 041 + 6 962 + 2 206 + 5 204 + 3 102 + 1 361
        (14.8, 15.1),  # 22 876 / 151 827
        (16.3, 15.6),  # 23 817 / 152 318
        (-2155.0, -5196.0),  # 13 310 − 18 506
        (-2521.0, -4521.0),  # 10 996 − 15 517
        (107.0, -555.0),  # 10 887 − 11 442
        (150156.0, 150044.0),  # riket 2020 i huvudtabellen
        (225841.0, 225528.0),
        (23036.0, 23029.0),
        (790242.0, 789810.0),
    },
    "sodra_dalarna": {
        (955000.0, 956000.0),  # 1 775 000 − 819 000
        (1111000.0, 1112000.0),  # 2 100 000 − 988 000
    },
}

_TAL = re.compile(r"[−-]?\d{1,3}(?:[ \u00a0]\d{3})+(?:,\d+)?|[−-]?\d+(?:,\d+)?")


def _tal_i(text: str) -> set[float]:
    """Talen i en text som de trycks: "1 905", "15,2", "7 (13%)", "−9 000", "2000"."""
    ut = set()
    for m in _TAL.findall(text.replace("\u2212", "-")):
        ut.add(round(float(m.replace(" ", "").replace("\u00a0", "").replace(",", ".")), 2))
    return ut


def _rad_tal(rad: list[str]) -> set[float]:
    """Talen i en rad i rapportens HTML, cell för cell."""
    return {t for cell in rad for t in _tal_i(cell)}


def _tryckta_tal(tryckt: str) -> set[float]:
    """Talen i en tryckt tabell: utan rubrikraden och utan första kolumnen (etiketterna)."""
    tal: set[float] = set()
    for rad in tryckt.splitlines()[1:]:
        for cell in rad.split("\t")[1:]:
            tal |= _tal_i(cell)
    return tal


def _html_tabeller(sida: str) -> dict[str, list[list[str]]]:
    from bs4 import BeautifulSoup

    ut: dict[str, list[list[str]]] = {}
    for tabell in BeautifulSoup(sida, "html.parser").find_all("table"):
        caption = tabell.find("caption")
        titel = caption.get_text(" ", strip=True) if caption else ""
        rader = [
            [c.get_text(" ", strip=True).replace("\u2212", "-") for c in tr.find_all(["td", "th"])]
            for tr in tabell.find_all("tr")
        ]
        ut.setdefault(titel, []).extend(rader)
    return ut


def _rader(tabeller: dict[str, list[list[str]]], rubrik: str) -> list[list[str]]:
    """Raderna i tabellerna med rubriken ``rubrik`` (rapportens egna tabeller har perioden efter
    ett komma: "Mål och resultat, 2019")."""
    return [
        rad
        for titel, rader in tabeller.items()
        if titel == rubrik or titel.startswith(f"{rubrik}, ")
        for rad in rader
    ]


def _kor(tmp_path_factory, forbund: str, period: str):
    ut = tmp_path_factory.mktemp(f"ut_{forbund}")
    r = korning.kor_rapport(
        forbund=forbund, period=period, data_katalog=DATA, utdata_katalog=ut, skapad=SKAPAD
    )
    assert r.lyckades, korning.sammanfattning([r])
    return _html_tabeller(r.html.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def rapporter(tmp_path_factory):
    return {
        "SOT 2019": _kor(tmp_path_factory, "vasteras", "2019"),
        "Västerås delår 2021": _kor(tmp_path_factory, "vasteras", "2021-01..2021-08"),
        "Avesta 2015/16": _kor(tmp_path_factory, "sodra_dalarna", "2015-07..2016-06"),
    }


@pytest.fixture(scope="module")
def flaggade():
    ut = {}
    for forbund in KANDA_FEL:
        g = granska(las_forbund(DATA / forbund))
        ut[forbund] = {
            (float(r.publicerat), float(r.omraknat))
            for r in g.fynd.itertuples(index=False)
            if allvarlighet(r.typ) == "avvikelse"
        }
    return ut


FALL = [
    ("SOT 2019", "vasteras", SOT_2019),
    ("Västerås delår 2021", "vasteras", VASTERAS_2021),
    ("Avesta 2015/16", "sodra_dalarna", AVESTA_2016),
]


@pytest.mark.parametrize(("rapport", "forbund", "lista"), FALL, ids=[f[0] for f in FALL])
def test_varje_tryckt_tabell_syns_i_rapporten(rapporter, rapport, forbund, lista):
    tabeller = rapporter[rapport]
    saknas = [
        (titel, rubrik) for titel, rubriker, _ in lista for rubrik in rubriker
        if not _rader(tabeller, rubrik)
    ]  # fmt: skip
    assert saknas == []


@pytest.mark.parametrize(("rapport", "forbund", "lista"), FALL, ids=[f[0] for f in FALL])
def test_varje_tryckt_tal_ateges_eller_flaggas_med_ratt_varde(
    rapporter, flaggade, rapport, forbund, lista
):
    tabeller = rapporter[rapport]
    fel = {p: r for p, r in KANDA_FEL.get(forbund, set())}
    alla_visade = {t for rader in tabeller.values() for rad in rader for t in _rad_tal(rad)}
    saknas = []
    for titel, rubriker, tryckt in lista:
        visade = set()
        for rubrik in rubriker:
            for rad in _rader(tabeller, rubrik):
                visade |= _rad_tal(rad)
        for tal in sorted(_tryckta_tal(tryckt)):
            if tal in visade:
                continue
            ratt = fel.get(tal)
            flaggat = ratt is not None and (tal, ratt) in flaggade[forbund]
            if not (flaggat and round(ratt, 2) in alla_visade):
                saknas.append((titel, tal))
    assert saknas == []


def test_vasteras_2021_visar_kommuner_kon_konsfordelning_och_hae_per_form(rapporter):
    t = rapporter["Västerås delår 2021"]
    kommuner = {r[0]: r for r in t["Länets kommuner 2020"] if r}
    assert kommuner["Norberg"][1:5] == ["80", "134", "56", "129"]
    assert kommuner["Norberg"][9] == "17,7\u00a0%"
    kon = {r[0]: r[1:4] for r in t["Riket efter kön 2020"] if r}
    assert kon["Sjukpenning"] == ["95\u00a0746", "54\u00a0410", "150\u00a0156"]
    andel = {r[0]: r[1:4] for r in t["Könsfördelning inom respektive ersättningsform 2019"] if r}
    assert andel["Arbetsmarknadsåtgärder"] == ["47,0\u00a0%", "53,0\u00a0%", "100,0\u00a0%"]
    # den tryckta summan 22 515 visas med granskningens korrekta värde 22 876 på raden
    lan_2019 = next(r for r in t["Helårsekvivalenter"] if r[:2] == ["Västmanlands län", "2019"])
    assert "22\u00a0515" in lan_2019 and any("22\u00a0876" in c for c in lan_2019)


def test_avesta_visar_prognoskolumnen(rapporter):
    t = rapporter["Avesta 2015/16"]["Budgetutfall per 2016-06-30 och helårsprognos 2016"]
    rubriker = t[0]
    assert "Prognos (avvikelse mot budget), kr" in rubriker
    j = rubriker.index("Prognos (avvikelse mot budget), kr")
    assert [r[j] for r in t[1:]] == ["0", "-9\u00a0000", "20\u00a0000", "11\u00a0000"]
    personal = next(r for r in t if r and r[0] == "Personal")
    assert "955\u00a0000" in personal and any("956\u00a0000" in c for c in personal)
