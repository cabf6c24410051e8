"""Personnummerspärr: hitta celler som ser ut som svenska person- eller samordningsnummer.

En cell räknas som träff om den innehåller 10 eller 12 siffror i följd (med eller utan ``-``
eller ``+`` före de fyra sista), med giltig kontrollsiffra (Luhn) och ett rimligt datum
(samordningsnummer: dag + 60). Tal som Excel har gjort om till heltal eller flyttal
kontrolleras också. Funktionerna returnerar aldrig själva värdet, bara var det finns.

Sökningen är vektoriserad: ett reguljärt uttryck på hela kolumner först, kontrollsiffra och
datum bara på träffarna.

>>> ar_personnummer("19121212-1212")
True
>>> ar_personnummer("191212121213")
False
>>> import pandas as pd
>>> celler_med_personnummer(pd.DataFrame({"id": ["a", "121212-1212", "b"], "x": [1, 2, 3]}))
{'id': [1]}
"""

from __future__ import annotations

import functools
import re
from typing import Any

import numpy as np
import pandas as pd

# 6 eller 8 siffror, valfritt - eller +, 4 siffror; inga siffror direkt före eller efter.
_KANDIDAT = r"(?<![0-9])(?:[0-9]{2})?[0-9]{6}[-+]?[0-9]{4}(?![0-9])"
_KANDIDAT_RE = re.compile(_KANDIDAT)
_GRUPPER_RE = re.compile(r"(?<![0-9])((?:[0-9]{2})?)([0-9]{6})[-+]?([0-9]{4})(?![0-9])")
_DAGAR_I_MANAD = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
ERSATTNING = "[personnummer borttaget]"


def luhn_giltig(tio_siffror: str) -> bool:
    """Sant om den tionde siffran är rätt kontrollsiffra (Luhn) för de nio första.

    >>> luhn_giltig("1212121212")
    True
    >>> luhn_giltig("1212121213")
    False
    """
    if len(tio_siffror) != 10 or not tio_siffror.isdigit():
        return False
    summa = 0
    for i, tecken in enumerate(tio_siffror[:9]):
        produkt = int(tecken) * (2 if i % 2 == 0 else 1)
        summa += produkt // 10 + produkt % 10
    return (10 - summa % 10) % 10 == int(tio_siffror[9])


def _rimligt_datum(sekel: str, yymmdd: str) -> bool:
    ar2, manad, dag = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6])
    if dag > 60:  # samordningsnummer
        dag -= 60
    if not 1 <= manad <= 12 or dag < 1 or dag > _DAGAR_I_MANAD[manad - 1]:
        return False
    if sekel:
        ar = int(sekel + yymmdd[:2])
        if not 1850 <= ar <= 2099:
            return False
        skottar = ar % 4 == 0 and (ar % 100 != 0 or ar % 400 == 0)
    else:
        skottar = ar2 % 4 == 0
    return not (manad == 2 and dag == 29 and not skottar)


def _har_nummer(text: str) -> bool:
    for sekel, datum, sista in _GRUPPER_RE.findall(text):
        if luhn_giltig(datum + sista) and _rimligt_datum(sekel, datum):
            return True
    return False


# ---- förklädda nummer: andra siffror, osynliga tecken och andra streck mellan siffrorna
#
# "19121212-1212" kan skrivas så att det ser likadant ut men inte är samma tecken: med
# helbreddssiffror (１９１２…) eller andra skripts siffror, med osynliga tecken mellan siffrorna
# (nollbreddsmellanslag U+200B, mjukt bindestreck U+00AD, riktningsmarkeringar) eller med ett
# annat streck (tankstreck, minustecken, icke-brytande bindestreck). Spärren och vakten läser
# därför en följd av siffror och sådana tecken som den skulle se ut: siffrorna som 0–9, de
# osynliga tecknen borttagna och strecken som "-".


@functools.cache
def _forkladnad() -> tuple[re.Pattern[str], re.Pattern[str], dict[int, str | None]]:
    """(tecken som kan förkläda ett nummer, en följd av siffror och sådana tecken, tabellen
    som gör följden till vanliga siffror och bindestreck). Byggs första gången den behövs."""
    import unicodedata

    siffror, osynliga, streck = [], [], []
    # BMP och SMP (där finns alla siffror och streck) och taggtecknen (osynliga)
    for kod in (*range(0x80, 0x20000), *range(0xE0000, 0xE0080)):
        kategori = unicodedata.category(chr(kod))
        if kategori == "Nd":
            siffror.append(kod)
        elif kategori == "Cf":
            osynliga.append(kod)
        elif kategori == "Pd":
            streck.append(kod)
    streck += [0x2212, 0xFE62, 0xFF0B]  # minustecken, små och breda plus

    def klass(koder: list[int]) -> str:
        return "".join(re.escape(chr(k)) for k in koder)

    tabell: dict[int, str | None] = {k: str(unicodedata.decimal(chr(k))) for k in siffror}
    tabell.update(dict.fromkeys(osynliga))
    tabell.update({k: "+" if k in (0xFE62, 0xFF0B) else "-" for k in streck})
    siffra = f"[0-9{klass(siffror)}]"
    mellan = f"[-+{klass(osynliga)}{klass(streck)}]"
    forkladda = re.compile(f"[{klass(siffror)}{klass(osynliga)}{klass(streck)}]")
    foljd = re.compile(f"{siffra}(?:{mellan}*{siffra}){{9,}}")
    return forkladda, foljd, tabell


@functools.cache
def _forkladda_tecken() -> frozenset[str]:
    """Tecknen som kan förkläda ett nummer, som mängd: samma tecken som det första uttrycket
    från :func:`_forkladnad` hittar (tabellens nycklar), men snabbare att pröva mot en text."""
    return frozenset(map(chr, _forkladnad()[2]))


def _forkladda_nummer(text: str) -> list[re.Match[str]]:
    """Följder i texten som är ett nummer när de läses som de ser ut (se ovan)."""
    if text.isascii():
        return []
    forkladda, foljd, tabell = _forkladnad()
    if not forkladda.search(text):
        return []
    return [m for m in foljd.finditer(text) if _har_nummer(m.group(0).translate(tabell))]


def ar_personnummer(varde: Any) -> bool:
    """Sant om värdet innehåller något som ser ut som ett person- eller samordningsnummer.

    Också ett förklätt nummer räknas: andra siffror, osynliga tecken eller ett annat streck.

    >>> ar_personnummer("701063-2391")  # samordningsnummer (dag 63 = 3 + 60)
    True
    >>> ar_personnummer(191212121212)
    True
    >>> ar_personnummer("2019-01-31")
    False
    >>> ar_personnummer("19121212\u2013121\u200b2"), ar_personnummer("１９１２１２１２-１２１２")
    (True, True)
    """
    text = _som_text(varde)
    if text is None:
        return False
    return _har_nummer(text) or bool(_forkladda_nummer(text))


def _som_text(varde: Any) -> str | None:
    if varde is None or isinstance(varde, bool):
        return None
    if isinstance(varde, (int, np.integer)):
        return _heltal_som_text(int(varde))
    if isinstance(varde, (float, np.floating)):
        if not np.isfinite(varde) or varde != int(varde):
            return str(varde)
        return _heltal_som_text(int(varde))
    if isinstance(varde, str):
        return varde
    return None


def _heltal_som_text(tal: int) -> str:
    text = str(abs(tal))
    # Excel tappar den inledande nollan för födda 2000–2009 (0512121234 -> 512121234)
    return text.zfill(10) if len(text) == 9 else text


def _textserie(serie: pd.Series) -> pd.Series | None:
    """Kolumnen som text (tal som heltalstext), eller None om den inte kan innehålla träffar."""
    if pd.api.types.is_bool_dtype(serie) or pd.api.types.is_datetime64_any_dtype(serie):
        return None
    if pd.api.types.is_integer_dtype(serie) or pd.api.types.is_float_dtype(serie):
        varden = pd.to_numeric(serie, errors="coerce").astype("float64")
        stor = varden.abs().between(1e8, 1e12, inclusive="left") & (varden == np.floor(varden))
        if not stor.any():
            return None
        heltal = varden.where(stor, 0).abs().astype("int64").astype("str")
        heltal = heltal.where(heltal.str.len() != 9, heltal.str.zfill(10))
        return heltal.where(stor)
    if pd.api.types.is_string_dtype(serie) and not pd.api.types.is_object_dtype(serie):
        return serie
    # objektkolumn: blandade typer (t.ex. rå Excel-celler)
    return pd.Series([_som_text(v) for v in serie], index=serie.index, dtype="str")


def _giltiga(sekel: np.ndarray, datum: np.ndarray, sista: np.ndarray) -> np.ndarray:
    """Vektoriserad kontroll av kontrollsiffra och datum för utdragna delar."""
    n = len(datum)
    if n == 0:
        return np.zeros(0, dtype=bool)
    tio = np.frombuffer("".join(datum + sista).encode("ascii"), dtype=np.uint8)
    siffror = (tio.reshape(n, 10) - 48).astype(np.int64)
    vikter = np.array([2, 1, 2, 1, 2, 1, 2, 1, 2], dtype=np.int64)
    produkt = siffror[:, :9] * vikter
    summa = (produkt // 10 + produkt % 10).sum(axis=1)
    luhn = (10 - summa % 10) % 10 == siffror[:, 9]
    ar2 = siffror[:, 0] * 10 + siffror[:, 1]
    manad = siffror[:, 2] * 10 + siffror[:, 3]
    dag = siffror[:, 4] * 10 + siffror[:, 5]
    dag = np.where(dag > 60, dag - 60, dag)
    manad_ok = (manad >= 1) & (manad <= 12)
    maxdag = np.asarray(_DAGAR_I_MANAD)[np.clip(manad, 1, 12) - 1]
    har_sekel = sekel != ""
    sekeltal = np.array([int(x) if x else 0 for x in sekel], dtype=np.int64)
    ar = sekeltal * 100 + ar2
    skottar = np.where(
        har_sekel,
        (ar % 4 == 0) & ((ar % 100 != 0) | (ar % 400 == 0)),
        ar2 % 4 == 0,
    )
    dag_ok = (dag >= 1) & (dag <= maxdag) & ~((manad == 2) & (dag == 29) & ~skottar)
    ar_ok = ~har_sekel | ((ar >= 1850) & (ar <= 2099))
    return luhn & manad_ok & dag_ok & ar_ok


_GROVT = r"[0-9]{6}[-+]?[0-9]{4}"


def _pyarrow_text(text: pd.Series) -> Any:
    """Kolumnens pyarrow-array om den är pandas text i pyarrow, annars None."""
    if isinstance(text.dtype, pd.StringDtype) and text.dtype.storage == "pyarrow":
        import pyarrow as pa

        return pa.array(text.array)
    return None


def _grova_traffar(text: pd.Series) -> np.ndarray:
    """Celler med sifferföljden :data:`_GROVT` (saknade: falskt), som en ny bool-array.

    Samma sökning som ``text.str.contains(_GROVT, regex=True, na=False)``; för text i pyarrow
    direkt i pyarrow (samma motor som pandas väljer för uttrycket, utan pandas tolkning av
    uttrycket i varje anrop).
    """
    arrow = _pyarrow_text(text)
    if arrow is None:
        return np.array(text.str.contains(_GROVT, regex=True, na=False).to_numpy(bool))
    import pyarrow.compute as pc

    traff = pc.fill_null(pc.match_substring_regex(arrow, _GROVT), False)
    return np.array(traff.to_numpy(zero_copy_only=False), dtype=bool)


def _ascii(text: pd.Series) -> np.ndarray:
    """Sant för celler med bara ASCII-tecken och för saknade (som ``str.isascii``)."""
    arrow = _pyarrow_text(text)
    if arrow is None:
        return text.str.isascii().to_numpy(dtype=bool, na_value=True)
    import pyarrow.compute as pc

    ascii_ = pc.fill_null(pc.string_is_ascii(arrow), True)
    return np.array(ascii_.to_numpy(zero_copy_only=False), dtype=bool)


def rader_med_personnummer(serie: pd.Series) -> np.ndarray:
    """Positioner (0-baserade) för celler i serien som ser ut som personnummer.

    >>> rader_med_personnummer(pd.Series(["x", "19121212-1212", None, "121212+1212"])).tolist()
    [1, 3]
    """
    text = _textserie(serie)
    if text is None:
        return np.array([], dtype=int)
    # grovt filter utan lookaround (körs i pyarrow); exakt kontroll bara på träffarna
    grov_mask = _grova_traffar(text)
    # Förklädda nummer (andra siffror, osynliga tecken, andra streck): alla tecken som kan
    # förkläda ett nummer ligger utanför ASCII, så bara celler med sådana tecken söks, och
    # följden bara där något av tecknen finns (en mängd i stället för den långa teckenklassen:
    # pandas tolkar ett uttryck på nytt i varje anrop och Pythons re provar klassen tecken för
    # tecken).
    icke_ascii = np.flatnonzero(~_ascii(text))
    if len(icke_ascii):
        tecken = _forkladda_tecken()
        foljd = _forkladnad()[1]
        for i, varde in zip(icke_ascii, text.to_numpy(dtype=object)[icke_ascii], strict=True):
            if isinstance(varde, str) and not tecken.isdisjoint(varde) and foljd.search(varde):
                grov_mask[i] = True
    grov = np.flatnonzero(grov_mask)
    traff = np.zeros(len(text), dtype=bool)
    if not len(grov):
        return np.flatnonzero(traff)
    # snabbväg: cellen är bara numret (utan annan text), vektoriserat
    kandidater = text.iloc[grov].str.strip()
    hel = kandidater.str.fullmatch(r"(?:[0-9]{2})?[0-9]{6}[-+]?[0-9]{4}").to_numpy(bool)
    if hel.any():
        siffror = kandidater[hel].str.replace(r"[-+]", "", regex=True)
        lang = (siffror.str.len() == 12).to_numpy()
        tio = siffror.str[-10:]
        traff[grov[hel]] = _giltiga(
            np.where(lang, siffror.str[:2].to_numpy(dtype=object).astype(str), ""),
            tio.str[:6].to_numpy(dtype=object).astype(str),
            tio.str[6:].to_numpy(dtype=object).astype(str),
        )
    # övriga (numret inbäddat i text, flera nummer i en cell): en i taget
    ovriga = grov[~hel]
    if len(ovriga):
        traff[ovriga] = [ar_personnummer(v) for v in text.to_numpy()[ovriga]]
    return np.flatnonzero(traff)


def celler_med_personnummer(df: pd.DataFrame) -> dict[str, list[int]]:
    """Kolumn -> positioner (0-baserade rader) med personnummerliknande värden.

    Kolumnnamnen kontrolleras inte här (se ``ar_personnummer``). Värdena returneras aldrig.

    >>> celler_med_personnummer(pd.DataFrame({"a": [1, 191212121212], "b": ["x", "y"]}))
    {'a': [1]}
    """
    ut: dict[str, list[int]] = {}
    for i, kolumn in enumerate(df.columns):
        rader = rader_med_personnummer(df.iloc[:, i])
        if len(rader):
            ut[str(kolumn)] = rader.tolist()
    return ut


def kan_innehalla_personnummer(text: str) -> bool:
    """Snabb förkontroll: har texten en sifferföljd med formen av ett nummer?

    10 eller 12 siffror i följd, eller 6 eller 8 siffror, ``-``/``+`` och 4 siffror. Räknas på
    bytes med numpy (siffror är ASCII, så följderna är desamma som i texten); det reguljära
    uttrycket körs bara när det kan finnas en träff (en HTML-rapport med inbäddade bilder är
    en halv megabyte text).

    >>> kan = kan_innehalla_personnummer
    >>> kan("x" * 5000 + "19121212-1212"), kan("2019-01-31 " * 500)
    (True, False)
    >>> kan("1" * 300), kan("x" * 300 + "121212+1212" + "x")
    (False, True)
    """
    if len(text) < 256:
        return _GROV_RE.search(text) is not None
    b = np.frombuffer(text.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    siffra = np.zeros(len(b) + 2, dtype=bool)
    siffra[1:-1] = (b - 48) < 10  # uint8: tecken före "0" slår runt till stora tal
    kanter = np.flatnonzero(siffra[1:] != siffra[:-1])
    start, slut = kanter[0::2], kanter[1::2]
    langd = slut - start
    if np.any((langd == 10) | (langd == 12)):
        return True
    forsta = np.flatnonzero((langd[:-1] == 6) | (langd[:-1] == 8))
    if not len(forsta):
        return False
    mellan = b[np.minimum(slut[forsta], len(b) - 1)]
    return bool(
        np.any(
            ((mellan == 45) | (mellan == 43))
            & (start[forsta + 1] == slut[forsta] + 1)
            & (langd[forsta + 1] == 4)
        )
    )


_GROV_RE = re.compile(r"[0-9]{6}[-+]?[0-9]{4}")


def dolj_personnummer(text: str) -> str:
    """Ersätt allt i en text som ser ut som personnummer (för felmeddelanden).

    >>> dolj_personnummer("fel i 19121212-1212 och 2019-01-31")
    'fel i [personnummer borttaget] och 2019-01-31'
    >>> dolj_personnummer("ring 19121212\u20131212 kl. 8\u201310")
    'ring [personnummer borttaget] kl. 8\u201310'
    """

    def ersatt(m: re.Match[str]) -> str:
        return ERSATTNING if ar_personnummer(m.group(0)) else m.group(0)

    if kan_innehalla_personnummer(text):
        text = _KANDIDAT_RE.sub(ersatt, text)
    for m in reversed(_forkladda_nummer(text)):  # bakifrån: platserna gäller fortfarande
        text = text[: m.start()] + ERSATTNING + text[m.end() :]
    return text
