"""Figurerna: ritas ur sektionernas Figur-beskrivningar med svenska tal och maskade värden."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from finsam_analys.presentation import figurer
from finsam_analys.rapport import Figur


@pytest.fixture(autouse=True)
def _stang():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def _texter(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def test_staplar_med_svenska_procent_och_mal():
    # SOT 2019: 7, 5, 43 av 55; mål 25 %
    f = Figur(
        "staplar",
        pd.DataFrame({"x": ["Arbete", "Studier", "Rehab"], "y": [7 / 55, 5 / 55, 43 / 55]}),
        titel="Utfall 2019",
        mal={"Mål": 0.25},
    )
    fig = figurer.rita(f)
    texter = _texter(fig)
    assert {"13\xa0%", "9\xa0%", "78\xa0%"} <= set(texter)
    ax = fig.axes[0]
    assert ax.get_title(loc="left") == "Utfall 2019"
    assert ax.xaxis.get_major_formatter()(0.5, 0) == "50\xa0%"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Mål"]


def test_maskat_varde_ritas_inte_utan_markeras():
    f = Figur("staplar", pd.DataFrame({"x": ["AF", "FK"], "y": [0.6, np.nan]}), titel="Avbrott")
    fig = figurer.rita(f)
    assert any(t.startswith(" ..") for t in _texter(fig))
    hojder = [p.get_width() for p in fig.axes[0].patches]
    assert hojder == [0.6, 0.0]


def test_resultat_mot_mal_ritar_ett_malstreck_per_rad():
    data = pd.DataFrame({"x": ["Arbete", "Studier"], "y": [7 / 55, 5 / 55], "mal_y": [0.25, 0.2]})
    fig = figurer.rita(Figur("resultat_mot_mal", data, titel="Mål"))
    malstreck = [ln for ln in fig.axes[0].lines if ln.get_xdata()[0] in (0.25, 0.2)]
    assert len(malstreck) == 2


def test_linjer_helarsekvivalenter_en_decimal():
    data = pd.DataFrame(
        {"x": [2019, 2020, 2019, 2020], "y": [12533 / 87797, 13451 / 88586, 0.127, 0.134],
         "grupp": ["Västerås", "Västerås", "Riket", "Riket"]}
    )  # fmt: skip
    fig = figurer.rita(Figur("linjer", data, titel="HÅE", decimaler=1))
    assert "15,2\xa0%" in _texter(fig)  # Västerås 2020
    assert len(fig.axes[0].lines) == 2


def test_grupperade_staplar_liggande_nar_etiketterna_inte_ryms():
    kategorier = ["Arbete", "Aktivt arbetssökande", "Sjukpenning", "Studier", "Annat", "Okänt",
                  "Fortsatt arbetslivsinriktad rehabilitering"]  # fmt: skip
    data = pd.DataFrame(
        {"x": [k for k in kategorier for _ in range(3)], "grupp": ["6", "12", "18"] * 7,
         "y": [0.35, 0.43, np.nan] * 7}
    )  # fmt: skip
    fig = figurer.rita(Figur("grupperade_staplar", data, titel="Läget efter avslut"))
    bredder = [p.get_width() for p in fig.axes[0].patches]  # liggande: värdet är bredden
    assert bredder[:7] == [0.35] * 7 and bredder[7:14] == [0.43] * 7
    assert _texter(fig).count("..") == 7 and "Aktivt arbetssökande" in _texter(fig)
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["6", "12", "18"]


def test_grupperade_staplar_och_okand_typ():
    data = pd.DataFrame({"x": ["Ohälsa", "Ohälsa"], "grupp": ["Före", "Efter"], "y": [0.4, np.nan]})
    fig = figurer.rita(Figur("grupperade_staplar", data, titel="Försörjning"))
    assert ".." in _texter(fig)
    with pytest.raises(ValueError, match="Okänd figurtyp"):
        figurer.rita(Figur("paj", data, titel="x"))


def test_png_ar_deterministisk():
    f = Figur("staplar", pd.DataFrame({"x": ["A", "B"], "y": [0.3, 0.7]}), titel="T")
    a, b = figurer.som_png(f), figurer.som_png(f)
    assert a[:8] == b"\x89PNG\r\n\x1a\n" and a == b


def _bild(png: bytes):
    import io

    from PIL import Image

    bild = Image.open(io.BytesIO(png))
    return bild.mode, bild.size, bild.info.get("dpi"), np.asarray(bild)


@pytest.mark.parametrize("dpi,komprimering", [(150, 1), (110, 6)])
def test_png_samma_bildpunkter_som_matplotlib_och_pillow(dpi, komprimering):
    """Den egna PNG-kodningen ger samma bildpunkter, läge och upplösning som matplotlibs
    ``savefig(format="png")`` (Pillow), för figurer av alla typer."""
    for f in _figurer_av_alla_typer():
        egen = _bild(figurer.som_png(f, dpi=dpi, komprimering=komprimering))
        fig = figurer._ritad(f)
        pillow = _bild(figurer._png_med_pillow(fig, dpi=dpi, komprimering=komprimering))
        assert egen[:3] == pillow[:3], f.titel
        assert np.array_equal(egen[3], pillow[3]), f.titel


def test_png_med_pillow_om_agg_inte_ger_bildpunkter(monkeypatch):
    """Skriver Agg något annat än en buffert med formen (höjd, bredd, 4) används Pillow."""
    f = Figur("staplar", pd.DataFrame({"x": ["A", "B"], "y": [0.3, 0.7]}), titel="T")
    vanlig = _bild(figurer.som_png(f))
    skriv = figurer._Bildpunkter.write
    monkeypatch.setattr(figurer._Bildpunkter, "write",
                        lambda self, data: skriv(self, bytes(data)))  # fmt: skip
    anrop = []
    pillow = figurer._png_med_pillow
    monkeypatch.setattr(
        figurer, "_png_med_pillow", lambda *a, **k: anrop.append(1) or pillow(*a, **k)
    )
    reserv = _bild(figurer.som_png(f))
    assert anrop == [1] and reserv[:3] == vanlig[:3] and np.array_equal(reserv[3], vanlig[3])


def _figurer_av_alla_typer() -> list[Figur]:
    lang = "Försäkringskassan med en mycket lång etikett som måste brytas på flera rader"
    lang_titel = "Avbrott per remittent med en lång titel som måste brytas när den inte ryms, 2024"
    return [
        Figur(
            "staplar",
            pd.DataFrame({"x": ["Arbetsförmedlingen", lang, "Öppenvård"], "y": [0.6, np.nan, 1.0]}),
            titel=lang_titel,
            mal={"Mål": 0.25},
        ),
        Figur(
            "resultat_mot_mal",
            pd.DataFrame({"x": [lang, "Hälsa"], "y": [0.35, np.nan], "mal_y": [0.3, 0.7]}),
            titel="Resultat mot mål",
            not_="Strecket är målet. Maskade värden (..) ritas inte.",
        ),
        Figur(
            "staplar",
            pd.DataFrame(
                {
                    "x": ["Arbete", "Studier"],
                    "y": [0.46, 0.1],
                    "nedre": [0.4, 0.05],
                    "ovre": [0.99, 0.2],
                }
            ),
            titel="Utfall med konfidensintervall",
        ),  # fmt: skip
        Figur(
            "staplar",
            pd.DataFrame({"x": ["Personal", "Insatser"], "y": [1234567.0, 89000.0]}),
            titel="Belopp",
            enhet="belopp",
            xetikett="kronor",
        ),
        Figur(
            "grupperade_staplar",
            pd.DataFrame(
                {
                    "x": ["Arbetsmarknadsstöd", "Arbetsmarknadsstöd", "Övrigt", "Övrigt"],
                    "grupp": ["Vid inskrivning", "Vid avslut"] * 2,
                    "y": [0.31, 0.24, 0.07, 0.33],
                }
            ),
            titel="Försörjning före och efter",
        ),  # fmt: skip
        Figur(  # många kategorier och långa ord: liggande grupperade staplar
            "grupperade_staplar",
            pd.DataFrame(
                {
                    "x": [
                        k
                        for k in (
                            "Arbete",
                            "Aktivt arbetssökande",
                            "Fortsatt arbetslivsinriktad rehabilitering",
                            "Sjukpenning",
                            "Studier",
                            "Annat",
                            "Okänt",
                        )
                        for _ in range(3)
                    ],
                    "grupp": ["6 månader", "12 månader", "18 månader"] * 7,
                    "y": [0.35, 0.43, np.nan] * 7,
                }
            ),
            titel="Läget 6, 12 och 18 månader efter avslut (andel av nådda)",
            not_="Maskade värden (..) ritas inte.",
        ),  # fmt: skip
        Figur(
            "linjer",
            pd.DataFrame(
                {
                    "x": ["2023", "2024", "2025-01..2025-08"] * 2,
                    "y": [0.2, 0.25, 0.22, 0.1, 0.12, 0.11],
                    "grupp": ["Västerås"] * 3 + ["Riket"] * 3,
                }
            ),
            titel="Jämförelse",
            xetikett="Period",
            decimaler=1,
        ),  # fmt: skip
    ]


@pytest.mark.parametrize("figur", _figurer_av_alla_typer(), ids=lambda f: f"{f.typ}-{f.titel}")
def test_inget_klipps(figur):
    """All text (titel, etiketter, värden, förklaring, not) ryms inom figuren."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = figurer.rita(figur)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    ax = fig.axes[0]
    texter = [*ax.texts, *fig.texts, ax.title, ax._left_title]
    if ax.get_legend() is not None:
        texter += ax.get_legend().get_texts()
    ram = fig.bbox
    for text in texter:
        if not text.get_text():
            continue
        ruta = text.get_window_extent(renderer)
        assert ram.x0 - 1 <= ruta.x0 and ruta.x1 <= ram.x1 + 1, text.get_text()
        assert ram.y0 - 1 <= ruta.y0 and ruta.y1 <= ram.y1 + 1, text.get_text()
    # titeln står överst och vänsterställd, över axlarna
    titel = ax.get_title(loc="left")
    assert titel.replace("\n", " ") == figur.titel
    assert ax._left_title.get_window_extent(renderer).y0 >= ax.bbox.y1 - 1


def _png_utan_delad_agg_text(monkeypatch, f, **k) -> bytes:
    import contextlib

    with monkeypatch.context() as m:
        m.setattr(figurer, "_delad_agg_text", contextlib.nullcontext)
        return figurer.som_png(f, **k)


@pytest.mark.parametrize("dpi", [150, 110])
def test_png_samma_med_och_utan_delad_agg_text(monkeypatch, dpi):
    """Delade textmått, layouter och glyfbilder ger samma bildpunkter som matplotlibs egen
    ritning, både när minnena är tomma och när de fyllts av andra figurer och upplösningar."""
    figurerna = _figurer_av_alla_typer()
    utan = [_png_utan_delad_agg_text(monkeypatch, f, dpi=dpi) for f in figurerna]
    figurer._rensa_agg()
    kalla = [figurer.som_png(f, dpi=dpi) for f in figurerna]
    for f in figurerna:  # fyll minnena med en annan upplösning
        figurer.som_png(f, dpi=dpi + 40)
    varma = [figurer.som_png(f, dpi=dpi) for f in reversed(figurerna)][::-1]
    # minnena används i en prövad matplotlib (annars ritar matplotlib själv, se nedan)
    assert bool(figurer._agg_matt and figurer._agg_filer) == figurer._agg_minnen_provade()
    for f, a, b, c in zip(figurerna, utan, kalla, varma, strict=True):
        assert np.array_equal(_bild(a)[3], _bild(b)[3]), f.titel
        assert np.array_equal(_bild(a)[3], _bild(c)[3]), f.titel


@pytest.mark.parametrize(
    "rc",
    [{"text.hinting": "none"}, {"text.antialiased": False},
     {"font.sans-serif": ["DejaVu Serif", "DejaVu Sans"]}],
    ids=lambda rc: next(iter(rc)),
)  # fmt: skip
def test_png_delad_agg_text_foljer_installningarna(monkeypatch, rc):
    """Minnena fyllda med standardinställningarna ger inte fel bild när rcParams för typsnitt,
    hinting eller kantutjämning ändras: bilden blir densamma som utan minnena (och en annan
    än utan ändringen)."""
    import matplotlib

    f = _figurer_av_alla_typer()[0]
    figurer._rensa_agg()
    vanlig = figurer.som_png(f, dpi=150)
    if "font.sans-serif" in rc:  # figurernas tema sätter typsnittslistan själv
        monkeypatch.setattr(figurer, "_TYPSNITT", rc.pop("font.sans-serif"))
    with matplotlib.rc_context(rc):
        med = figurer.som_png(f, dpi=150)
        utan = _png_utan_delad_agg_text(monkeypatch, f, dpi=150)
    assert np.array_equal(_bild(med)[3], _bild(utan)[3])
    assert not np.array_equal(_bild(med)[3], _bild(vanlig)[3])


def test_delad_agg_text_roterad_och_matematik_som_matplotlib():
    """Roterad text, matematik och vanlig text på bråkdelar av bildpunkter: samma bildpunkter
    med och utan minnena, och matplotlib återställs efteråt."""
    import io

    import matplotlib.text as mtext
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import fontManager

    def bild() -> np.ndarray:
        fig = Figure(figsize=(3, 2))
        for i in range(12):
            fig.text(0.013 * i + 0.001, 0.07 * i + 0.003, f"Åtgärd {i} lp", fontsize=7 + i / 3,
                     rotation=(0, 30, 90)[i % 3])  # fmt: skip
        fig.text(0.5, 0.5, r"$\alpha^2$ och text", fontsize=9)
        buffert = io.BytesIO()
        fig.savefig(buffert, format="rgba", dpi=137)
        return np.frombuffer(buffert.getvalue(), dtype=np.uint8)

    fore = (mtext._get_text_metrics_with_cache, mtext.get_font, RendererAgg.draw_text)
    utan = bild()
    figurer._rensa_agg()
    with figurer._delad_agg_text():
        kall, varm = bild(), bild()
    assert np.array_equal(utan, kall) and np.array_equal(utan, varm)
    assert (mtext._get_text_metrics_with_cache, mtext.get_font, RendererAgg.draw_text) == fore
    if figurer._agg_minnen_provade():
        assert figurer._agg_sfnt and figurer._agg_layout and figurer._agg_glyfer
    assert "_find_fonts_by_props" not in vars(fontManager)


def test_delad_agg_text_bara_i_provade_matplotlib_versioner(monkeypatch):
    """I en matplotlib som minnena inte är prövade mot ersätts ingenting: matplotlib ritar
    själv, och bilden är densamma."""
    import matplotlib.text as mtext
    from matplotlib.backends.backend_agg import RendererAgg

    f = _figurer_av_alla_typer()[0]
    figurer._rensa_agg()
    med = figurer.som_png(f, dpi=150)
    monkeypatch.setattr(figurer, "_AGG_PROVADE_VERSIONER", ())
    figurer._rensa_agg()
    fore = (mtext._get_text_metrics_with_cache, mtext.get_font, RendererAgg.draw_text)
    with figurer._delad_agg_text():
        assert (mtext._get_text_metrics_with_cache, mtext.get_font, RendererAgg.draw_text) == fore
    utan = figurer.som_png(f, dpi=150)
    assert not (figurer._agg_matt or figurer._agg_layout or figurer._agg_glyfer)
    assert np.array_equal(_bild(med)[3], _bild(utan)[3])


def test_svg_med_text_som_text_och_svenska_tecken():
    f = Figur(
        "staplar",
        pd.DataFrame({"x": ["Försörjningsstöd", "Åtgärd"], "y": [7 / 55, 0.5]}),
        titel="Utfall för deltagare i åtgärder",
        mal={"Mål": 0.25},
    )
    svg = figurer.som_svg(f)
    text = svg.decode("utf-8")
    assert text.startswith("<?xml") and "<svg " in text
    for delsträng in ("Utfall för deltagare i åtgärder", "Försörjningsstöd", "Åtgärd", "Mål",
                      "13\xa0%", "50\xa0%"):  # fmt: skip
        assert f">{delsträng}</text>" in text, delsträng
    assert "font-family" in text and "<use " not in text  # text, inte glyfer som banor
    assert "DOCTYPE" not in text and "http://www.w3.org/Graphics" not in text


def test_svg_deterministisk_utan_datum():
    f = Figur("linjer", pd.DataFrame({"x": [2019, 2020], "y": [0.1, 0.2]}), titel="HÅE")
    a, b = figurer.som_svg(f), figurer.som_svg(f)
    assert a == b
    assert b"dc:date" not in a and b"Matplotlib v" not in a


def test_svg_samma_med_och_utan_delade_textmatt(monkeypatch):
    """De delade textmåtten ger samma SVG som matplotlibs egen mätning."""
    import contextlib

    figurerna = _figurer_av_alla_typer()
    med = [figurer.som_svg(f) for f in figurerna]
    figurer._svg_matt.cache_clear()
    monkeypatch.setattr(figurer, "_delade_textmatt", contextlib.nullcontext)
    assert [figurer.som_svg(f) for f in figurerna] == med


def test_figuren_registreras_inte_i_pyplot():
    import matplotlib.pyplot as plt

    fore = plt.get_fignums()
    figurer.som_svg(Figur("staplar", pd.DataFrame({"x": ["A"], "y": [0.5]}), titel="T"))
    figurer.rita(Figur("staplar", pd.DataFrame({"x": ["A"], "y": [0.5]}), titel="T"))
    assert plt.get_fignums() == fore


def test_svg_utan_pyplot_och_backend_orord():
    """Figurerna importerar inte pyplot och byter inte notebookens backend."""
    import subprocess
    import sys

    kod = (
        "import sys, matplotlib, pandas as pd\n"
        "matplotlib.rcParams['backend'] = 'module://matplotlib_inline.backend_inline'\n"
        "from finsam_analys.presentation import figurer\n"
        "from finsam_analys.rapport import Figur\n"
        "figurer.forvarm()\n"
        "figurer.som_svg(Figur('staplar', pd.DataFrame({'x': ['A'], 'y': [0.5]}), titel='T'))\n"
        "backend = dict.__getitem__(matplotlib.rcParams, 'backend')\n"
        "print('matplotlib.pyplot' in sys.modules, backend)"
    )
    ut = subprocess.run([sys.executable, "-c", kod], capture_output=True, text=True, check=True)
    assert ut.stdout.split() == ["False", "module://matplotlib_inline.backend_inline"]


def test_forvarm_andrar_inte_figurerna():
    figurerna = _figurer_av_alla_typer()
    figurer._svg_matt.cache_clear()
    kalla = [figurer.som_svg(f) for f in figurerna]
    figurer._svg_matt.cache_clear()
    figurer.forvarm()
    assert [figurer.som_svg(f) for f in figurerna] == kalla


def test_vardet_star_vid_stapelns_slut_inte_vid_intervallet():
    """Värdeetiketten står vid stapeln (inne i den eller direkt efter), inte efter
    konfidensintervallets streck."""
    data = pd.DataFrame({"x": ["Arbete", "Studier"], "y": [0.46, 0.02], "nedre": [0.4, 0.01],
                         "ovre": [0.9, 0.3]})  # fmt: skip
    fig = figurer.rita(Figur("staplar", data, titel="Utfall"))
    ax = fig.axes[0]
    etiketter = {t.get_text(): t for t in ax.texts if "%" in t.get_text()}
    lang, kort = etiketter["46\xa0%"], etiketter["2\xa0%"]
    assert lang.get_position()[0] == pytest.approx(0.46) and lang.get_ha() == "right"
    assert kort.get_position()[0] == pytest.approx(0.02) and kort.get_ha() == "left"


def test_gruppen_en_gang_ovanfor_sina_staplar():
    from finsam_analys.presentation.figurer import figur_ur_diagram
    from finsam_analys.tabell import Diagram, Kolumn, Tabell

    etiketter = ["Arbete (MAC)", "Hälsa (MAC)", "Arbete (Trädgård)", "Hälsa (Trädgård)"]
    t = Tabell(namn="m", titel="Mål", data=pd.DataFrame({"Indikator": etiketter,
               "Resultat": [0.3, 0.8, 0.2, 0.7]}),
               kolumner=(Kolumn("Indikator"), Kolumn("Resultat", "andel")))  # fmt: skip
    figur = figur_ur_diagram(Diagram("staplar", "m", x="Indikator", y="Resultat"), t)
    assert figur.data["x"].tolist() == ["Arbete", "Hälsa", "Arbete", "Hälsa"]
    fig = figurer.rita(figur)
    texter = _texter(fig)
    assert texter.count("MAC") == 1 and texter.count("Trädgård") == 1
    assert not any("(MAC)" in t for t in texter)


def test_linjer_samma_farg_per_grupp_aven_utan_varden():
    data = pd.DataFrame({"x": ["2023", "2024"] * 3, "grupp": ["A", "A", "B", "B", "C", "C"],
                         "y": [0.1, 0.2, np.nan, np.nan, 0.3, 0.4]})  # fmt: skip
    fig = figurer.rita(Figur("linjer", data, titel="Trend"))
    linjer = fig.axes[0].lines
    assert [ln.get_label() for ln in linjer] == ["A", "C"]
    assert linjer[1].get_color() == figurer.FARGER[2]  # C behåller sin färg
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["A", "C"]


def _svg_och_png_utan_ritade(figurerna) -> list[tuple[bytes, bytes]]:
    figurer._ritade.clear()
    return [(figurer.som_svg(f), figurer.som_png(f, dpi=80)) for f in figurerna]


def test_dolda_delar_slapps_utan_att_andra_utdata(monkeypatch):
    """Axlarnas tick-objekt (som aldrig ritas) släpps; SVG och PNG blir byte-identiska med
    figurer som behåller dem."""
    figurerna = _figurer_av_alla_typer()
    snala = _svg_och_png_utan_ritade(figurerna)
    for f in figurerna:
        ax = figurer.rita(f).axes[0]
        for axel in (ax.xaxis, ax.yaxis):
            assert "majorTicks" not in vars(axel) and "minorTicks" not in vars(axel)
        assert len(ax.xaxis.majorTicks) == 1  # skapas på nytt vid behov, som i matplotlib
    monkeypatch.setattr(figurer, "_utan_dolda_delar", lambda ax: None)
    assert _svg_och_png_utan_ritade(figurerna) == snala
    figurer._ritade.clear()


def test_texterna_delar_forskjutningen_utan_att_andra_utdata(monkeypatch):
    """Texter med samma förskjutning delar en transform; SVG och PNG blir byte-identiska med
    en transform per text (``offset_copy`` för varje text), och figuren hålls inte kvar."""
    import gc
    import weakref

    from matplotlib.transforms import offset_copy

    figurerna = _figurer_av_alla_typer()
    delade = _svg_och_png_utan_ritade(figurerna)
    fig = figurer.rita(Figur("staplar", pd.DataFrame({"x": ["A", "B", "C"], "y": [0.1, 0.2, 0.3]}),
                             titel="T"))  # fmt: skip
    etiketter = [t for t in fig.axes[0].texts if t.get_text() in {"A", "B", "C"}]
    assert len(etiketter) == 3 and len({id(t.get_transform()) for t in etiketter}) == 1
    ref = weakref.ref(fig)
    del fig, etiketter
    gc.collect()
    assert ref() is None
    monkeypatch.setattr(
        figurer, "_forskjuten",
        lambda bas, fig, dx, dy: offset_copy(bas, fig, x=dx, y=dy, units="points"),
    )  # fmt: skip
    assert _svg_och_png_utan_ritade(figurerna) == delade
    figurer._ritade.clear()
