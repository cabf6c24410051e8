"""Logiska kontroller och pandera-validering av typade tabeller."""

from __future__ import annotations

import pandas as pd
import pytest

from finsam_analys.indata.validering import Problem, radtext, sla_ihop, validera_tabell


def _ram(index=None, **kolumner):
    df = pd.DataFrame(kolumner)
    for k, v in df.items():
        if v.dtype == object:
            df[k] = v.astype("str")
        elif pd.api.types.is_integer_dtype(v):
            df[k] = v.astype("Int64")
    if index is not None:
        df.index = index
    return df


def _koder(problem):
    return sorted(p.kod for p in problem)


def test_godkand_tabell_ger_inga_problem():
    df = _ram(
        period=["2019"] * 4,
        insats=["MAC", "MAC", "Trädgård", "Totalt"],
        utfall=["Arbete", "Totalt", "Arbete", "Arbete"],
        antal=[5, 26, 2, 7],
    )
    assert validera_tabell(df, "avslut", insatser=["MAC", "Trädgård"]) == []


def test_okand_kategori_listar_kanda_och_foreslar():
    df = _ram(index=[7], kon=["Kvina"], deltagare_id=["a"], insats=["T"])
    df["inskrivningsdatum"] = pd.to_datetime(["2019-01-01"]).astype("datetime64[us]")
    (p,) = validera_tabell(df, "deltagare", fil="d.csv", visningsnamn={"kon": "Kön"})
    assert p.text() == (
        'd.csv, rad 7, kolumn "Kön" (kon): okänd kategori – menade du "Kvinna"? '
        '(värde "Kvina"); förväntade en av: Kvinna, Man'
    )


def test_negativt_antal_och_del_storre_an_total():
    df = _ram(
        index=[2, 3, 4],
        period=["2019"] * 3,
        insats=["MAC"] * 3,
        utfall=["Arbete", "Studier", "Totalt"],
        antal=[-1, 9, 8],
    )
    problem = validera_tabell(df, "avslut")
    assert _koder(problem) == ["del_storre_an_total", "intervall"]
    texter = [p.text() for p in problem]
    assert 'rad 2, kolumn "antal": negativt värde (värde "-1"); förväntade ett tal ≥ 0' in texter
    assert (
        'rad 3, kolumn "antal": en del är större än sin total: Studier = 9 men Totalt = 8 (rad 4)'
        in texter
    )


def test_total_jamfors_bara_inom_sin_grupp():
    df = _ram(
        period=["2019"] * 4,
        insats=["MAC", "MAC", "Trädgård", "Trädgård"],
        utfall=["Arbete", "Totalt", "Arbete", "Totalt"],
        antal=[20, 26, 2, 16],
    )
    assert validera_tabell(df, "avslut") == []


def test_varav_rader():
    df = _ram(
        index=[2, 3, 4],
        period=["2019"] * 3,
        manader=[6, 6, 6],
        utfall=["Aktivt arbetssökande", "Arbetsmarknadsutbildning", "Ej aktivt arbetssökande"],
        antal=[10, 1, 7],
        del_av=[None, "Aktivt arbetssökande", None],
    )
    assert validera_tabell(df, "uppfoljning") == []
    df.loc[3, "antal"] = 11
    (p,) = validera_tabell(df, "uppfoljning")
    assert "varav-raderna till Aktivt arbetssökande summerar till 11" in p.meddelande
    df.loc[3, "del_av"] = "Studier"
    (p,) = validera_tabell(df, "uppfoljning")
    assert 'kategorin "Studier" finns inte' in p.meddelande


def test_deltagare_logiska_kontroller():
    df = _ram(
        index=[2, 3, 4, 5],
        deltagare_id=["a", "b", "c", "c"],
        insats=["T"] * 4,
        avslutsorsak=["Arbete", "Arbete", None, None],
        steg_start=[1, 2, 9, 1],
    )
    df["inskrivningsdatum"] = pd.to_datetime(
        ["2019-05-01", "2019-01-01", "2019-02-01", "2019-02-01"]
    ).astype("datetime64[us]")
    df["avslutsdatum"] = pd.to_datetime(["2019-04-01", None, None, None]).astype("datetime64[us]")
    problem = validera_tabell(df, "deltagare", trappa=["a", "b", "c"])
    per_kod = {p.kod: p for p in problem}
    assert set(per_kod) == {"datumordning", "avslut_utan_datum", "dubblett", "intervall"}
    assert per_kod["datumordning"].rader == (2,)
    assert per_kod["avslut_utan_datum"].rader == (3,)
    assert per_kod["dubblett"].rader == (4, 5)
    assert "dubblerat deltagande" in per_kod["dubblett"].meddelande
    assert per_kod["intervall"].rader == (4,)
    assert "trappan i forbund.yaml har 3 steg" in per_kod["intervall"].meddelande


def test_omfattning_och_perioder_i_ersattningsperioder():
    df = _ram(index=[2, 3], person=["a", "b"], ersattningsform=["Sjukpenning"] * 2)
    df["fran"] = pd.to_datetime(["2019-01-01", "2019-06-01"]).astype("datetime64[us]")
    df["till"] = pd.to_datetime(["2019-03-01", "2019-05-01"]).astype("datetime64[us]")
    df["omfattning"] = [0.5, 1.5]
    problem = validera_tabell(df, "ersattningsperioder")
    assert _koder(problem) == ["datumordning", "intervall"]
    assert any("omfattning utanför 0–1" in p.meddelande for p in problem)


def test_andel_over_100_procent_i_publicerad_kolumn():
    df = _ram(period=["2019"], insats=["MAC"], utfall=["Arbete"], antal=[7])
    df["andel_publicerad"] = [113.0]
    df["utfall_procent_publicerad"] = [105.0]  # utfall över budget är tillåtet
    (p,) = validera_tabell(df, "avslut")
    assert p.kod == "andel"
    assert p.kolumn == "andel_publicerad"


def test_mal_andel_som_brak():
    df = _ram(insats=["SOT"], indikator=["andel_arbete"], riktning=["minst"], enhet=["andel"])
    df["varde"] = [0.25]
    assert validera_tabell(df, "mal") == []
    df["varde"] = [25.0]
    (p,) = validera_tabell(df, "mal")
    assert "andelar anges som bråk" in p.meddelande


def test_halsoenkat_fler_forbattrade_an_svar():
    df = _ram(period=["2019"], delperiod=["2019-01..2019-05"], n=[14], antal_forbattrade=[15])
    (p,) = validera_tabell(df, "halsoenkat")
    assert p.kod == "del_storre_an_total"


def test_helarsekvivalenter_del_och_total():
    df = _ram(
        region=["Västerås"] * 3,
        regiontyp=["kommun"] * 3,
        ar=[2020] * 3,
        ersattningsform=["Sjukpenning", "Arbetslöshet", "Totalt"],
        kon=["Totalt"] * 3,
        folkmangd_20_64=[88586] * 3,
    )
    df["hae"] = [1905.0, 2148.0, 13451.0]
    assert validera_tabell(df, "helarsekvivalenter") == []
    df["hae"] = [1905.0, 99999.0, 13451.0]
    koder = _koder(validera_tabell(df, "helarsekvivalenter"))
    assert koder == ["del_storre_an_total", "del_storre_an_total"]  # > total och > folkmängd


def test_dimension_med_kodlista():
    df = _ram(
        period=["2019"] * 3,
        dimension=["kon", "remittent", "status"],
        kategori=["Kvinna", "Polisen", "Aktiva"],
        antal=[30, 3, 20],
    )
    (p,) = validera_tabell(df, "deltagarantal")
    assert p.varde == "Polisen"
    assert 'dimensionen "remittent"' in p.meddelande


def test_okand_status_i_deltagarantal():
    # En statusetikett som inte är ett led i flödet är ett fel med plats, aldrig ett tomt
    # avsnitt; kända varianter (Aktiva, Nyinskrivna, Tidigt avhopp, Totalt) godtas.
    df = _ram(
        period=["2019"] * 5,
        dimension=["status"] * 5,
        kategori=["Aktiva", "Nyinskrivna", "Tidigt avhopp", "Utskrivna", "Totalt"],
        antal=[20, 12, 2, 7, 41],
    )
    (p,) = validera_tabell(df, "deltagarantal", fil="deltagarantal.csv")
    assert (p.fil, p.rader, p.kolumn, p.varde) == ("deltagarantal.csv", (df.index[3],),
                                                   "kategori", "Utskrivna")  # fmt: skip
    assert 'okänd status för dimensionen "status"' in p.meddelande
    assert "nyinskrivna" in p.forvantat


def test_okand_insats_och_period():
    df = _ram(period=["2019-13"], insats=["Okänd"], utfall=["Arbete"], antal=[1])
    problem = validera_tabell(df, "avslut", insatser=["MAC"])
    assert _koder(problem) == ["kategori", "period"]


def test_saknat_obligatoriskt_varde():
    df = _ram(period=["2019"], insats=["MAC"], utfall=["Arbete"], antal=[1])
    df["antal"] = pd.array([None], dtype="Int64")
    (p,) = validera_tabell(df, "avslut")
    assert p.kod == "saknat_varde"


@pytest.mark.parametrize(
    ("rader", "text"),
    [
        ([5], "rad 5"),
        ([2, 3, 4, 9], "rad 2–4, 9"),
        ([9, 2, 2], "rad 2, 9"),
        ([], ""),
    ],
)
def test_radtext(rader, text):
    assert radtext(rader) == text


def test_radtext_langa_listor_kortas():
    text = radtext(range(2, 200, 2))
    assert text.endswith("… (99 rader)")


def test_sla_ihop_problem_med_samma_text():
    a = Problem("okänd kategori", fil="f", rader=(3,), kolumn="k", varde="X")
    b = Problem("okänd kategori", fil="f", rader=(5,), kolumn="k", varde="X")
    c = Problem("okänd kategori", fil="f", rader=(4,), kolumn="k", varde="Y")
    ihop = sla_ihop([a, b, c])
    assert [p.rader for p in ihop] == [(3, 5), (4,)]


def test_problem_text_doljer_personnummer():
    p = Problem("fel", varde="19121212-1212")
    assert "19121212-1212" not in p.text()


def test_manga_radvisa_fel_begransas_i_rapporten():
    from finsam_analys.indata.inlasning import InlasningsFel

    n = 500
    df = _ram(deltagare_id=[f"d{i}" for i in range(n)], insats=["T"] * n)
    df["inskrivningsdatum"] = pd.to_datetime(["2019-05-01"] * n).astype("datetime64[us]")
    df["avslutsdatum"] = pd.to_datetime(["2019-04-01"] * n).astype("datetime64[us]")
    df.index = range(2, n + 2)
    problem = sla_ihop(validera_tabell(df, "deltagare"))
    assert len(problem) == 1  # samma meddelande: slås ihop till en rad med alla radnummer
    assert problem[0].rader == tuple(range(2, n + 2))
    fel = InlasningsFel(
        [Problem(f"fel {i}", fil="f.csv", rader=(i,), kolumn="k", kod="x") for i in range(n)]
    )
    assert len(fel.problem) == 21
    assert fel.problem[-1].meddelande.startswith("ytterligare 480 problem av samma slag")


# ------------------------------------------- snabbkontrollen före pandera-schemat


def _schemafel(df: pd.DataFrame, tabell: str) -> bool:
    import pandera.pandas as pa

    from finsam_analys.indata.scheman import pandera_schema

    try:
        pandera_schema(tabell, kolumner=list(df.columns), unik=False).validate(df, lazy=True)
    except pa.errors.SchemaErrors:
        return True
    return False


@pytest.fixture(scope="module")
def inlasta_tabeller():
    from pathlib import Path

    from finsam_analys.indata.inlasning import las_forbund

    data = Path(__file__).resolve().parents[2] / "data"
    ut = []
    for forbund in ("vasteras", "sodra_dalarna", "exempelforbund"):
        u = las_forbund(data / forbund)
        ut += [(namn, df.head(40)) for namn, df in u.tabeller.items()]
    return ut


def test_snabbkontrollen_godkanner_bara_det_schemat_godkanner(inlasta_tabeller):
    # Snabbkontrollen får bara säga "godkänd" när pandera-schemat inte hittar något fel
    # (annars skulle fel tappas); den prövas på underlagens tabeller och på förstörda kopior.
    import numpy as np

    from finsam_analys.indata.scheman import TABELLER
    from finsam_analys.indata.validering import _pandera_godkanner

    rng = np.random.default_rng(3)
    provade = godkanda = 0
    for namn, df in inlasta_tabeller:
        tdef = TABELLER[namn]
        varianter = [df]
        for kolumn in df.columns:
            kol = tdef.kolumndef(kolumn)
            if kol is None or not len(df):
                continue
            rad = df.index[int(rng.integers(len(df)))]
            if kol.kategorier is not None:
                varianter.append(df.assign(**{kolumn: df[kolumn].where(df.index != rad, "Xyz")}))
            if kol.minst is not None:
                v = df.copy()
                v.loc[rad, kolumn] = kol.minst - 1
                varianter.append(v)
            if kol.hogst is not None:
                v = df.copy()
                v.loc[rad, kolumn] = kol.hogst + 1
                varianter.append(v)
            if not kol.nullbar:
                v = df.copy()
                v.loc[rad, kolumn] = None
                varianter.append(v)
            varianter.append(df.assign(**{kolumn: df[kolumn].astype(object)}))
            if kol.dtype in ("Int64", "float64"):
                varianter.append(df.assign(**{kolumn: df[kolumn].astype("str")}))
        for v in varianter:
            provade += 1
            if _pandera_godkanner(v, namn):
                godkanda += 1
                assert not _schemafel(v, namn), (namn, v.dtypes.to_dict())
    assert godkanda >= len(inlasta_tabeller)  # de orörda tabellerna godkändes
    assert provade > 2 * godkanda  # och de flesta förstörda gick till schemat
