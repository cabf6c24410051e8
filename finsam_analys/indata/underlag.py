"""Ett förbunds validerade underlag: konfiguration och städade tabeller.

``Underlag`` skapas av ``inlasning.las_forbund``; ``Forbundskonfig`` tolkar ``forbund.yaml``.

>>> konfig, problem = Forbundskonfig.fran_dict(
...     {"id": "test", "namn": "Testförbundet", "kommuner": ["Avesta"],
...      "insatser": ["Team"], "perioder": ["2019"]})
>>> problem
[]
>>> konfig.sekretess.troskel
5
>>> import pandas as pd
>>> u = Underlag(katalog=Path("data/test"), konfig=konfig,
...              tabeller={"avslut": pd.DataFrame({"antal": [1, 2]})})
>>> u.har("avslut"), u.har("deltagare")
(True, False)
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd

from finsam_analys.indata.scheman import (
    FILNYCKLAR,
    KALLNYCKLAR,
    KONFIGSCHEMA,
    PERIODMONSTER,
    SEKRETESSNYCKLAR,
    TABELLER,
)
from finsam_analys.perioder import Rapportperiod

MINSTA_TROSKEL = 3
"""Lägsta sekretessgräns för en rapport som lämnar förbundet (lägre kräver ``intern: true``)."""


@dataclass(frozen=True)
class Sekretess:
    """Sekretessregler: minsta antal som visas, minsta nämnare för andelar, intern rapport.

    ``maskera`` säger om små antal maskas: ``None`` (standard) betyder ja, utom för ett
    underlag som redan är publicerat (``publicerad: true``): talen i det står redan i
    förbundets tryckta rapporter, och att visa dem igen röjer ingenting. Förbundet kan slå på
    maskeringen även där (``maskera: true``). ``avstangd`` är sant när inget maskas (intern
    rapport eller ``maskera: false``).

    Examples
    --------
    >>> Sekretess().avstangd, Sekretess(intern=True).avstangd, Sekretess(maskera=False).avstangd
    (False, True, True)
    """

    troskel: int = 5
    namnare_troskel: int = 10
    intern: bool = False
    maskera: bool | None = None

    @property
    def avstangd(self) -> bool:
        """Sant om ingenting maskas (intern rapport eller maskering avslagen)."""
        return bool(self.intern or self.maskera is False)


@dataclass(frozen=True)
class Kalla:
    """En datakälla (t.ex. en publicerad rapport eller ett SCB-uttag)."""

    namn: str
    beskrivning: str = ""
    uttagsdatum: str | None = None
    url: str | None = None
    sidor: str | None = None


@dataclass(frozen=True)
class Forbundskonfig:
    """Ett förbunds konfiguration (``forbund.yaml``)."""

    id: str
    namn: str
    kommuner: tuple[str, ...]
    insatser: tuple[str, ...]
    perioder: tuple[str, ...]
    lan: str | None = None
    jamforelseperioder: Mapping[str, str] = field(default_factory=dict)
    sekretess: Sekretess = field(default_factory=Sekretess)
    trappa: tuple[str, ...] = ()
    publicerad: bool = False
    syntetisk: bool = False
    kallor: tuple[Kalla, ...] = ()
    filer: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    kolumner: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    kategorier: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    beskrivning: str = ""

    @functools.cached_property
    def rapportperioder(self) -> tuple[Rapportperiod, ...]:
        """``perioder`` tolkade en gång till :class:`~finsam_analys.perioder.Rapportperiod`.

        >>> k, _ = Forbundskonfig.fran_dict({"id": "x", "namn": "X", "kommuner": ["A"],
        ...     "insatser": ["T"], "perioder": ["2019", "2021-01–2021-08"]})
        >>> [p.kod for p in k.rapportperioder]
        ['2019', '2021-01..2021-08']
        """
        return tuple(Rapportperiod.tolka(p) for p in self.perioder)

    @classmethod
    def fran_dict(cls, data: Any) -> tuple[Forbundskonfig | None, list[str]]:
        """Tolka en inläst YAML-struktur; returnerar (konfig eller None, svenska problem).

        Alla problem samlas (okända nycklar, saknade nycklar, fel typer, ogiltiga perioder).

        >>> k, p = Forbundskonfig.fran_dict({"id": "x", "namn": "X", "kommun": ["A"]})
        >>> k is None
        True
        >>> print(p[0][:50])
        okänd nyckel "kommun" – menade du "kommuner"? (kän
        """
        problem: list[str] = []
        if not isinstance(data, Mapping):
            typ = "tom" if data is None else f"en {_typnamn(data)}"
            return None, [f"konfigurationen ska vara en samling nycklar, men filen är {typ}"]
        kanda = ", ".join(sorted(KONFIGSCHEMA))
        for nyckel in data:
            if nyckel not in KONFIGSCHEMA:
                tips = forslag(nyckel, KONFIGSCHEMA)
                problem.append(f'okänd nyckel "{nyckel}"{tips} (kända nycklar: {kanda})')
        for nyckel, defn in KONFIGSCHEMA.items():
            if defn.obligatorisk and (nyckel not in data or data[nyckel] in (None, "", [])):
                problem.append(f'nyckeln "{nyckel}" saknas ({defn.beskrivning})')

        varden: dict[str, Any] = {}
        for nyckel, defn in KONFIGSCHEMA.items():
            if nyckel not in data or data[nyckel] is None:
                continue
            varde, fel = _tolka_nyckel(defn.typ, nyckel, data[nyckel])
            problem.extend(fel)
            if not fel:
                varden[nyckel] = varde
        sekretess = varden.get("sekretess")
        if (
            sekretess is not None
            and sekretess.maskera is False
            and not sekretess.intern
            and not varden.get("publicerad", False)
        ):
            problem.append(
                '"sekretess.maskera: false" gäller bara ett underlag som redan är publicerat '
                "(publicerad: true); för en rapport som inte ska spridas, skriv "
                '"sekretess.intern: true"'
            )
        if problem:
            return None, problem
        return cls(**varden), []


def forslag(namn: Any, kanda: Any) -> str:
    """Text med närmaste kända namn, t.ex. ' – menade du "kommuner"?', eller ''.

    >>> forslag("Kvina", ["Kvinna", "Man"])
    ' – menade du "Kvinna"?'
    """
    narmast = difflib.get_close_matches(str(namn), [str(k) for k in kanda], n=1, cutoff=0.75)
    return f' – menade du "{narmast[0]}"?' if narmast else ""


def _typnamn(varde: Any) -> str:
    if isinstance(varde, str):
        return "text"
    if isinstance(varde, bool):
        return "sanningsvärde"
    if isinstance(varde, (int, float)):
        return "siffra"
    if isinstance(varde, list):
        return "lista"
    if isinstance(varde, Mapping):
        return "samling nycklar"
    return type(varde).__name__


def _text(varde: Any) -> str | None:
    if isinstance(varde, bool) or varde is None:
        return None
    if isinstance(varde, (str, int)):
        return str(varde).strip()
    if isinstance(varde, dt.date):
        return varde.isoformat()
    return None


def _tolka_text(nyckel: str, varde: Any) -> tuple[Any, list[str]]:
    t = _text(varde)
    if t is None:
        return None, [f'"{nyckel}" ska vara en text, inte en {_typnamn(varde)}']
    return t, []


def _tolka_bool(nyckel: str, varde: Any) -> tuple[Any, list[str]]:
    if not isinstance(varde, bool):
        return None, [f'"{nyckel}" ska vara true eller false, inte "{varde}"']
    return varde, []


def _tolka_lista(nyckel: str, varde: Any, *, perioder: bool = False) -> tuple[Any, list[str]]:
    """En lista med texter (en enda text blir en lista); ``perioder``: giltiga periodkoder."""
    if isinstance(varde, (str, int)) and not isinstance(varde, bool):
        varde = [varde]
    if not isinstance(varde, list):
        return None, [f'"{nyckel}" ska vara en lista, inte en {_typnamn(varde)}']
    fel: list[str] = []
    ut = []
    for i, v in enumerate(varde, start=1):
        t = _text(v)
        if t is None or t == "":
            fel.append(f'"{nyckel}", element {i}: förväntade en text, fick {_typnamn(v)}')
        elif perioder and not _giltig_period(t):
            fel.append(f'"{nyckel}": "{t}" är ingen giltig periodkod {_PERIODEXEMPEL}')
        else:
            ut.append(t)
    return tuple(ut), fel


def _tolka_lista_period(nyckel: str, varde: Any) -> tuple[Any, list[str]]:
    return _tolka_lista(nyckel, varde, perioder=True)


def _tolka_period_till_period(nyckel: str, varde: Any) -> tuple[Any, list[str]]:
    if not isinstance(varde, Mapping):
        return None, [f'"{nyckel}" ska vara period: jämförelseperiod, inte {_typnamn(varde)}']
    fel: list[str] = []
    ut: dict[str, str] = {}
    for k, v in varde.items():
        tk, tv = _text(k), _text(v)
        for t in (tk, tv):
            if t is None or not _giltig_period(t):
                fel.append(f'"{nyckel}": "{t}" är ingen giltig periodkod {_PERIODEXEMPEL}')
        if tk and tv:
            ut[tk] = tv
    return MappingProxyType(ut), fel


def _sekretessvarde_fel(nyckel: str, k: str, v: Any) -> str | None:
    """Felet för ``sekretess.<k>: v`` (okänd nyckel eller fel typ), annars None."""
    if k not in SEKRETESSNYCKLAR:
        return f'okänd nyckel "{nyckel}.{k}" (kända: {", ".join(SEKRETESSNYCKLAR)})'
    forv = SEKRETESSNYCKLAR[k]
    if forv is int and (isinstance(v, bool) or not isinstance(v, int) or v < 0):
        return f'"{nyckel}.{k}" ska vara ett heltal ≥ 0, inte "{v}"'
    if forv is bool and not isinstance(v, bool):
        return f'"{nyckel}.{k}" ska vara true eller false, inte "{v}"'
    return None


def _tolka_sekretess(nyckel: str, varde: Any) -> tuple[Any, list[str]]:
    if not isinstance(varde, Mapping):
        return None, [f'"{nyckel}" ska ha nycklarna {", ".join(SEKRETESSNYCKLAR)}']
    fel: list[str] = []
    arg: dict[str, Any] = {}
    for k, v in varde.items():
        problem = _sekretessvarde_fel(nyckel, k, v)
        if problem is None:
            arg[k] = v
        else:
            fel.append(problem)
    regler = Sekretess(**arg)
    if not fel and regler.troskel < MINSTA_TROSKEL and not regler.intern:
        fel.append(
            f'"{nyckel}.troskel" är {regler.troskel}: en gräns under {MINSTA_TROSKEL} visar '
            "antal som kan peka ut enskilda personer och kräver \"intern: true\" (rapporten "
            "är då bara för internt bruk och lämnar inte förbundet)"
        )
    return regler, fel


def _tolka_kalla(nyckel: str, i: int, v: Any, fel: list[str]) -> Kalla | None:
    """Källa nummer ``i`` (text eller samling nycklar); problemen läggs i ``fel``."""
    if isinstance(v, str):
        return Kalla(namn=v)
    if not isinstance(v, Mapping) or "namn" not in v:
        fel.append(f'"{nyckel}", källa {i}: ska ha minst nyckeln "namn"')
        return None
    okanda = [k for k in v if k not in KALLNYCKLAR]
    for k in okanda:
        fel.append(f'okänd nyckel "{nyckel}[{i}].{k}" (kända: {", ".join(KALLNYCKLAR)})')
    uttag = _text(v.get("uttagsdatum"))
    if uttag:  # körningen vägrar perioder efter uttaget: datumet måste gå att läsa
        try:
            dt.date.fromisoformat(uttag[:10])
        except ValueError:
            fel.append(
                f'"{nyckel}[{i}].uttagsdatum" ska vara ett datum ÅÅÅÅ-MM-DD, '
                f'inte "{uttag[:40]}"'
            )
            return None
    if okanda:
        return None
    return Kalla(**{k: _text(x) or "" for k, x in v.items()})


def _tolka_kallor(nyckel: str, varde: Any) -> tuple[Any, list[str]]:
    if not isinstance(varde, list):
        varde = [varde]
    fel: list[str] = []
    kallor = [_tolka_kalla(nyckel, i, v, fel) for i, v in enumerate(varde, start=1)]
    return tuple(k for k in kallor if k is not None), fel


def _tolka_filer(nyckel: str, varde: Any) -> tuple[Any, list[str]]:
    if not isinstance(varde, Mapping):
        return None, [f'"{nyckel}" ska vara tabell: {{fil: ..., blad: ...}}']
    fel: list[str] = []
    ut: dict[str, Mapping[str, str]] = {}
    for tabell, v in varde.items():
        if tabell not in TABELLER:
            fel.append(_okand_tabell(nyckel, tabell))
            continue
        if isinstance(v, str):
            v = {"fil": v}
        if not isinstance(v, Mapping) or "fil" not in v:
            fel.append(f'"{nyckel}.{tabell}" ska ha nyckeln "fil" (och valfritt "blad")')
            continue
        for k in v:
            if k not in FILNYCKLAR:
                fel.append(
                    f'okänd nyckel "{nyckel}.{tabell}.{k}" (kända: {", ".join(FILNYCKLAR)})'
                )
        ut[tabell] = MappingProxyType({k: str(x) for k, x in v.items()})
    return MappingProxyType(ut), fel


def _tolka_mappningspar(
    nyckel: str, k: Any, fran: Any, till: Any, fel: list[str]
) -> tuple[str, str | None] | None:
    """Ett par ``deras namn: vårt namn`` under ``<nyckel>.<k>``; None (och ett fel) om fel."""
    tf, tt = _text(fran), _text(till)
    if nyckel == "kategorier" and till is None and tf is not None:
        return tf, None  # null: etiketten betyder att uppgiften saknas
    if tf is None or tt is None:
        fel.append(f'"{nyckel}.{k}": "{fran}: {till}" ska vara text: text')
        return None
    if nyckel == "kolumner" and TABELLER[k].kolumndef(tt) is None:
        fel.append(
            f'"{nyckel}.{k}": "{tf}" mappas till "{tt}", som inte är en kolumn i '
            f"tabellen {k} (kända: {', '.join(TABELLER[k].kolumnnamn)})"
        )
        return None
    return tf, tt


def _tolka_mappning(nyckel: str, varde: Any) -> tuple[Any, list[str]]:
    if not isinstance(varde, Mapping):
        return None, [f'"{nyckel}" ska vara en samling nycklar, inte {_typnamn(varde)}']
    fel: list[str] = []
    ut: dict[str, Mapping[str, str]] = {}
    for k, v in varde.items():
        if nyckel == "kolumner" and k not in TABELLER:
            fel.append(_okand_tabell(nyckel, k))
            continue
        if v is None:  # en tom rubrik (t.ex. när alla rader under den är bortkommenterade)
            ut[str(k)] = MappingProxyType({})
            continue
        if not isinstance(v, Mapping):
            fel.append(f'"{nyckel}.{k}" ska vara "deras namn": vårt namn')
            continue
        par = (_tolka_mappningspar(nyckel, k, fran, till, fel) for fran, till in v.items())
        ut[str(k)] = MappingProxyType(dict(p for p in par if p is not None))
    return MappingProxyType(ut), fel


# konfigschemats typ (scheman.Konfignyckel.typ) -> tolkning av värdet: (värde, fel)
_TOLKARE: dict[str, Callable[[str, Any], tuple[Any, list[str]]]] = {
    "text": _tolka_text,
    "bool": _tolka_bool,
    "lista_text": _tolka_lista,
    "lista_period": _tolka_lista_period,
    "period_till_period": _tolka_period_till_period,
    "sekretess": _tolka_sekretess,
    "kallor": _tolka_kallor,
    "filer": _tolka_filer,
    "mappning": _tolka_mappning,
}


def _tolka_nyckel(typ: str, nyckel: str, varde: Any) -> tuple[Any, list[str]]:
    return _TOLKARE[typ](nyckel, varde)


_PERIODEXEMPEL = '(t.ex. "2019", "2021-01..2021-08" eller "2015-07..2016-06")'


def _okand_tabell(nyckel: str, tabell: Any) -> str:
    return f'"{nyckel}": okänd tabell "{tabell}" (kända tabeller: {", ".join(sorted(TABELLER))})'


def _giltig_period(text: str) -> bool:
    try:
        from finsam_analys.perioder import Rapportperiod
    except ImportError:  # pragma: no cover
        return bool(PERIODMONSTER.fullmatch(text))
    try:
        Rapportperiod.tolka(text)
    except (ValueError, TypeError):
        return False
    return True


@dataclass(frozen=True)
class Underlag:
    """Ett förbunds validerade underlag.

    ``tabeller`` innehåller bara tabeller som fanns i katalogen. ``tabell`` returnerar en ny
    kopia varje gång, så att ingen kan ändra underlaget av misstag. ``publicerade`` är
    tabellerna i ``publicerat/`` som de är tryckta
    (:class:`~finsam_analys.indata.publicerat.PubliceradTabell`, i beskrivningsfilens
    ordning) och ``pastaenden`` påståendena i ``granskning_pastaenden.csv`` (None om filen
    saknas).
    """

    katalog: Path
    konfig: Forbundskonfig
    tabeller: Mapping[str, pd.DataFrame]
    filer: Mapping[str, str] = field(default_factory=dict)
    publicerade: tuple[Any, ...] = ()
    pastaenden: pd.DataFrame | None = None
    rapportspec: Any = None
    """Förbundets ``rapport.yaml`` (:class:`~finsam_analys.indata.rapportspec.Rapportspec`),
    eller None: standardrapporten."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "tabeller", MappingProxyType(dict(self.tabeller)))
        object.__setattr__(self, "filer", MappingProxyType(dict(self.filer)))

    def tabell(self, namn: str) -> pd.DataFrame | None:
        """En kopia av tabellen, eller None om förbundet saknar den."""
        df = self.tabeller.get(namn)
        return None if df is None else df.copy()

    def har(self, namn: str) -> bool:
        """Sant om förbundet har tabellen (med minst en rad)."""
        df = self.tabeller.get(namn)
        return df is not None and len(df) > 0

    def sammanfattning(self) -> str:
        """Svensk sammanfattning: förbundet, perioderna och en rad per tabell.

        >>> k, _ = Forbundskonfig.fran_dict({"id": "x", "namn": "X", "kommuner": ["A"],
        ...                                  "insatser": ["T"], "perioder": ["2019"]})
        >>> print(Underlag(Path("x"), k, {"avslut": pd.DataFrame({"a": [1]})}).sammanfattning())
        X (x): 1 tabell, perioder 2019
          avslut: 1 rad
        """
        k = self.konfig
        antal = len(self.tabeller)
        rader = [
            f"{k.namn} ({k.id}): {antal} {'tabell' if antal == 1 else 'tabeller'}, "
            f"perioder {', '.join(k.perioder)}"
        ]
        for namn in sorted(self.tabeller):
            n = len(self.tabeller[namn])
            fil = f" ({self.filer[namn]})" if namn in self.filer else ""
            rader.append(f"  {namn}: {n} {'rad' if n == 1 else 'rader'}{fil}")
        if self.publicerade:
            n = len(self.publicerade)
            rader.append(f"  publicerat: {n} {'tryckt tabell' if n == 1 else 'tryckta tabeller'}")
            rader += [f"    {t.id}: {t.titel} ({t.referens})" for t in self.publicerade]
        if self.pastaenden is not None:
            n = len(self.pastaenden)
            ord_ = "påstående" if n == 1 else "påståenden"
            rader.append(f"  granskning_pastaenden.csv: {n} {ord_}")
        spec = self.rapportspec
        if spec is not None:
            texter = {t.fil for p in spec.perioder.values() for t in p.texter()}
            hanv = sum(len(p.hanvisningar()) for p in spec.perioder.values())
            rader.append(
                f"  rapport.yaml: {', '.join(spec.perioder) or 'inga perioder'}; "
                f"{len(texter)} {'text' if len(texter) == 1 else 'texter'}, "
                f"{hanv} {'hänvisning' if hanv == 1 else 'hänvisningar'} till nyckeltal"
            )
        return "\n".join(rader)
