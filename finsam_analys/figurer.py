"""Figurer för rapporten: ritar en :class:`~finsam_analys.rapportdelar.gemensamt.Figur`.

Sektionerna beskriver figurerna som data (typ, tabell, enhet, mål); här ritas de med matplotlib
(seaborns tema whitegrid, satt som rcParams utan att importera seaborn), med svenska tal på
axlarna (:func:`finsam_analys.formatering.procent_formatter`), värden utskrivna vid staplarna,
mål som streckade linjer och maskade värden
markerade ``..`` i stället för att ritas. matplotlib importeras först när en figur ritas.

:func:`som_png` ger PNG-bytes (deterministiska: ingen tidsstämpel i PNG från Agg), som
:func:`finsam_analys.tabellvisning.visa` visar med alt-text.
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["FARGER", "rita", "som_png"]

FARGER = ("#1f5f8b", "#e08a2c", "#5a9e4b", "#8c5a9e", "#b04a4a", "#6b6b6b")
"""Färgerna i ordning (färgblindvänliga nog för två–tre serier, mörka nog för utskrift)."""
_MAL_FARG = "#b00020"
_BREDD = 7.5  # tum, ungefär sidans bredd i HTML-rapporten


def _formatter(enhet: str):
    from finsam_analys.formatering import procent_formatter, tal_formatter

    return procent_formatter() if enhet == "andel" else tal_formatter()


def _text(varde: float, enhet: str, decimaler: int = 0) -> str:
    from finsam_analys.formatering import formatera_procent, formatera_tal

    if enhet == "andel":
        return formatera_procent(varde, decimaler)
    return formatera_tal(varde, 0 if abs(varde) >= 10 or float(varde).is_integer() else 1)


# seaborns tema ``set_theme(style="whitegrid", context="notebook", font_scale=0.95)`` som
# rcParams: seaborn importerar scipy.stats, och importen kostar 1–3 s i varje rapportkärna.
_SEABORN_WHITEGRID = {
    "axes.axisbelow": True,
    "axes.edgecolor": ".8",
    "axes.grid": True,
    "axes.labelcolor": ".15",
    "axes.labelsize": 11.4,
    "axes.linewidth": 1.25,
    "axes.titlesize": 11.4,
    "font.sans-serif": [
        "Arial",
        "DejaVu Sans",
        "Liberation Sans",
        "Bitstream Vera Sans",
        "sans-serif",
    ],  # fmt: skip
    "font.size": 11.4,
    "grid.color": ".8",
    "grid.linewidth": 1.0,
    "legend.fontsize": 10.45,
    "legend.title_fontsize": 11.4,
    "lines.solid_capstyle": "round",
    "patch.edgecolor": "w",
    "patch.force_edgecolor": True,
    "text.color": ".15",
    "xtick.bottom": False,
    "xtick.color": ".15",
    "xtick.labelsize": 10.45,
    "xtick.major.size": 6.0,
    "xtick.major.width": 1.25,
    "xtick.minor.size": 4.0,
    "xtick.minor.width": 1.0,
    "ytick.color": ".15",
    "ytick.labelsize": 10.45,
    "ytick.left": False,
    "ytick.major.size": 6.0,
    "ytick.major.width": 1.25,
    "ytick.minor.size": 4.0,
    "ytick.minor.width": 1.0,
}
# seaborns standardpalett "deep" (samma ordning)
_SEABORN_DEEP = ("#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3",
                 "#8c8c8c", "#ccb974", "#64b5cd")  # fmt: skip


def _tema():
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    from cycler import cycler

    plt.rcParams.update(_SEABORN_WHITEGRID)
    plt.rcParams["axes.prop_cycle"] = cycler(color=list(_SEABORN_DEEP))
    plt.rcParams.update(
        {
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titleweight": "bold",
            "axes.titlesize": 12,
            "axes.titlelocation": "left",
            "figure.dpi": 100,
            "svg.hashsalt": "finsam-analys",
        }
    )
    return plt


def _etikett(text: str, bredd: int = 38) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(str(text), bredd)) or str(text)


def _staplar(ax, data: pd.DataFrame, figur) -> None:
    etiketter = [_etikett(x) for x in data["x"]]
    y = pd.to_numeric(data["y"], errors="coerce").to_numpy(dtype="float64")
    pos = np.arange(len(y))[::-1]
    ax.barh(pos, np.nan_to_num(y), color=FARGER[0], height=0.6)
    if {"nedre", "ovre"} <= set(data.columns):
        nedre = pd.to_numeric(data["nedre"], errors="coerce").to_numpy(dtype="float64")
        ovre = pd.to_numeric(data["ovre"], errors="coerce").to_numpy(dtype="float64")
        ok = ~np.isnan(nedre) & ~np.isnan(y)
        ax.errorbar(
            y[ok], pos[ok], xerr=[y[ok] - nedre[ok], ovre[ok] - y[ok]], fmt="none",
            ecolor="#333333", elinewidth=1, capsize=3,
        )  # fmt: skip
    ax.set_yticks(pos, etiketter)
    hogsta = np.nanmax(np.concatenate([y, [0.0]])) if len(y) else 0.0
    if "ovre" in data.columns:
        hogsta = max(
            hogsta,
            np.nanmax(
                np.concatenate(
                    [pd.to_numeric(data["ovre"], errors="coerce").to_numpy(dtype="float64"), [0.0]]
                )
            ),
        )
    if "mal_y" in data.columns:
        mal = pd.to_numeric(data["mal_y"], errors="coerce").to_numpy(dtype="float64")
        for p, m in zip(pos, mal, strict=True):
            if not np.isnan(m):
                ax.plot([m, m], [p - 0.4, p + 0.4], color=_MAL_FARG, linewidth=2.5)
        hogsta = max(hogsta, np.nanmax(np.concatenate([mal, [0.0]])))
    for namn, varde in figur.mal.items():
        if varde is not None and not pd.isna(varde):
            ax.axvline(varde, color=_MAL_FARG, linestyle="--", linewidth=1.5, label=namn)
            hogsta = max(hogsta, varde)
    marginal = hogsta * 0.18 if hogsta > 0 else 1.0
    etikettplats = y.copy()
    if "ovre" in data.columns:  # etiketten efter konfidensintervallet, inte i det
        ovre = pd.to_numeric(data["ovre"], errors="coerce").to_numpy(dtype="float64")
        etikettplats = np.fmax(y, ovre)
    for p, v, x in zip(pos, y, etikettplats, strict=True):
        if np.isnan(v):
            ax.text(0, p, " .. (maskat)", va="center", ha="left", fontsize=9, color="#555555")
        else:
            etikett = _text(v, figur.enhet, figur.decimaler)
            ax.text(x + marginal * 0.05, p, etikett, va="center", fontsize=9)
    ax.set_xlim(0, hogsta + marginal if figur.enhet != "andel" else max(hogsta + marginal, 0.1))
    ax.xaxis.set_major_formatter(_formatter(figur.enhet))
    ax.grid(axis="y", visible=False)
    if figur.mal or "mal_y" in data.columns:
        from matplotlib.lines import Line2D

        handtag = [Line2D([0], [0], color=_MAL_FARG, linewidth=2, label="Mål")]
        if figur.mal:
            handtag = [Line2D([0], [0], color=_MAL_FARG, linestyle="--", label=k)
                       for k in figur.mal]  # fmt: skip
        ax.legend(
            handles=handtag, loc="lower right", bbox_to_anchor=(1.0, 1.0), frameon=False,
            fontsize=9, ncols=len(handtag),
        )  # fmt: skip


def _grupperade(ax, data: pd.DataFrame, figur) -> None:
    kategorier = list(dict.fromkeys(data["x"]))
    grupper = list(dict.fromkeys(data["grupp"]))
    bredd = 0.8 / max(len(grupper), 1)
    pos = np.arange(len(kategorier))
    for i, grupp in enumerate(grupper):
        g = data[data["grupp"] == grupp].set_index("x").reindex(kategorier)
        y = pd.to_numeric(g["y"], errors="coerce").to_numpy(dtype="float64")
        x = pos + (i - (len(grupper) - 1) / 2) * bredd
        ax.bar(x, np.nan_to_num(y), width=bredd * 0.95, label=grupp, color=FARGER[i % 6])
        for xi, v in zip(x, y, strict=True):
            etikett = ".." if np.isnan(v) else _text(v, figur.enhet, figur.decimaler)
            ax.text(xi, 0 if np.isnan(v) else v, etikett, ha="center", va="bottom", fontsize=8)
    ax.set_xticks(pos, [_etikett(k, 16) for k in kategorier])
    ax.yaxis.set_major_formatter(_formatter(figur.enhet))
    ax.legend(frameon=True, fontsize=9)
    ax.grid(axis="x", visible=False)


def _linjer(ax, data: pd.DataFrame, figur) -> None:
    grupper = list(dict.fromkeys(data["grupp"])) if "grupp" in data.columns else [None]
    numerisk = pd.api.types.is_numeric_dtype(data["x"])
    if numerisk:
        x_varden = sorted(set(data["x"]))
        position = {x: x for x in x_varden}
    else:  # kategorier (t.ex. periodnamn) i den ordning de står
        x_varden = list(dict.fromkeys(data["x"]))
        position = {x: i for i, x in enumerate(x_varden)}
    for i, grupp in enumerate(grupper):
        g = data if grupp is None else data[data["grupp"] == grupp]
        if numerisk:
            g = g.sort_values("x")
        x = [position[v] for v in g["x"]]
        y = pd.to_numeric(g["y"], errors="coerce").to_numpy(dtype="float64")
        ax.plot(x, y, marker="o", linewidth=2, color=FARGER[i % 6], label=grupp)
        if len(g):
            ax.annotate(_text(y[-1], figur.enhet, figur.decimaler), (x[-1], y[-1]),
                        textcoords="offset points", xytext=(6, 0), va="center", fontsize=9,
                        color=FARGER[i % 6])  # fmt: skip
    ax.set_xticks([position[x] for x in x_varden], [_etikett(str(x), 14) for x in x_varden])
    ax.yaxis.set_major_formatter(_formatter(figur.enhet))
    lag = np.nanmin(pd.to_numeric(data["y"], errors="coerce"))
    hog = np.nanmax(pd.to_numeric(data["y"], errors="coerce"))
    if figur.enhet == "andel" and figur.decimaler == 0:
        ax.set_ylim(0, max(hog * 1.25, 0.05))  # andelar från noll: inga överdrivna skillnader
    else:
        spann = max(hog - lag, 0.02 if figur.enhet == "andel" else 1.0)
        ax.set_ylim(max(0, lag - spann * 0.6), hog + spann * 0.6)
    if len(x_varden) > 1:
        forsta, sista = position[x_varden[0]], position[x_varden[-1]]
        ax.set_xlim(forsta - 0.3, sista + 0.6 * max(1, (sista - forsta) / len(x_varden)))
    if grupper != [None]:
        ax.legend(frameon=True, fontsize=9, loc="best")


def rita(figur: Any):
    """Rita en figur; returnerar en ``matplotlib.figure.Figure`` (stängs av anroparen).

    Examples
    --------
    >>> from finsam_analys.rapportdelar import Figur
    >>> f = Figur("staplar", pd.DataFrame({"x": ["Arbete", "Studier"], "y": [7 / 55, 5 / 55]}),
    ...           titel="Utfall", mal={"Mål": 0.25})
    >>> fig = rita(f)
    >>> fig.axes[0].get_title(loc="left"), fig.axes[0].xaxis.get_major_formatter()(0.25, 0)
    ('Utfall', '25\\xa0%')
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    plt = _tema()
    data = figur.data
    if figur.typ in ("staplar", "resultat_mot_mal"):
        hojd = max(2.2, 0.45 * len(data) + 1.3)
    elif figur.typ == "grupperade_staplar":
        hojd = 3.8
    else:
        hojd = 3.6
    fig, ax = plt.subplots(figsize=(_BREDD, hojd), layout="constrained")
    if figur.typ in ("staplar", "resultat_mot_mal"):
        _staplar(ax, data, figur)
    elif figur.typ == "grupperade_staplar":
        _grupperade(ax, data, figur)
    elif figur.typ == "linjer":
        _linjer(ax, data, figur)
    else:
        plt.close(fig)
        raise ValueError(f"Okänd figurtyp {figur.typ!r}.")
    ax.set_title(_etikett(figur.titel, 70), loc="left")
    ax.set_xlabel(figur.xetikett)
    ax.set_ylabel(figur.yetikett)
    if figur.not_:
        fig.text(0.01, 0.0, figur.not_, fontsize=8, color="#555555", ha="left", va="bottom")
        fig.get_layout_engine().set(rect=(0, 0.05, 1, 0.95))
    return fig


def som_png(figur: Any, *, dpi: int = 110) -> bytes:
    """Rita figuren och returnera PNG-bytes (figuren stängs).

    Examples
    --------
    >>> from finsam_analys.rapportdelar import Figur
    >>> png = som_png(Figur("staplar", pd.DataFrame({"x": ["A"], "y": [0.5]}), titel="T"))
    >>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    True
    """
    import matplotlib.pyplot as plt

    fig = rita(figur)
    try:
        buffert = io.BytesIO()
        fig.savefig(buffert, format="png", dpi=dpi, metadata={"Software": None})
        return buffert.getvalue()
    finally:
        plt.close(fig)
