"""Förslag på mappning från ett förbunds egna rubriker och etiketter till datamodellen.

Förbundens egna uppföljningsfiler har egna rubriker ("Start", "Remitterad från", "ORS in") och
egna stavningar av kategorier ("K", "Arbetsförmedlingen", "Avbrott - sjukdom"). Här finns
ordförrådet och funktionerna som gissar vad en kolumn är och vad ett värde betyder, med en
motivering (``grund``) för varje gissning:

- :func:`normalisera` gör rubriker och värden jämförbara (gemener, utan å/ä/ö-prickar, ``_``
  mellan ord).
- :func:`tolka_datum` och :func:`tolka_tal` läser datum och tal i de former förbunden skriver
  dem (Excel-datum, Excel-tal, ``5/3 2023``, ``5.3.2023``, ``21,5``, ``34 år``).
- :func:`profilera` beskriver en kolumns värden (andel datum, heltal, intervall, antal olika).
- :func:`tolka_kategori` översätter ett värde till en kod i en kodlista.
- :func:`foresla_kolumner` gissar vilken kolumn i ``deltagare`` varje rubrik motsvarar, med
  rubriken och värdena som belägg.

Alla funktioner är rena: data in, data ut, inga filer.

>>> normalisera(" Försörjning vid start ")
'forsorjning_vid_start'
>>> tolka_kategori("Avbrott - sjukdom", "UTFALL")
('Ohälsa', '"sjukdom" betyder Ohälsa')
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from finsam_analys.indata import kodlistor

__all__ = [
    "KODLISTOR",
    "Kolumnforslag",
    "Profil",
    "foresla_kolumner",
    "manaden_forst",
    "normalisera",
    "profilera",
    "tolka_datum",
    "tolka_kategori",
    "tolka_manad",
    "tolka_tal",
]

# ---------------------------------------------------------------------------
# Normalisering, datum och tal
# ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=16384)
def normalisera(text: Any) -> str:
    """Jämförbar form: gemener, utan diakritiska tecken, ``_`` mellan ord.

    >>> normalisera("Kön (K/M)"), normalisera("ORS  in/ut"), normalisera("Ålder")
    ('kon_k_m', 'ors_in_ut', 'alder')
    """
    t = unicodedata.normalize("NFKD", str(text).strip().lower())
    t = "".join(c for c in t if not unicodedata.combining(c))
    t = re.sub(r"[^0-9a-z]+", "_", t)
    return t.strip("_")


_EXCEL_NOLLDAG = dt.date(1899, 12, 30)
# Excel-tal som rimligen är datum: 1982-02-12 (30 000) … 2064-04-08 (60 000)
_EXCEL_MIN, _EXCEL_MAX = 30_000, 60_000
_MANADER = {
    "jan": 1, "januari": 1, "feb": 2, "februari": 2, "mar": 3, "mars": 3, "apr": 4,
    "april": 4, "maj": 5, "jun": 6, "juni": 6, "jul": 7, "juli": 7, "aug": 8, "augusti": 8,
    "sep": 9, "sept": 9, "september": 9, "okt": 10, "oktober": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}  # fmt: skip
_DATUMMONSTER: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(m), ordning)
    for m, ordning in (
        (r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?", "ymd"),
        (r"(\d{4})(\d{2})(\d{2})", "ymd"),
        (r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})", "ymd"),
        (r"(\d{1,2})[/.](\d{1,2})[ /.-](\d{4})", "dmy"),
        (r"(\d{1,2})-(\d{1,2})-(\d{4})", "dmy"),
        (r"(\d{1,2})/(\d{1,2})[ -](\d{2})", "dmyy"),
        (r"(\d{2})(\d{2})(\d{2})", "yymd"),
        (r"(\d{1,2})[ .]*([a-z]+)\.?[ ]+(\d{4})", "d_man_y"),
    )
)


_SNEDSTRECK = re.compile(r"(\d{1,2})/(\d{1,2})[/ -](\d{2}|\d{4})")


def manaden_forst(varden: Iterable[Any]) -> bool:
    """Sant när datum med snedstreck har månaden först (3/25/2024, en export från ett
    program på engelska): någon andra del är över 12 och ingen första del är det.

    >>> manaden_forst(["3/25/2024", "1/5/2024"]), manaden_forst(["25/3 2024", "1/5 2024"])
    (True, False)
    >>> manaden_forst(["1/5/2024", "2/6/2024"])  # går inte att avgöra: dag först som i Sverige
    False
    """
    forsta = andra = False
    for v in varden:
        m = _SNEDSTRECK.fullmatch(v.strip()) if isinstance(v, str) else None
        if m:
            forsta |= int(m.group(1)) > 12
            andra |= int(m.group(2)) > 12
    return andra and not forsta


def tolka_datum(varde: Any, *, manad_forst: bool = False) -> dt.date | None:
    """Ett cellvärde som datum, eller None.

    Förstår Excel-datum, Excel-tal (dagar sedan 1899-12-30, 30 000–60 000), ISO-datum (även med
    klockslag), ``20230305`` (också som tal), ``230305``, ``2023/03/05``, ``5/3 2023``, ``5/3-2023``,
    ``5/3-23``, ``5.3.2023``, ``05-03-2023`` och ``5 mars 2023``. Dag före månad som i Sverige,
    utom med ``manad_forst`` (3/25/2024, se :func:`manaden_forst`).

    >>> [str(tolka_datum(v)) for v in ("2023-03-05", "5/3 2023", "5.3.2023", "5/3-23",
    ...                                "20230305", "5 mars 2023", 44990, "vet ej")]
    ['2023-03-05', '2023-03-05', '2023-03-05', '2023-03-05', '2023-03-05', '2023-03-05', '2023-03-05', 'None']
    """  # noqa: E501
    if varde is None or isinstance(varde, bool):
        return None
    if isinstance(varde, dt.datetime):
        return varde.date()
    if isinstance(varde, dt.date):
        return varde
    if isinstance(varde, pd.Timestamp):
        return None if pd.isna(varde) else varde.date()
    if isinstance(varde, (int, float)):
        if isinstance(varde, float) and (math.isnan(varde) or varde != int(varde)):
            return None
        if _EXCEL_MIN <= varde <= _EXCEL_MAX:
            return _EXCEL_NOLLDAG + dt.timedelta(days=int(varde))
        if 19_000_101 <= varde <= 20_991_231:  # 20240305 inskrivet som tal
            return tolka_datum(str(int(varde)))
        return None
    text = str(varde).strip().lower()
    if not text or len(text) > 40:
        return None
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        return tolka_datum(float(text))
    for monster, ordning in _DATUMMONSTER:
        m = monster.fullmatch(text)
        if not m:
            continue
        a, b, c = m.groups()
        try:
            if ordning == "ymd":
                return dt.date(int(a), int(b), int(c))
            if manad_forst and ordning in ("dmy", "dmyy"):
                a, b = b, a
            if ordning == "dmy":
                return dt.date(int(c), int(b), int(a))
            if ordning == "dmyy":
                return dt.date(2000 + int(c), int(b), int(a))
            if ordning == "yymd":
                return dt.date(2000 + int(a), int(b), int(c))
            if ordning == "d_man_y" and b in _MANADER:
                return dt.date(int(c), _MANADER[b], int(a))
        except ValueError:
            return None
    return None


_MANADSMONSTER: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(m), ordning)
    for m, ordning in (
        (r"((?:19|20)\d{2})[-/. ](\d{1,2})", "ym"),
        (r"(\d{1,2})[-/. ]((?:19|20)\d{2})", "my"),
        (r"([a-z]+)\.?[ -]*((?:19|20)\d{2})", "man_y"),
        (r"((?:19|20)\d{2})[ -]*([a-z]+)\.?", "y_man"),
    )
)


def tolka_manad(varde: Any) -> tuple[int, int] | None:
    """(år, månad) för ett värde som bara har år och månad, eller None.

    Förbund som bara för månaden skriver ``2024-03``, ``2024/3``, ``03/2024``, ``mars 2024``
    eller ``2024 mars``. Ett fullständigt datum är inte en månad (se :func:`tolka_datum`).

    >>> [tolka_manad(v) for v in ("2024-03", "3/2024", "mars 2024", "2024 okt", "2024-03-05", 7)]
    [(2024, 3), (2024, 3), (2024, 3), (2024, 10), None, None]
    """
    if not isinstance(varde, str):
        return None
    text = varde.strip().lower()
    for monster, ordning in _MANADSMONSTER:
        m = monster.fullmatch(text)
        if not m:
            continue
        a, b = m.groups()
        if ordning == "ym":
            ar, manad = int(a), int(b)
        elif ordning == "my":
            ar, manad = int(b), int(a)
        elif ordning == "man_y" and a in _MANADER:
            ar, manad = int(b), _MANADER[a]
        elif ordning == "y_man" and b in _MANADER:
            ar, manad = int(a), _MANADER[b]
        else:
            return None
        return (ar, manad) if 1 <= manad <= 12 else None
    return None


_TALSTAD = re.compile(r"(?:\s|\u00a0|\u202f)*(?:år|ar|st|p|poäng|poang|%)?\.?$")


def tolka_tal(varde: Any) -> float | None:
    """Ett cellvärde som tal, eller None (``21,5``, ``1 234``, ``−2``, ``34 år``, ``12 p``).

    >>> [tolka_tal(v) for v in (21.5, "21,5", "34 år", "1 234", "−2", "ja", None)]
    [21.5, 21.5, 34.0, 1234.0, -2.0, None, None]
    """
    if varde is None or isinstance(varde, (bool, dt.date)):
        return None
    if isinstance(varde, (int, float)):
        return None if isinstance(varde, float) and math.isnan(varde) else float(varde)
    text = str(varde).strip().lower()
    text = _TALSTAD.sub("", text)
    text = re.sub(r"[\s\u00a0\u202f]", "", text).replace("\u2212", "-").replace(",", ".")
    if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)", text):
        return None
    return float(text)


# ---------------------------------------------------------------------------
# Kodlistor och förbundens egna etiketter
# ---------------------------------------------------------------------------

# Kodlistorna (ur kodlistor.KODLISTOR) som förbundens etiketter kan gissas till.
KODLISTOR: dict[str, tuple[str, ...]] = {
    namn: kodlistor.KODLISTOR[namn]
    for namn in ("KON", "REMITTENT", "FORSORJNING", "UTFALL", "UPPFOLJNINGSUTFALL", "AVSLUTSTYP")
}

# Värden som betyder att uppgiften saknas (blir Okänt/Okänd där kodlistan har det, annars tomt)
SAKNAS_ORD = frozenset(
    {
        "vet_ej", "vet_inte", "okant", "okand", "uppgift_saknas", "saknas", "ej_angivet",
        "ej_kant", "ingen_uppgift", "ej_ifyllt", "na", "n_a", "x", "", "ovet", "oklart",
    }
)  # fmt: skip
_NEGATIONER = frozenset({"ej", "inte", "ingen", "inget", "utan", "ej_aktivt", "ovrigt"})
# Kön som kodlistan (Kvinna, Man) inte har: räknas som uppgift saknas
_KON_UTANFOR = frozenset(
    {"annat", "annan", "ickebinar", "icke_binar", "vill_ej_uppge", "vill_inte_uppge", "ovrigt"}
)
# Värden i avslutskolumner som betyder att deltagandet pågår (inget avslut ännu)
PAGAENDE_ORD = frozenset(
    {
        "pagaende", "pagar", "aktiv", "aktiva", "inskriven", "ej_avslutad", "ej_avslutat",
        "inte_avslutad", "kvar", "deltar", "pagar_fortfarande", "ej_avslutad_an", "inskriven_nu",
        "ongoing", "active",
    }
)  # fmt: skip
# Värden i en statuskolumn som bara säger om deltagandet pågår eller har avslutats
STATUS_ORD = PAGAENDE_ORD | frozenset(
    {"avslutad", "avslutat", "avslutade", "utskriven", "utskrivna", "inaktiv", "ej_aktiv",
     "klar", "slut", "avslut"}
)  # fmt: skip


def pagar(varde: Any) -> bool:
    """Sant när ett värde i en slutdatumkolumn säger att deltagandet pågår ("Pågår", "-").

    >>> pagar("Pågår"), pagar("pågående"), pagar("-"), pagar("2024-03-01"), pagar(None)
    (True, True, True, False, False)
    """
    if not isinstance(varde, str):
        return False
    text = varde.strip()
    return text in ("-", "–", "—", "--") or normalisera(text) in PAGAENDE_ORD

# normaliserad etikett -> kod. Bara ord som betyder samma sak i alla förbund vi sett.
_ETIKETTER: dict[str, dict[str, str]] = {
    "KON": {
        **dict.fromkeys(
            (
                "kvinna",
                "kvinnor",
                "k",
                "kv",
                "f",
                "kvinnlig",
                "flicka",
                "tjej",
                "female",
                "woman",
                "dam",
            ),
            "Kvinna",
        ),
        **dict.fromkeys(("man", "m", "manlig", "pojke", "kille", "male", "herr"), "Man"),
    },  # fmt: skip
    "REMITTENT": {
        **dict.fromkeys(
            ("af", "arbetsformedlingen", "arbetsformedling", "arbetsformedlingen_af",
             "etableringen"),
            "AF",
        ),
        **dict.fromkeys(("fk", "forsakringskassan", "forsakringskassa"), "FK"),
        **dict.fromkeys(
            (
                "kommun",
                "kommunen",
                "socialtjansten",
                "socialtjanst",
                "soc",
                "socialkontoret",
                "socialkontor",
                "socialkontor_ekonomi",
                "ekonomiskt_bistand",
                "ifo",
                "individ_och_familjeomsorgen",
                "vuxenenheten",
                "arbetsmarknadsenheten",
                "ama",
                "ame",
                "jobbcenter",
                "jobbcentrum",
                "kommunens_arbetsmarknadsenhet",
                "kaa",
                "kommunalt_aktivitetsansvar",
                "sfi",
                "forsorjningsstod",
                "socialsekreterare",
                "ekonomiskt_bistand_kommun",
                "lss",
            ),
            "Kommun",
        ),
        **dict.fromkeys(
            (
                "region",
                "regionen",
                "landsting",
                "landstinget",
                "varden",
                "vard",
                "vardcentral",
                "vardcentralen",
                "psykiatri",
                "psykiatrin",
                "vuxenpsykiatrin",
                "primarvarden",
                "primarvard",
                "sjukvarden",
                "halso_och_sjukvarden",
                "habiliteringen",
                "bup",
                "barn_och_ungdomspsykiatrin",
                "ungdomsmottagning",
                "ungdomsmottagningen",
                "vc",
                "halsocentral",
                "halsocentralen",
                "reg",
                "rs",
            ),
            "Region",
        ),
        **dict.fromkeys(
            (
                "annan",
                "annat",
                "ovrigt",
                "ovriga",
                "egen_anmalan",
                "egenanmalan",
                "sjalvanmalan",
                "egen_kontakt",
                "kriminalvarden",
                "frivarden",
                "egen",
                "egenremiss",
                "sjalvremiss",
                "anhorig",
                "skola",
                "skolan",
                "annan_aktor",
            ),
            "Annan",
        ),
    },  # fmt: skip
    "FORSORJNING": {
        **dict.fromkeys(
            ("sjukpenning", "sjp", "sp", "sjukskriven", "sjukskrivning"), "Sjukpenning"
        ),
        **dict.fromkeys(
            ("rehabiliteringspenning", "rehabpenning", "rehab_penning"), "Rehabiliteringspenning"
        ),
        **dict.fromkeys(
            (
                "sjuk_och_aktivitetsersattning",
                "sa",
                "sjuk_aktivitetsersattning",
                "sjukersattning_aktivitetsersattning",
                "se_ae",
            ),
            "Sjuk- och aktivitetsersättning",
        ),
        **dict.fromkeys(("sjukersattning", "se", "fortidspension"), "Sjukersättning"),
        **dict.fromkeys(("aktivitetsersattning", "ae"), "Aktivitetsersättning"),
        **dict.fromkeys(
            (
                "arbetsloshetsersattning",
                "a_kassa",
                "akassa",
                "arbetsloshetskassa",
                "ersattning_fran_a_kassa",
            ),
            "Arbetslöshetsersättning",
        ),
        **dict.fromkeys(
            ("aktivitetsstod", "ak_stod", "utvecklingsersattning", "aktivitetsstod_af"),
            "Aktivitetsstöd",
        ),
        **dict.fromkeys(
            ("etableringsersattning", "etablering", "etableringsstod"), "Etableringsersättning"
        ),
        **dict.fromkeys(
            (
                "ekonomiskt_bistand",
                "forsorjningsstod",
                "ek_bistand",
                "eb",
                "socialbidrag",
                "ekonomiskt_bistand_forsorjningsstod",
                "fs",
                "bistand",
            ),
            "Ekonomiskt bistånd",
        ),
        **dict.fromkeys(
            ("lon", "anstallning", "lonearbete", "arbete", "egen_inkomst", "lonebidrag"), "Lön"
        ),
        **dict.fromkeys(("studiemedel", "csn", "studier", "studiestod"), "Studiemedel"),
        **dict.fromkeys(("foraldrapenning", "foraldraledig"), "Föräldrapenning"),
        **dict.fromkeys(
            (
                "ingen_offentlig_forsorjning",
                "ingen_ersattning",
                "ingen",
                "inget",
                "inga",
                "ingen_inkomst",
                "ingen_forsorjning",
                "saknar_inkomst",
                "saknar_ersattning",
                "utan_ersattning",
                "ingen_offentlig_ersattning",
                "forsorjs_av_familj",
                "forsorjs_av_anhorig",
                "forsorjd_av_anhorig",
                "forsorjd_av_familj",
            ),
            "Ingen offentlig försörjning",
        ),
        **dict.fromkeys(("annan", "annat", "ovrigt", "annan_forsorjning"), "Annan"),
        **dict.fromkeys(("okand", "okant"), "Okänd"),
    },  # fmt: skip
    "UTFALL": {
        **dict.fromkeys(
            (
                "arbete",
                "anstallning",
                "jobb",
                "arbete_med_stod",
                "arbete_utan_stod",
                "subventionerad_anstallning",
                "osubventionerad_anstallning",
                "lonebidrag",
                "nystartsjobb",
                "extratjanst",
                "introduktionsjobb",
                "trygghetsanstallning",
                "eget_foretag",
                "egen_foretagare",
                "arbete_heltid",
                "arbete_deltid",
                "lon",
                "arbete_osubventionerat",
                "arbete_subventionerat",
                "fatt_arbete",
                "fatt_jobb",
                "anstallning_med_stod",
                "anstallning_utan_stod",
                "arbete_ovriga",
            ),
            "Arbete",
        ),
        **dict.fromkeys(
            (
                "studier",
                "utbildning",
                "studerar",
                "komvux",
                "folkhogskola",
                "hogskola",
                "gymnasium",
                "vuxenutbildning",
                "reguljara_studier",
                "studiemedel",
                "borjat_studera",
                "studera",
            ),
            "Studier",
        ),
        **dict.fromkeys(
            (
                "fortsatt_arbetslivsinriktad_rehabilitering",
                "fortsatt_rehabilitering",
                "fortsatt_rehab",
                "annan_insats",
                "vidare_till_annan_insats",
                "rehabilitering",
                "annan_arbetslivsinriktad_rehabilitering",
                "annan_arbetslivsinriktad_rehab",
                "arbetslivsinriktad_rehabilitering",
                "vidare_till_annan_aktor",
                "annan_rehab",
                "arbetstraning",
                "praktik",
                "arbetsprovning",
                "fortsatt_insats",
                "ny_insats",
                "till_annan_insats",
                "fortsatt_stod",
            ),
            "Fortsatt arbetslivsinriktad rehabilitering",
        ),
        **dict.fromkeys(
            (
                "aktivt_arbetssokande",
                "arbetssokande",
                "arbetssokande_af",
                "inskriven_af",
                "aktivt_sokande",
                "tillbaka_till_af",
                "ater_till_af",
                "arbetssokande_pa_af",
                "inskriven_som_arbetssokande",
            ),
            "Aktivt arbetssökande",
        ),
        **dict.fromkeys(
            ("ej_aktivt_arbetssokande", "inte_aktivt_arbetssokande"), "Ej aktivt arbetssökande"
        ),
        **dict.fromkeys(("arbetsmarknadsutbildning", "amu"), "Arbetsmarknadsutbildning"),
        **dict.fromkeys(
            ("sjukskrivning", "sjukskriven", "sjukskriven_heltid", "sjukpenning"), "Sjukskrivning"
        ),
        **dict.fromkeys(
            (
                "sjuk_och_aktivitetsersattning",
                "sjukersattning",
                "aktivitetsersattning",
                "sa",
                "se",
                "ae",
                "fortidspension",
            ),
            "Sjuk- och aktivitetsersättning",
        ),
        **dict.fromkeys(
            ("foraldraledighet", "foraldraledig", "mammaledig", "pappaledig", "foraldrapenning"),
            "Föräldraledighet",
        ),
        **dict.fromkeys(("pension", "alderspension", "pensionar"), "Pension"),
        **dict.fromkeys(
            (
                "flytt",
                "flyttat",
                "flyttar",
                "utflyttad",
                "flyttat_fran_kommunen",
                "flyttat_fran_orten",
                "flytt_fran_kommunen",
            ),
            "Flytt",
        ),
        **dict.fromkeys(
            (
                "ohalsa",
                "sjukdom",
                "sjuk",
                "halsoskal",
                "psykisk_ohalsa",
                "somatisk_ohalsa",
                "ej_arbetsfor",
                "for_sjuk",
                "medicinska_skal",
                "sjuk_ohalsa",
            ),
            "Ohälsa",
        ),
        **dict.fromkeys(
            (
                "ej_forlangt_beslut",
                "beslut_ej_forlangt",
                "inte_forlangt_beslut",
                "beslutet_forlangdes_inte",
            ),
            "Ej förlängt beslut",
        ),
        **dict.fromkeys(
            (
                "annat",
                "annan",
                "ovrigt",
                "annan_orsak",
                "ovrig_orsak",
                "uteblivit",
                "avhopp",
                "slutat_komma",
                "uteblev",
                "hoppat_av",
                "annat_skal",
            ),
            "Annat",
        ),
        **dict.fromkeys(
            (
                "okant",
                "okand",
                "ingen_kontakt",
                "ej_kontakt",
                "ej_nadd",
                "ej_antraffbar",
                "tappad_kontakt",
                "kontakt_saknas",
            ),
            "Okänt",
        ),
    },  # fmt: skip
    "AVSLUTSTYP": {
        **dict.fromkeys(
            (
                "fullfoljd",
                "fullfoljt",
                "fullfoljde",
                "planerat",
                "planerat_avslut",
                "enligt_plan",
                "avslutad_enligt_plan",
                "genomford",
                "genomfort",
                "klar",
                "avslutad",
                "avslutat",
                "ordinarie_avslut",
                "ordinarie",
            ),
            "Fullföljd",
        ),
        **dict.fromkeys(
            (
                "avbruten",
                "avbrutit",
                "avbrott",
                "avhopp",
                "avbrutet",
                "oplanerat",
                "oplanerat_avslut",
                "hoppat_av",
                "tidigt_avslut",
                "avbrutits",
            ),
            "Avbruten",
        ),
    },  # fmt: skip
}
_ETIKETTER["UPPFOLJNINGSUTFALL"] = {
    **{k: v for k, v in _ETIKETTER["FORSORJNING"].items() if v != "Okänd"},
    **_ETIKETTER["UTFALL"],
}
# Delar av värden som avslöjar koden även i längre etiketter ("Arbetsförmedlingen Sala")
_INNEHALLER: dict[str, tuple[tuple[str, str], ...]] = {
    "REMITTENT": (
        ("arbetsformedl", "AF"),
        ("forsakringskass", "FK"),
        ("socialtjanst", "Kommun"),
        ("socialkontor", "Kommun"),
        ("psykiatri", "Region"),
        ("vardcentral", "Region"),
        ("region", "Region"),
        ("landsting", "Region"),
        ("kommun", "Kommun"),
    ),
}
# prefix i avslutsorsaker som säger att deltagandet avbröts ("Avbrott - sjukdom")
_AVBROTTSPREFIX = re.compile(
    r"^(avbrott|avbrutit|avbruten|avbrutet|avhopp|oplanerat_avslut|avslut|avslutad|avslutat|"
    r"avslutas)(_pga|_p_g_a|_pa_grund_av|_till|_av)?_(?=.)"
)
_PREFIX = re.compile(r"^(pga|p_g_a|pa_grund_av|till|gick_till|har_fatt|fatt|till_ett)_(?=.)")
# utfall som i praktiken är orsaker till avbrott
AVBROTTSUTFALL = frozenset({"Ohälsa", "Flytt", "Föräldraledighet", "Ej förlängt beslut"})
JA = frozenset({"ja", "j", "yes", "y", "x", "sant", "true", "1"})
NEJ = frozenset({"nej", "n", "no", "falskt", "false", "0"})


def tolka_kategori(varde: Any, kodlista: str) -> tuple[str | None, str]:
    """Koden i kodlistan som förbundets etikett betyder, och varför; ``(None, grund)`` om ingen.

    ``kodlista`` är ett namn i :data:`KODLISTOR`. En etikett som betyder "uppgift saknas"
    blir ``Okänt``/``Okänd`` där kodlistan har en sådan kod, annars ``(None, "saknas")``.

    >>> tolka_kategori("K", "KON")
    ('Kvinna', '"K" betyder Kvinna')
    >>> tolka_kategori("Arbetsförmedlingen Sala", "REMITTENT")
    ('AF', 'innehåller "arbetsformedl"')
    >>> tolka_kategori("Vet ej", "KON")
    (None, 'saknas')
    >>> tolka_kategori("Cirkus", "UTFALL")
    (None, 'okänt värde')
    """
    koder = KODLISTOR[kodlista]
    text = str(varde).strip()
    if text in koder:
        return text, "samma som koden"
    norm = normalisera(text)
    kod_norm = {normalisera(k): k for k in koder}
    if norm in kod_norm:
        return kod_norm[norm], "samma som koden (annan stavning)"
    etiketter = _ETIKETTER.get(kodlista, {})
    if norm in etiketter:
        return etiketter[norm], f'"{text}" betyder {etiketter[norm]}'
    if kodlista in ("UTFALL", "UPPFOLJNINGSUTFALL"):
        kort = _AVBROTTSPREFIX.sub("", norm)
        kort = _PREFIX.sub("", kort)
        if kort != norm:
            if kort in kod_norm:
                return kod_norm[kort], f'"{kort.replace("_", " ")}" betyder {kod_norm[kort]}'
            if kort in etiketter:
                return etiketter[kort], f'"{kort.replace("_", " ")}" betyder {etiketter[kort]}'
        if norm in ("avbrott", "avbrutit", "avbruten", "avhopp"):
            return "Okänt", "avbrott utan angiven orsak: utfallet är okänt"
    if norm in SAKNAS_ORD or (kodlista == "KON" and norm in _KON_UTANFOR):
        for kod in koder:
            if kod in ("Okänt", "Okänd"):
                return kod, "betyder att uppgift saknas"
        return None, "saknas"
    innehall = [(d, k) for d, k in _INNEHALLER.get(kodlista, ()) if d in norm]
    ord_i_norm = set(norm.split("_"))
    andra = {kod_norm.get(o) or etiketter.get(o) for o in ord_i_norm} - {None}
    if innehall and len({k for _, k in innehall} | andra) == 1:  # "AF och FK": ingen gissning
        return innehall[0][1], f'innehåller "{innehall[0][0]}"'
    # ett ord (eller ordpar) i en längre etikett som bara kan betyda en kod ("Studier på
    # Komvux"), men inte när etiketten säger emot ("Ej arbete", "Ingen kontakt med AF")
    ord_ = norm.split("_")
    if len(ord_) > 1 and not set(ord_) & _NEGATIONER:
        delar = ord_ + ["_".join(ord_[i : i + 2]) for i in range(len(ord_) - 1)]
        traff = {
            d: kod_norm.get(d) or etiketter.get(d)
            for d in delar
            if len(d) >= 4 or d in kod_norm or (d == ord_[0] and len(d) >= 2)
        }
        koder_ = {k for k in traff.values() if k}
        if len(koder_) == 1:
            ordet = next(d for d, k in traff.items() if k).replace("_", " ")
            return koder_.pop(), f'innehåller "{ordet}"'
        if len(koder_) > 1:
            return None, f"flera koder i samma cell ({', '.join(sorted(koder_))})"
    kandidater = {**kod_norm, **etiketter}
    nara = difflib.get_close_matches(norm, list(kandidater), n=1, cutoff=0.85)
    if nara and len(norm) >= 4:
        kod = kod_norm.get(nara[0]) or etiketter[nara[0]]
        return kod, f'stavas nästan som "{nara[0].replace("_", " ")}"'
    return None, "okänt värde"


def avslutstyp_ur_orsak(varde: Any) -> tuple[str | None, str]:
    """Fullföljd eller Avbruten ur en avslutsorsak (när filen saknar en egen kolumn för det).

    >>> avslutstyp_ur_orsak("Avbrott - flytt")
    ('Avbruten', 'orsaken börjar med "avbrott"')
    >>> avslutstyp_ur_orsak("Flyttat")
    ('Avbruten', 'Flytt är ett skäl till avbrott')
    >>> avslutstyp_ur_orsak("Arbete med stöd")
    ('Fullföljd', 'Arbete är ett utfall av ett fullföljt deltagande')
    >>> avslutstyp_ur_orsak("Avslutad i förtid")
    ('Avbruten', 'orsaken säger "i fortid"')
    >>> avslutstyp_ur_orsak("Cirkusartist")
    ('Fullföljd', 'inget i orsaken tyder på avbrott')
    """
    norm = normalisera(varde)
    m = re.match(r"(avbrott|avbrutit|avbruten|avbrutet|avhopp|oplanerat)", norm)
    if m:
        return "Avbruten", f'orsaken börjar med "{m.group(1)}"'
    m = re.search(r"(?:^|_)(i_fortid|fortida|fortidigt|hoppade_av|hoppat_av|avbr\w*)(?:_|$)", norm)
    if m:
        return "Avbruten", f'orsaken säger "{m.group(1).replace("_", " ")}"'
    if norm in _ETIKETTER["AVSLUTSTYP"]:
        kod = _ETIKETTER["AVSLUTSTYP"][norm]
        return kod, f'"{varde}" betyder {kod}'
    utfall, _ = tolka_kategori(varde, "UTFALL")
    if utfall is None:
        return "Fullföljd", "inget i orsaken tyder på avbrott"
    if utfall in AVBROTTSUTFALL or utfall in ("Annat",) and norm in (
        "avhopp", "uteblivit", "slutat_komma", "hoppat_av"
    ):  # fmt: skip
        return "Avbruten", f"{utfall} är ett skäl till avbrott"
    return "Fullföljd", f"{utfall} är ett utfall av ett fullföljt deltagande"


# ---------------------------------------------------------------------------
# Kolumnernas värden
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Profil:
    """Vad en kolumns ifyllda värden ser ut som (andelar av de ifyllda cellerna)."""

    antal: int
    olika: int
    datum: float
    tal: float
    heltal: float
    minst: float | None
    storst: float | None
    janej: float
    medellangd: float
    vanligast: tuple[tuple[str, int], ...]
    manad: float = 0.0  # andel som bara har år och månad ("2024-03")

    def andel_i(self, lag: float, hog: float) -> float:
        """Andel tal inom [lag, hog] (av alla ifyllda), ungefärligt ur min/max och andel tal."""
        if self.minst is None or self.storst is None:
            return 0.0
        if self.minst >= lag and self.storst <= hog:
            return self.tal
        return 0.0


def _text(v: Any) -> str:
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, float) and v == int(v):
        return str(int(v))
    return str(v).strip()


def ar_tom(v: Any) -> bool:
    """Sant för tomma celler (None, NaN, tom text).

    >>> ar_tom(None), ar_tom(" "), ar_tom(float("nan")), ar_tom(0)
    (True, True, True, False)
    """
    if v is None:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    return isinstance(v, str) and not v.strip()


def profilera(varden: Iterable[Any]) -> Profil:
    """Profil för en kolumns värden (tomma celler räknas inte).

    >>> p = profilera(["2023-01-05", 44990, None, "vet ej"])
    >>> p.antal, round(p.datum, 2), p.vanligast[0]
    (3, 0.67, ('2023-01-05', 1))
    """
    ifyllda = [v for v in varden if not ar_tom(v)]
    n = len(ifyllda)
    if n == 0:
        return Profil(0, 0, 0.0, 0.0, 0.0, None, None, 0.0, 0.0, ())
    raknare = Counter(_text(v) for v in ifyllda)
    manad_forst = manaden_forst(ifyllda)
    datum = sum(tolka_datum(v, manad_forst=manad_forst) is not None for v in ifyllda)
    tal = [t for t in (tolka_tal(v) for v in ifyllda) if t is not None]
    heltal = sum(t == int(t) for t in tal)
    janej = sum(normalisera(v) in JA | NEJ for v in ifyllda)
    return Profil(
        antal=n,
        olika=len(raknare),
        datum=datum / n,
        tal=len(tal) / n,
        heltal=heltal / n,
        minst=min(tal) if tal else None,
        storst=max(tal) if tal else None,
        janej=janej / n,
        medellangd=sum(len(k) * a for k, a in raknare.items()) / n,
        vanligast=tuple(raknare.most_common(8)),
        manad=sum(tolka_manad(v) is not None for v in ifyllda) / n,
    )


def _andel_kod(profil_varden: Counter, kodlista: str) -> float:
    n = sum(profil_varden.values())
    if not n:
        return 0.0
    traff = 0
    for varde, antal in profil_varden.items():
        kod, grund = tolka_kategori(varde, kodlista)
        if kod is not None or grund == "saknas":
            traff += antal
    return traff / n


# ---------------------------------------------------------------------------
# Rubriker: ordförråd per kolumn i deltagare
# ---------------------------------------------------------------------------


def _ord(*alternativ: str) -> str:
    """Regex: något av alternativen som helt ord i en normaliserad rubrik."""
    return r"(?:^|_)(?:" + "|".join(alternativ) + r")(?:_|$)"


def _bada(amne: str, *nar: str) -> str:
    """Regex: ämnet (del av ord) och ett av orden i ``nar`` (helt ord), i vilken ordning som
    helst ("ORS in", "Vid start ORS", "Försörjning vid inskrivning")."""
    return rf"^(?=.*(?:{amne}))(?=.*{_ord(*nar)})"


_START = ("start", "in", "inskrivning", "inskr", "fore", "fors", "innan", "borjan", "1",
          "inskrivningen", "starten", "forsta", "vid_start", "inskrivningsdatum")  # fmt: skip
_SLUT = ("ut", "slut", "avslut", "utskrivning", "utskr", "efter", "2", "sist", "sista",
         "avslutet", "vid_avslut", "slutet", "utskrivningen")  # fmt: skip
_HALSA = r"ors|halsa|halsoskattning|skattning|mabra|halsopoang|valmaende|maende|halsoenkat"
_STEG = r"steg|trappsteg|trappa|niva|stege"
_FORSORJ = r"forsorj|ersattn|inkomst|bidrag|(?:^|_)(?:ers|fors)(?:_|$)"

_DATUMNEJ = r"ors|steg|alder|forsorj|halsa|skattning|orsak|typ|ersattning|trapp|niva|poang|enkat|anledning|utfall|resultat|kommentar|antal|tid_i|fodelse|fodd|uppfoljning"  # noqa: E501

# kolumn -> (lista med (regex, poäng), regex som utesluter kolumnen eller None)
RUBRIKER: dict[str, tuple[tuple[tuple[str, float], ...], str | None]] = {
    "deltagare_id": (
        (
            (r"^(deltagar|deltagare)_?(id|nr|nummer|kod)$", 1.0),
            (
                r"^(id|id_?nr|id_?nummer|lopnr|lopnummer|lop_nr|l_nr|kodnamn|kod|"
                r"deltagarkod|personkod|pseudonym|referens|ref|ref_nr|referensnummer|"
                r"arendenummer|arende_?nr|arende|identitet|deltagare|klient_?id|klientnummer|"
                r"brukare_?id|individ_?id|lopnummer_deltagare)$",
                1.0,
            ),
            (r"^(nr|nummer|rad|radnr)$", 0.9),  # ofta bara radens nummer: ett id går före
            (_ord("id", "lopnr", "lopnummer", "kodnamn", "deltagarkod", "deltagarnummer"), 0.7),
        ),
        r"insats|datum|start|slut",
    ),  # fmt: skip
    "insats": (
        (
            (
                r"^(insats|insatsnamn|insatsens_namn|insats_namn|projekt|projektnamn|verksamhet|"
                r"team|insats_projekt|namn_pa_insats)$",
                1.0,
            ),
            (_ord("insats", "projekt"), 0.7),
        ),
        r"datum|start|slut|tid|orsak|typ|resultat|utfall|paborj|borjade",
    ),  # fmt: skip
    "inriktning": (
        (
            (
                r"^(inriktning|grupp|spar|sparet|delinsats|program|modul|inriktning_grupp|"
                r"gruppnamn|delprojekt|aktivitet|insatsform|insatstyp)$",
                1.0,
            ),
            (_ord("inriktning", "grupp", "spar", "delinsats"), 0.7),
        ),
        r"datum|start|slut|alder",
    ),  # fmt: skip
    "kon": (
        (
            (
                r"^(kon|kon_k_m|kon_m_k|k_m|m_k|k_eller_m|kvinna_man|man_kvinna|kvinna_eller_man|"
                r"man_eller_kvinna|sex|gender|kon_kvinna_man|kon_man_kvinna)$",
                1.0,
            ),
            (_ord("kon"), 0.9),
        ),
        None,
    ),  # fmt: skip
    "fodelsear": (
        (
            (
                r"^(fodelsear|fodd|fodd_ar|ar_fodd|fodelsear_aaaa|fodelsear_yyyy|fodelsear_ar|"
                r"fodelsedatum|fodd_datum)$",
                1.0,
            ),
            (r"fodelse|fodd", 0.8),
        ),
        None,
    ),  # fmt: skip
    "alder": (
        (
            (
                r"^(alder|age|alder_ar|alder_vid_start|alder_vid_inskrivning|alder_start|"
                r"alder_in|alder_vid_inskr)$",
                1.0,
            ),
            (r"(?:^|_)alder", 0.85),
        ),
        r"grupp|klass|intervall",
    ),  # fmt: skip
    "folkbokforingskommun": (
        (
            (
                r"^(kommun|hemkommun|folkbokforingskommun|bostadskommun|folkbokford|"
                r"folkbokford_i|folkbokford_kommun|folkbokford_i_kommun|boendekommun|"
                r"kommuntillhorighet|bor_i_kommun|bor_i|hemort|bostadsort|ort|boende|"
                r"kommun_folkbokforing|kommun_dar_deltagaren_ar_folkbokford)$",
                1.0,
            ),
            (r"kommun", 0.75),
        ),
        r"remit|aktor|anvis|handlaggare",
    ),  # fmt: skip
    "remittent": (
        (
            (
                r"^(remittent|remitterande|remitterad_fran|remitterad_av|remitterande_aktor|"
                r"remitterande_myndighet|remitterande_part|remiss_fran|remissgivare|"
                r"remissavsandare|anvisad_av|anvisad_fran|anvisande_aktor|anvisande_myndighet|"
                r"anvisare|aktor|huvudman|kom_fran|hanvisad_fran|hanvisad_av|"
                r"inremitterad_fran|remiterad_fran|remitent|ansokan_fran|ansokande_aktor|"
                r"ansokande_myndighet|ansokan_fran_myndighet|inskriven_fran|remitterad_via|"
                r"remittent_myndighet|fran_myndighet|myndighet)$",
                1.0,
            ),
            (r"remit|anvis|remiss|hanvisad", 0.8),
            (_ord("aktor", "myndighet"), 0.55),
        ),
        r"datum|kommun",
    ),  # fmt: skip
    "forsorjning_in": (
        (
            (_bada(_FORSORJ, *_START), 1.0),
            (
                r"^(forsorjning|forsorjningskalla|forsorjningsform|forsorjningsgrund|"
                r"ersattningsform|inkomstkalla|inkomst|ersattning|ersattningstyp|"
                r"huvudsaklig_forsorjning)$",
                0.75,
            ),
            (r"forsorj", 0.6),
        ),
        r"tid_i|antal_ar|ar_i|tid_med|tid_utan|manader|(^|_)ut(_|$)|avslut|slut|efter|utskr",
    ),  # fmt: skip
    "forsorjning_ut": (
        ((_bada(_FORSORJ, *_SLUT), 1.0),),
        r"tid_i|antal_ar|ar_i|tid_med|tid_utan|manader",
    ),  # fmt: skip
    "tid_offentlig_forsorjning_ar": (
        (
            (r"(tid|antal_ar|ar|langd).*(forsorj|bidrag|offentlig|ersattning|utanforskap)", 0.9),
            (r"(forsorj|bidrag|offentlig).*(tid|antal_ar|_ar$|langd)", 0.9),
        ),
        r"manader",
    ),  # fmt: skip
    "inskrivningsdatum": (
        (
            (
                r"^(start|startdatum|startdag|inskrivningsdatum|inskrivningsdag|inskriven|"
                r"inskrivning|inskr|inskr_datum|inskrivet|datum_in|in_datum|datum_start|"
                r"start_datum|paborjad|paborjat|startade|borjade|from|fr_o_m|fran|fran_datum|"
                r"datum_for_inskrivning|datum_for_start|startdatum_insats|insatsstart|"
                r"inskrivningsdatum_aaaa_mm_dd|startdatum_aaaa_mm_dd|in|start_date|"
                r"enrollment_date|entry_date)$",
                1.0,
            ),
            (r"^datum$", 0.6),
            (r"inskriv", 0.85),
            (r"start.*datum|datum.*start", 0.9),
            (r"^(paborjad|paborjat|paborjade|startade|borjade)(_|$)", 0.85),
            (r"^(start|inskriv\w*|inskr|in)_?manad$|^manad_(for_)?(start|inskr\w*|in)$", 0.9),
            (_ord("start", "startdatum"), 0.7),
        ),
        _DATUMNEJ + r"|avslut|slut|utskr",
    ),  # fmt: skip
    "avslutsdatum": (
        (
            (
                r"^(slut|slutdatum|slutdag|avslutsdatum|avslutad|avslutat|avslut|avslut_datum|"
                r"datum_avslut|datum_ut|ut_datum|utskriven|utskrivningsdatum|utskrivning|"
                r"utskr|utskr_datum|tom|t_o_m|till|till_datum|avslutsdag|datum_for_avslut|"
                r"avslutades|slutade|avslutsdatum_aaaa_mm_dd|slutdatum_aaaa_mm_dd|ut|end_date|"
                r"exit_date)$",
                1.0,
            ),
            (r"avslut.*datum|datum.*avslut|slut.*datum|datum.*slut", 0.95),
            (r"utskriv", 0.85),
            (r"^(slut|avslut\w*|utskr\w*|ut)_?manad$|^manad_(for_)?(slut|avslut\w*|utskr\w*|ut)$",
             0.9),  # fmt: skip
            (_ord("avslut", "slut", "avslutad"), 0.6),
        ),
        _DATUMNEJ + r"|start|inskr",
    ),  # fmt: skip
    "avslutstyp": (
        (
            (
                r"^(avslutstyp|typ_av_avslut|avslutsform|avbrott|avbrutit|avbruten|avbrott_ja_nej|"
                r"avbrutit_ja_nej|avhopp|fullfoljd|fullfoljt|fullfoljt_ja_nej|fullfoljd_ja_nej|"
                r"planerat_avslut|avslut_enligt_plan|avslutad_enligt_plan|planerat_avslut_ja_nej|"
                r"avslutsstatus|typ_avslut|avslut_typ|avbrott_j_n|fullfoljt_j_n)$",
                1.0,
            ),
            (r"avbr|avhopp|fullfolj|planerat_avslut|enligt_plan", 0.8),
            (r"^status$", 0.5),
        ),
        r"datum|orsak|anledning|orsak",
    ),  # fmt: skip
    "avslutsorsak": (
        (
            (
                r"^(avslutsorsak|orsak_till_avslut|avslutsanledning|anledning_till_avslut|orsak|"
                r"avslutskod|resultat|resultat_vid_avslut|utfall|utfall_vid_avslut|avslut_till|"
                r"avslutad_till|till_vad|gick_till|sysselsattning_efter_avslut|"
                r"sysselsattning_vid_avslut|status_vid_avslut|efter_avslut|vidare_till|"
                r"avslutsorsak_utfall|avslutat_till|avslut_orsak|orsak_avslut|"
                r"resultat_efter_avslut|utfall_efter_avslut|avslutsorsak_resultat|"
                r"sysselsattning_efter|orsak_till_avslut_utfall)$",
                1.0,
            ),
            (r"orsak|anledning", 0.8),
            (r"(status|lage|situation|sysselsattning|resultat).*(efter|vid)_(avslut|insats)", 0.9),
            (r"resultat|utfall", 0.7),
            (r"(^|_)efter_(avslut|avslutet|insats|insatsen|utskrivning)(_|$)", 0.75),
        ),
        r"datum|\d_?man|manader|uppfoljning",
    ),  # fmt: skip
    "halsopoang_start": (
        ((_bada(_HALSA, *_START), 1.0),),
        r"datum|steg|trapp|(^|_)ut(_|$)|slut|avslut",
    ),
    "halsopoang_slut": (((_bada(_HALSA, *_SLUT), 1.0),), r"datum|steg|trapp"),
    "steg_start": (((_bada(_STEG, *_START), 1.0),), r"datum|ors|halsa|(^|_)ut(_|$)|slut|avslut"),
    "steg_slut": (((_bada(_STEG, *_SLUT), 1.0),), r"datum|ors|halsa"),
    "uppfoljning_6_man": (
        (
            (r"(uppf|lage|status|sysselsattning|efter).*(^|_)6(_|$|man)", 1.0),
            (r"^6_?man", 0.9),
        ),
        r"datum",
    ),
    "uppfoljning_12_man": (
        (
            (r"(uppf|lage|status|sysselsattning|efter).*(^|_)12(_|$|man)", 1.0),
            (r"^12_?man", 0.9),
        ),
        r"datum",
    ),
    "uppfoljning_18_man": (
        (
            (r"(uppf|lage|status|sysselsattning|efter).*(^|_)18(_|$|man)", 1.0),
            (r"^18_?man", 0.9),
        ),
        r"datum",
    ),
}
_RUBRIKER_RE = {
    mal: (tuple((re.compile(m), p) for m, p in monster), re.compile(nej) if nej else None)
    for mal, (monster, nej) in RUBRIKER.items()
}

# Rubriker som aldrig kopieras: personuppgifter och fritext
PERSONUPPGIFT = re.compile(
    r"^(namn|fornamn|efternamn|for_och_efternamn|fullstandigt_namn|deltagarens_namn|"
    r"deltagare_namn|personnummer|pnr|person_nr|personnr|personnummer_aaaammdd_xxxx|"
    r"samordningsnummer|adress|gatuadress|postnummer|postadress|telefon|tel|telefonnummer|"
    r"mobil|mobilnummer|e_post|epost|mail|email|e_mail|handlaggare|kontaktperson|coach|"
    r"ansvarig|handledare|ansvarig_handlaggare|handlaggare_namn|lots|jobbcoach|"
    r"kontaktuppgifter|anhorig|god_man|signatur|sign)$"
    r"|personnummer|samordningsnummer|(^|_)namn$|telefon|adress|e_?post|handlaggare"
)
FRITEXT = re.compile(
    r"^(kommentar|kommentarer|anteckning|anteckningar|ovrigt|noteringar|notering|"
    r"beskrivning|fritext|ovriga_kommentarer|ovrigt_kommentar|notes|anm|anmarkning|"
    r"anmarkningar)$|kommentar|anteckning"
)

# Vad värdena i varje kolumn ska likna
_KODLISTA_FOR = {
    "kon": "KON",
    "remittent": "REMITTENT",
    "forsorjning_in": "FORSORJNING",
    "forsorjning_ut": "FORSORJNING",
    "avslutsorsak": "UTFALL",
    "avslutstyp": "AVSLUTSTYP",
    "uppfoljning_6_man": "UPPFOLJNINGSUTFALL",
    "uppfoljning_12_man": "UPPFOLJNINGSUTFALL",
    "uppfoljning_18_man": "UPPFOLJNINGSUTFALL",
}
_INTERVALL = {
    "fodelsear": (1920.0, 2015.0),
    "alder": (14.0, 80.0),
    "halsopoang_start": (0.0, 40.0),
    "halsopoang_slut": (0.0, 40.0),
    "steg_start": (1.0, 12.0),
    "steg_slut": (1.0, 12.0),
    "tid_offentlig_forsorjning_ar": (0.0, 60.0),
}
DATUMKOLUMNER = ("inskrivningsdatum", "avslutsdatum")
# kolumner som får gissas ur värdena även när rubriken inte säger något
_VARDEBASERADE = ("kon", "remittent", "avslutsorsak", "forsorjning_in")


def rubrikpoang(rubrik: str, mal: str) -> tuple[float, str]:
    """Hur väl en rubrik passar kolumnen ``mal`` (0–1) och vilket mönster som passade.

    >>> rubrikpoang("Remitterad från", "remittent")[0]
    1.0
    >>> rubrikpoang("ORS in", "halsopoang_start")[0], rubrikpoang("Steg start", "inskrivningsdatum")[0]
    (1.0, 0.0)
    >>> rubrikpoang("Remittent (AF/FK/Kommun/Region)", "remittent")[0]
    1.0
    """  # noqa: E501
    # en parentes är oftast en ledtråd om värdena ("(ja/nej)", "(AF/FK/Kommun)"): rubriken
    # prövas också utan den, och det bästa gäller
    utan = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", rubrik)
    varianter = dict.fromkeys(normalisera(r) for r in (rubrik, utan) if normalisera(r))
    # förkortningar skrivs ut ("Avsl. datum", "Insk.datum", "Rem. från", "Förs. vid start")
    varianter.update(dict.fromkeys(_utskrivet(v) for v in list(varianter)))
    return max((_rubrikpoang(norm, mal) for norm in varianter), default=(0.0, ""))


_FORKORTNINGAR = {
    "avsl": "avslut", "insk": "inskrivning", "inskr": "inskrivning", "utskr": "utskrivning",
    "rem": "remitterad", "remitt": "remitterad", "fors": "forsorjning", "forsorjn":
    "forsorjning", "ers": "ersattning", "dat": "datum", "folkbokf": "folkbokford",
    "fodelsear_aaaa": "fodelsear", "sysselsattn": "sysselsattning", "uppf": "uppfoljning",
}  # fmt: skip


def _utskrivet(norm: str) -> str:
    """En normaliserad rubrik med förbundens vanliga förkortningar utskrivna.

    >>> _utskrivet("avsl_datum"), _utskrivet("rem_fran"), _utskrivet("inskrivning")
    ('avslut_datum', 'remitterad_fran', 'inskrivning')
    """
    return "_".join(_FORKORTNINGAR.get(o, o) for o in norm.split("_"))


def _rubrikpoang(norm: str, mal: str) -> tuple[float, str]:
    monster, nej = _RUBRIKER_RE[mal]
    if nej is not None and nej.search(norm):
        return 0.0, ""
    basta, vilket = 0.0, ""
    for m, poang in monster:
        if poang > basta and m.search(norm):
            basta, vilket = poang, m.pattern
    return basta, vilket


def _datumpoang(
    mal: str, profil: Profil, varden: Counter, rubrik: str
) -> tuple[float, str] | None:
    """vardepoang för datumkolumnerna och födelseåret; None för andra kolumner."""
    n = profil.antal
    if mal == "avslutsdatum" and profil.datum + profil.manad < 1:
        # "Pågår" och "-" i ett slutdatum betyder att deltagandet pågår
        pagaende = sum(a for v, a in varden.items() if pagar(v)) / n
        if pagaende:
            andel = profil.datum + profil.manad + pagaende
            return andel, (
                f"{round((profil.datum + profil.manad) * n)} av {n} värden är datum och "
                f"{round(pagaende * n)} säger att deltagandet pågår"
            )
    if mal in DATUMKOLUMNER:
        if profil.manad:
            andel = profil.datum + profil.manad
            return andel, (
                f"{round(andel * n)} av {n} värden är datum, varav {round(profil.manad * n)} "
                "med bara år och månad"
            )
        return profil.datum, f"{round(profil.datum * n)} av {n} värden är datum"
    if (
        mal == "fodelsear" and profil.tal > 0.8 and profil.heltal == profil.tal
        and profil.minst is not None and profil.storst is not None
        and 0 <= profil.minst and profil.storst < 100 and rubrikpoang(rubrik, mal)[0] >= 0.8
    ):  # fmt: skip
        return profil.tal * 0.8, f"{round(profil.tal * n)} av {n} värden är år med två siffror"
    if mal == "fodelsear" and profil.datum > 0.8:
        return profil.datum, f"{round(profil.datum * n)} av {n} värden är datum (bara året används)"
    return None


def vardepoang(mal: str, profil: Profil, varden: Counter, *, rubrik: str = "") -> tuple[float, str]:
    """Hur väl värdena passar kolumnen ``mal`` (0–1), med en kort svensk motivering."""
    n = profil.antal
    if n == 0:
        return 0.0, "kolumnen är tom"
    datum = _datumpoang(mal, profil, varden, rubrik)
    if datum is not None:
        return datum
    if mal in _KODLISTA_FOR:
        kodlista = _KODLISTA_FOR[mal]
        if mal == "avslutstyp" and profil.janej > 0.8:
            return 1.0, "värdena är ja/nej"
        if mal == "avslutstyp" and sum(
            a for v, a in varden.items() if normalisera(v) in STATUS_ORD
        ) >= 0.9 * n:
            return 0.0, (
                "värdena säger bara om deltagandet pågår eller är avslutat; avslut räknas ur "
                "slutdatumet"
            )
        andel = _andel_kod(varden, kodlista)
        if mal == "avslutsorsak" and andel < 0.5:
            # avslutsorsaker med egna ord: räkna också de som avslöjar avbrott
            andel = max(andel, sum(
                a for v, a in varden.items() if _AVBROTTSPREFIX.match(normalisera(v)) is not None
            ) / n * 0.8)  # fmt: skip
        return andel, f"{round(andel * n)} av {n} värden känns igen"
    if mal in _INTERVALL:
        lag, hog = _INTERVALL[mal]
        andel = profil.andel_i(lag, hog)
        if mal in ("fodelsear", "alder", "steg_start", "steg_slut") and profil.tal:
            andel *= profil.heltal / profil.tal
        if andel:
            return andel, (
                f"{round(andel * n)} av {n} värden är tal mellan {profil.minst:g} och "
                f"{profil.storst:g}"
            )
        if profil.tal:
            return 0.0, f"talen ligger utanför {lag:g}–{hog:g}"
        return 0.0, "värdena är inte tal"
    if mal == "deltagare_id":
        unika = profil.olika / n
        # löpnummer som 20240001 är tal, inga datum, även när de kan läsas som datum
        if (profil.datum > 0.5 and profil.tal < 1) or profil.medellangd > 24:
            return 0.0, "värdena ser inte ut som id"
        return unika, f"{profil.olika} olika värden på {n} rader"
    if mal in ("insats", "inriktning", "folkbokforingskommun"):
        if profil.datum > 0.5 or profil.tal > 0.5:
            return 0.0, "värdena är datum eller tal"
        if profil.medellangd > 40:
            return 0.2, "långa texter"
        fa = profil.olika <= max(12, n // 4)
        return (0.9 if fa else 0.4), f"{profil.olika} olika värden"
    return 0.5, ""


@dataclass(frozen=True)
class Kolumnforslag:
    """Förslaget för en av förbundets kolumner.

    ``mal`` är kolumnen i ``deltagare`` (None = ingen), ``poang`` 0–1, ``grund`` en svensk
    motivering och ``slag`` ``"mappad"``, ``"personuppgift"``, ``"fritext"``, ``"tom"`` eller
    ``"okand"``.
    """

    rubrik: str
    mal: str | None
    poang: float
    grund: str
    slag: str
    ifyllda: int = 0

    @property
    def sakerhet(self) -> str:
        """``säker``, ``trolig`` eller ``osäker`` (för kommentaren i forbund.yaml)."""
        if self.poang >= 0.7:
            return "säker"
        if self.poang >= 0.5:
            return "trolig"
        return "osäker"


_NAMN = re.compile(r"^[A-ZÅÄÖÉ][a-zåäöéüß]+(?:[ -][A-ZÅÄÖÉ][a-zåäöéüß]+)+$")


def _ser_ut_som_namn(varden: Counter) -> bool:
    """Sant när de flesta värdena är olika och ser ut som för- och efternamn ("Anna Berg").

    >>> _ser_ut_som_namn(Counter(["Anna Berg", "Per Ek", "Lisa Nord"]))
    True
    >>> _ser_ut_som_namn(Counter({"Norra Dalarna": 30, "Västerås": 12}))
    False
    """
    n = sum(varden.values())
    if n < 3 or len(varden) < 0.8 * n:
        return False
    return sum(a for v, a in varden.items() if _NAMN.match(v)) >= 0.8 * n


def foresla_kolumner(
    data: pd.DataFrame, *, beslut: Mapping[str, str] | None = None
) -> list[Kolumnforslag]:
    """Gissa vilken kolumn i ``deltagare`` varje kolumn i ``data`` motsvarar.

    Parameters
    ----------
    data : DataFrame
        Förbundets rader med förbundets rubriker som kolumnnamn och cellernas värden som de
        stod (text, tal, datum, None).
    beslut : mapping, valfri
        Rubrik -> kolumn som användaren redan bestämt (t.ex. ur en tidigare ``forbund.yaml``);
        går före gissningarna.

    Returns
    -------
    list[Kolumnforslag]
        Ett förslag per kolumn i ``data``, i samma ordning. Varje kolumn i ``deltagare`` får
        högst en av förbundets kolumner.

    Examples
    --------
    >>> d = pd.DataFrame({"Start": ["2023-01-05", "2023-02-01"], "Kön": ["K", "M"],
    ...                   "Kommentar": ["Bra", None], "Okänt": ["a", "b"]})
    >>> [(f.rubrik, f.mal, f.slag) for f in foresla_kolumner(d)]
    [('Start', 'inskrivningsdatum', 'mappad'), ('Kön', 'kon', 'mappad'), ('Kommentar', None, 'fritext'), ('Okänt', None, 'okand')]
    """  # noqa: E501
    beslut = dict(beslut or {})
    beslut_norm = {normalisera(k): v for k, v in beslut.items()}
    kolumner = [str(k) for k in data.columns]
    profiler: dict[str, Profil] = {}
    varden: dict[str, Counter] = {}
    for k in kolumner:
        serie = data[k].tolist()
        profiler[k] = profilera(serie)
        varden[k] = Counter(_text(v) for v in serie if not ar_tom(v))

    fasta: dict[str, Kolumnforslag] = {}
    kandidater: list[tuple[float, int, str, str, str]] = []
    nara_miss: dict[str, tuple[str, float, str]] = {}
    for i, k in enumerate(kolumner):
        fast = _fast_forslag(k, profiler[k], varden[k], beslut, beslut_norm)
        if fast is not None:
            fasta[k] = fast
        else:
            kandidater += _kandidater(i, k, profiler[k], varden[k], nara_miss)

    upptagna = {f.mal for f in fasta.values() if f.mal}
    valda: dict[str, Kolumnforslag] = {}
    for poang, _, k, mal, grund in sorted(kandidater, reverse=True):
        if k in valda or k in fasta or mal in upptagna:
            continue
        valda[k] = Kolumnforslag(k, mal, round(poang, 2), grund, "mappad", profiler[k].antal)
        upptagna.add(mal)

    # två datumkolumner utan begripliga rubriker: den tidigare är start, den senare slut
    fria_datum = [
        k for k in kolumner
        if k not in valda and k not in fasta and profiler[k].datum >= 0.8
    ]  # fmt: skip
    if len(fria_datum) == 2 and not set(DATUMKOLUMNER) & upptagna:
        valda.update(_start_och_slut(data, *fria_datum, profiler))
    # "Datum" och "Datum": den ena gissades som start bara på rubriken "Datum", den andra
    # blev över; de två avgörs då som två datumkolumner utan begripliga rubriker
    svag_start = [
        k for k, f in valda.items() if f.mal == "inskrivningsdatum" and f.poang < 0.7
    ]  # fmt: skip
    if (
        len(fria_datum) == 1 and svag_start and "avslutsdatum" not in upptagna
        and re.sub(r" \(\d+\)$", "", fria_datum[0]) in (svag_start[0], "")
    ):  # fmt: skip
        forsta, andra = sorted([svag_start[0], fria_datum[0]], key=kolumner.index)
        valda.update(_start_och_slut(data, forsta, andra, profiler))
    return [
        fasta.get(k) or valda.get(k) or _ej_mappad(k, profiler[k], nara_miss.get(k))
        for k in kolumner
    ]


def _fast_forslag(
    k: str,
    p: Profil,
    varden: Counter,
    beslut: Mapping[str, str],
    beslut_norm: Mapping[str, str],
) -> Kolumnforslag | None:
    """Förslaget som inte gissas: användarens val, personuppgifter och fritext; annars None."""
    norm = normalisera(k)
    if k in beslut or norm in beslut_norm:
        mal = beslut.get(k) or beslut_norm[norm]
        return Kolumnforslag(k, mal, 1.0, "ert val i forbund.yaml", "mappad", p.antal)
    if PERSONUPPGIFT.search(norm):
        return Kolumnforslag(
            k, None, 0.0, "personuppgift: kopieras aldrig", "personuppgift", p.antal
        )
    if FRITEXT.search(norm):
        return Kolumnforslag(k, None, 0.0, "fritext: kopieras inte", "fritext", p.antal)
    if _ser_ut_som_namn(varden):
        return Kolumnforslag(
            k, None, 0.0, "värdena ser ut som namn: personuppgift, kopieras aldrig",
            "personuppgift", p.antal,
        )  # fmt: skip
    return None


def _kandidater(
    i: int, k: str, p: Profil, varden: Counter, nara_miss: dict[str, tuple[str, float, str]]
) -> list[tuple[float, int, str, str, str]]:
    """Kolumnens möjliga mål ``(poäng, −i, rubrik, mål, grund)`` efter rubriken och värdena.

    En rubrik som passar ett mål vars värden inte passar hamnar i ``nara_miss`` (det bästa)."""
    ut = []
    for mal in RUBRIKER:
        rpoang, _ = rubrikpoang(k, mal)
        vpoang, vgrund = vardepoang(mal, p, varden, rubrik=k)
        if rpoang >= 0.9 and mal in _KODLISTA_FOR and vpoang < 0.2 and ar_koder(varden):
            # rubriken är säker men värdena är koder ("1", "2") som bara förbundet vet vad de
            # betyder: mappa kolumnen, och låt varje kod stå som INTE MAPPAD under kategorier
            koder = ", ".join(sorted(varden, key=lambda v: (len(v), v))[:6])
            ut.append((
                0.45, -i, k, mal,
                f'rubriken "{k}"; värdena är koder ({koder}) som ny inte vet vad de betyder: '
                "skriv det under kategorier",
            ))  # fmt: skip
            continue
        if rpoang > 0 and p.antal and vpoang < 0.2 and mal not in DATUMKOLUMNER:
            # rubriken passar men nästan inga värden: hellre ingen mappning än en fel
            if rpoang > nara_miss.get(k, ("", 0.0, ""))[1]:
                nara_miss[k] = (mal, rpoang, vgrund)
            continue
        if rpoang > 0:
            poang = rpoang * (0.4 + 0.6 * vpoang) if p.antal else rpoang * 0.6
            grund = f'rubriken "{k}"' + (f"; {vgrund}" if vgrund and p.antal else "")
        elif mal in _VARDEBASERADE and vpoang >= 0.8 and p.olika >= 2:
            poang = 0.45 * vpoang
            grund = f"rubriken säger inget, men {vgrund}"
        else:
            continue
        if poang >= 0.3:
            ut.append((poang, -i, k, mal, grund))
    return ut


def ar_koder(varden: Mapping[str, int]) -> bool:
    """Sant när en kolumns olika värden är få korta koder ("1", "2", "A3"), inte ord.

    >>> ar_koder(Counter({"1": 20, "2": 25})), ar_koder(Counter({"Arbete": 3, "Studier": 2}))
    (True, False)
    """
    return 0 < len(varden) <= 20 and all(
        len(v) <= 3 and (v.isdigit() or not v.isalpha()) for v in varden
    )


_KODPAR = re.compile(r"(?<![0-9A-Za-zÅÄÖåäöÉé])([0-9A-Za-zÅÄÖåäö]{1,3})\s*[=:]\s*")


def forklaring_i_rubrik(rubrik: str) -> dict[str, str]:
    """Koderna och vad de betyder när rubriken förklarar dem ("Kön (1=man, 2=kvinna)").

    >>> forklaring_i_rubrik("Kön (1=man, 2=kvinna)")
    {'1': 'man', '2': 'kvinna'}
    >>> forklaring_i_rubrik("Orsak 1: Arbete 2: Studier 3: Annat")
    {'1': 'Arbete', '2': 'Studier', '3': 'Annat'}
    >>> forklaring_i_rubrik("Avslut: orsak"), forklaring_i_rubrik("Datum (åååå-mm-dd)")
    ({}, {})
    """
    delar = list(_KODPAR.finditer(rubrik))
    if len(delar) < 2:
        return {}
    ut: dict[str, str] = {}
    for m, nasta in zip(delar, [*delar[1:], None], strict=True):
        etikett = rubrik[m.end() : nasta.start() if nasta else len(rubrik)]
        etikett = re.sub(r"\s+", " ", etikett).strip(" ,;/()[]\n")
        if not etikett or m.group(1) in ut:
            return {}
        ut[m.group(1)] = etikett
    return ut


def _start_och_slut(
    data: pd.DataFrame, forsta: str, andra: str, profiler: Mapping[str, Profil]
) -> dict[str, Kolumnforslag]:
    """Två datumkolumner utan begripliga rubriker: den som oftast kommer först är start."""
    tidigare = sum(
        1 for a, b in zip(data[forsta], data[andra], strict=True)
        if tolka_datum(a) and tolka_datum(b) and tolka_datum(a) <= tolka_datum(b)
    )  # fmt: skip
    if tidigare < profiler[andra].antal / 2:
        forsta, andra = andra, forsta
    return {
        k: Kolumnforslag(
            k, mal, 0.5, f'två datumkolumner: "{forsta}" kommer före "{andra}"', "mappad",
            profiler[k].antal,
        )  # fmt: skip
        for k, mal in ((forsta, "inskrivningsdatum"), (andra, "avslutsdatum"))
    }


def _ej_mappad(
    k: str, p: Profil, nara_miss: tuple[str, float, str] | None
) -> Kolumnforslag:
    """En kolumn som inget mål passar: tom, fritext, en rubrik utan passande värden eller okänd."""
    if p.antal == 0:
        return Kolumnforslag(k, None, 0.0, "kolumnen är tom", "tom", 0)
    if p.medellangd > 30 and p.olika > p.antal / 2:
        return Kolumnforslag(k, None, 0.0, "fritext: kopieras inte", "fritext", p.antal)
    if re.search(r"alder.*(grupp|klass|intervall|kategori)", normalisera(k)):
        return Kolumnforslag(
            k, None, 0.0, "åldersgrupper: datamodellen behöver ålder eller födelseår, och en "
            "grupp går inte att göra om till det; kopieras inte", "okand", p.antal,
        )  # fmt: skip
    if nara_miss is not None:
        mal, _, vgrund = nara_miss
        return Kolumnforslag(
            k, None, 0.0, f"rubriken liknar {mal}, men värdena passar inte ({vgrund})",
            "okand", p.antal,
        )  # fmt: skip
    # inga exempelvärden i texten: en okänd kolumn kan innehålla personuppgifter
    return Kolumnforslag(
        k, None, 0.0, f"ingen kolumn i datamodellen passar ({p.olika} olika värden)",
        "okand", p.antal,
    )  # fmt: skip


def foresla_kategorier(
    varden: Mapping[str, int], kodlista: str, *, ja_betyder: str | None = None
) -> list[tuple[str, int, str | None, str]]:
    """Förslag för varje värde i en kolumn: ``(värde, antal, kod eller None, grund)``.

    ``ja_betyder`` används för ja/nej-kolumner i ``AVSLUTSTYP`` (``"Avbruten"`` när rubriken
    frågar om avbrott, ``"Fullföljd"`` när den frågar om fullföljt).

    >>> foresla_kategorier({"K": 3, "man": 2, "?": 1}, "KON")
    [('K', 3, 'Kvinna', '"K" betyder Kvinna'), ('man', 2, 'Man', 'samma som koden (annan stavning)'), ('?', 1, None, 'saknas')]
    """  # noqa: E501
    ut = []
    for varde, antal in sorted(varden.items(), key=lambda x: (-x[1], x[0])):
        norm = normalisera(varde)
        if kodlista == "AVSLUTSTYP" and ja_betyder and norm in JA | NEJ:
            motsats = "Fullföljd" if ja_betyder == "Avbruten" else "Avbruten"
            kod = ja_betyder if norm in JA else motsats
            ut.append((varde, antal, kod, f'"{varde}" i en ja/nej-kolumn: {kod}'))
            continue
        kod, grund = tolka_kategori(varde, kodlista)
        ut.append((varde, antal, kod, grund))
    return ut


def ja_betyder(rubrik: str) -> str:
    """Vad "Ja" betyder i en ja/nej-kolumn om avslutet (ur rubriken).

    >>> ja_betyder("Avbrott (Ja/Nej)"), ja_betyder("Fullföljt enligt plan")
    ('Avbruten', 'Fullföljd')
    """
    norm = normalisera(rubrik)
    if re.search(r"fullfolj|planerat|enligt_plan|genomford|genomfort", norm) and not re.search(
        r"oplanerat", norm
    ):
        return "Fullföljd"
    return "Avbruten"


def sortera_efter_schema(kolumner: Sequence[str]) -> list[str]:
    """Kolumnerna i datamodellens ordning (okända sist).

    >>> sortera_efter_schema(["kon", "deltagare_id"])
    ['deltagare_id', 'kon']
    """
    from finsam_analys.indata.scheman import TABELLER

    ordning = {k: i for i, k in enumerate(TABELLER["deltagare"].kolumnnamn)}
    return sorted(kolumner, key=lambda k: ordning.get(k, len(ordning)))
