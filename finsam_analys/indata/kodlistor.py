"""Kodlistor, etiketter och summaradernas ordförråd: en plats att slå upp dem.

Här finns datamodellens kodlistor (kön, remittent, avslutstyp, försörjning och
försörjningsgrupper, utfall, flödets led och statusetiketterna, uppföljningens lägen, SCB:s
ersättningsformer …), dimensionerna i ``deltagarantal``/``avbrott``, synonymerna som alltid
översätts, etiketten för uppgift som saknas och summaradernas ordförråd.

**Summarader.** :data:`TOTALT` (``"Totalt"``) är etiketten som biblioteket skriver på en
summarad eller summakolumn och kategorin som betyder summa i de kanoniska tabellerna.
:func:`ar_summarad` avgör om en etikett betyder en summa, efter ett ordförråd
(:data:`SUMMAORD`): etiketten är ``Totalt``, ``Total``, ``Totala``, ``Totalsumma``,
``Summa``, ``Sum``, ``S:a`` eller ``Samtliga``, eller börjar med ett av orden följt av något
annat än en bokstav eller siffra (``TOTAL summa tkr``, ``Summa intäkter``, ``Samtliga
insatser``; men inte ``Totalkostnad``, och inte ``Alla insatser``, som i förbundens
ekonomitabeller är en post bland andra). Versaler och gemener spelar ingen roll. Allt som
känner igen summarader (inläsningen av förbundets egen fil och de tryckta tabellerna,
granskningen, måtten, sekretessen, tabellvisningen) frågar :func:`ar_summarad`. De tre namnen
definieras i :mod:`finsam_analys.tabell`, som ligger längst ner i dataflödet och inte får
importera ``indata``; här exporteras de vidare, så att de slås upp här. I de kanoniska
tabellerna (efter inläsningen) är summaraden exakt kategorin ``Totalt``: förbundens ``Total``
och ``Summa`` har då översatts (:data:`SYNONYMER`), och måtten jämför med :data:`TOTALT`.
Ekonomitabellens koder för summor är :data:`SUMMAPOST` och :data:`TOTALGRUPP`.

Förbundens egna etiketter mappas till koderna med ``kategorier`` i ``forbund.yaml``; ordförrådet
som gissar mappningen för ``finsam-analys ny`` finns i :mod:`finsam_analys.indata.mappning`.

>>> KON, AVSLUTSTYP
(('Kvinna', 'Man'), ('Fullföljd', 'Avbruten'))
>>> STATUSNAMN["nyinskrivna"], SYNONYMER["Summa"]
('nya', 'Totalt')
>>> ar_summarad("Summa tkr"), ar_summarad("Kvinna")
(True, False)
"""

from __future__ import annotations

from finsam_analys.tabell import SUMMAORD, TOTALT, ar_summarad

__all__ = [
    "AVSLUTSTYP",
    "BELOPPSENHET",
    "DIMENSIONER",
    "EKONOMITYP",
    "ERSATTNINGSFORM_SCB",
    "FLODESLED",
    "FORSORJNING",
    "FORSORJNINGSGRUPPER",
    "KODLISTOR",
    "KON",
    "KON_SCB",
    "REGIONTYP",
    "REMITTENT",
    "RIKTNING",
    "STATUSNAMN",
    "SUMMAORD",
    "SUMMAPOST",
    "SYNONYMER",
    "TOTALGRUPP",
    "TOTALT",
    "UPPFOLJNINGSUTFALL",
    "UPPGIFT_SAKNAS",
    "UTFALL",
    "ar_summarad",
    "kodlistebeskrivning",
]

UPPGIFT_SAKNAS = "Uppgift saknas"
"""Kategorin för deltagare utan uppgift i en fördelning (kön, ålder, kommun …)."""

SUMMAPOST = "Summa"
"""Ekonomitabellens post för en grupps summa (``grupp=Insatser, post=Summa``)."""

TOTALGRUPP = "TOTAL"
"""Ekonomitabellens grupp för totalen över alla grupper (``grupp=TOTAL, post=Summa``)."""

# ---------------------------------------------------------------------------
# Kodlistor (SUS/Finsam-bruk). Etiketter på svenska; förbundets egna etiketter mappas hit
# via ``kategorier`` i forbund.yaml. SYNONYMER tillämpas alltid (efter förbundets mappning).
# ---------------------------------------------------------------------------

KON: tuple[str, ...] = ("Kvinna", "Man")
KON_SCB: tuple[str, ...] = ("Kvinnor", "Män", TOTALT)
REMITTENT: tuple[str, ...] = ("AF", "FK", "Kommun", "Region", "Annan")
AVSLUTSTYP: tuple[str, ...] = ("Fullföljd", "Avbruten")

# Försörjning (individnivå), grupperad som i Finsams försörjningsmått.
FORSORJNINGSGRUPPER: dict[str, tuple[str, ...]] = {
    "Ohälsa": (
        "Sjukpenning",
        "Rehabiliteringspenning",
        "Sjuk- och aktivitetsersättning",
        "Sjukersättning",
        "Aktivitetsersättning",
    ),
    "Arbetsmarknadsstöd": (
        "Arbetslöshetsersättning",
        "Aktivitetsstöd",
        "Etableringsersättning",
    ),
    "Ekonomiskt bistånd": ("Ekonomiskt bistånd",),
    "Övrigt": (
        "Lön",
        "Studiemedel",
        "Föräldrapenning",
        "Ingen offentlig försörjning",
        "Annan",
        "Okänd",
    ),
}
FORSORJNING: tuple[str, ...] = tuple(v for g in FORSORJNINGSGRUPPER.values() for v in g)

# Utfall efter avslut (avslutsorsak för fullföljda och avbrutna deltaganden).
UTFALL: tuple[str, ...] = (
    "Arbete",
    "Studier",
    "Fortsatt arbetslivsinriktad rehabilitering",
    "Aktivt arbetssökande",
    "Ej aktivt arbetssökande",
    "Arbetsmarknadsutbildning",
    "Sjukskrivning",
    "Sjuk- och aktivitetsersättning",
    "Föräldraledighet",
    "Pension",
    "Flytt",
    "Ohälsa",
    "Ej förlängt beslut",
    "Annat",
    "Okänt",
)

# Deltagarflödets led och de etiketter (gemener, utan omgivande blanksteg) som betyder ledet i
# tabellen deltagarantal med dimensionen "status". Andra etiketter är fel vid valideringen.
FLODESLED: tuple[str, ...] = (
    "aktiva_vid_start",
    "nya",
    "deltagit",
    "avslutade",
    "fullfoljda",
    "avbrutna",
    "aktiva_vid_slut",
)
STATUSNAMN: dict[str, str] = {
    **{led: led for led in FLODESLED},
    "aktiva vid periodens start": "aktiva_vid_start",
    "aktiva vid periodens början": "aktiva_vid_start",
    "aktiva vid start": "aktiva_vid_start",
    "aktiv vid start": "aktiva_vid_start",
    "ny": "nya",
    "nyinskriven": "nya",
    "nyinskrivna": "nya",
    "nyinskrivningar": "nya",
    "avslutad": "avslutade",
    "avslut": "avslutade",
    "fullföljd": "fullfoljda",
    "fullföljda": "fullfoljda",
    "avbruten": "avbrutna",
    "avbrott": "avbrutna",
    "tidigt avhopp": "avbrutna",
    "tidiga avhopp": "avbrutna",
    "aktiv": "aktiva_vid_slut",
    "aktiva": "aktiva_vid_slut",
    "aktiva vid slut": "aktiva_vid_slut",
    "aktiva vid periodens slut": "aktiva_vid_slut",
    "pågående": "aktiva_vid_slut",
}

# Läget vid uppföljning efter avslut: utfall plus försörjningsformer.
UPPFOLJNINGSUTFALL: tuple[str, ...] = UTFALL + tuple(f for f in FORSORJNING if f not in UTFALL)

# SCB:s ersättningsformer i helårsekvivalenter.
ERSATTNINGSFORM_SCB: tuple[str, ...] = (
    "Sjukpenning",
    "Sjuk- och aktivitetsersättning",
    "Arbetslöshet",
    "Arbetsmarknadsåtgärder",
    "Ekonomiskt bistånd",
    "Etableringsersättning",
)
REGIONTYP: tuple[str, ...] = ("kommun", "lan", "riket")
RIKTNING: tuple[str, ...] = ("minst", "hogst")
BELOPPSENHET: tuple[str, ...] = ("kr", "tkr")
EKONOMITYP: tuple[str, ...] = ("intakt", "kostnad", "resultat", "eget_kapital")

# Dimensioner i deltagarantal/avbrott och den kodlista kategorin då ska följa (None = fri).
DIMENSIONER: dict[str, tuple[str, ...] | None] = {
    "kon": KON + (TOTALT,),
    "remittent": REMITTENT + (TOTALT,),
    "forsorjning_in": FORSORJNING + (TOTALT,),
    "forsorjning_ut": FORSORJNING + (TOTALT,),
    # vem som betalar försörjningen (t.ex. Avestas "Försörjningsgrund": Socialtjänst, FK ...)
    "forsorjningsgivare_in": REMITTENT + (TOTALT,),
    "forsorjningsgivare_ut": REMITTENT + (TOTALT,),
    "forsorjningsgrupp_in": tuple(FORSORJNINGSGRUPPER) + (TOTALT,),
    "forsorjningsgrupp_ut": tuple(FORSORJNINGSGRUPPER) + (TOTALT,),
    "folkbokforingskommun": None,
    "aldersgrupp": None,
    "insats": None,
    "inriktning": None,
    "status": None,
    "orsak": None,
    "tid_offentlig_forsorjning": None,
}

# Etiketter som alltid översätts (vanliga varianter i förbundens egna underlag).
SYNONYMER: dict[str, str] = {
    "Kvinnor": "Kvinna",
    "Män": "Man",
    "Arbetsförmedlingen": "AF",
    "Försäkringskassan": "FK",
    "Socialtjänsten": "Kommun",
    "Socialkontor Ekonomi": "Kommun",
    "Försörjningsstöd": "Ekonomiskt bistånd",
    "A-kassa": "Arbetslöshetsersättning",
    "Arbetsmarknadspolitiska åtgärder": "Arbetsmarknadsåtgärder",
    "Total": TOTALT,
    "Summa": TOTALT,
    "Fullföljt": "Fullföljd",
    "Avbrutit": "Avbruten",
    "Avbrott": "Avbruten",
}

# Kodlistorna med namn (dokumentationen i data/README.md).
KODLISTOR: dict[str, tuple[str, ...]] = {
    "KON": KON,
    "KON_SCB": KON_SCB,
    "REMITTENT": REMITTENT,
    "AVSLUTSTYP": AVSLUTSTYP,
    "FORSORJNING": FORSORJNING,
    "UTFALL": UTFALL,
    "UPPFOLJNINGSUTFALL": UPPFOLJNINGSUTFALL,
    "ERSATTNINGSFORM_SCB": ERSATTNINGSFORM_SCB,
    "REGIONTYP": REGIONTYP,
    "RIKTNING": RIKTNING,
    "BELOPPSENHET": BELOPPSENHET,
    "EKONOMITYP": EKONOMITYP,
}


def kodlistebeskrivning() -> str:
    """Markdown med kodlistorna, försörjningsgrupperna, dimensionerna och synonymerna.

    >>> kodlistebeskrivning().splitlines()[0]
    '### Kodlistor'
    """
    rader = ["### Kodlistor", ""]
    for namn, lista in KODLISTOR.items():
        rader.append(f"- **{namn}**: {', '.join(lista)}")
    rader += ["", "Försörjningsgrupper (Finsams försörjningsmått):", ""]
    for grupp, lista in FORSORJNINGSGRUPPER.items():
        rader.append(f"- {grupp}: {', '.join(lista)}")
    rader += [
        "",
        "### Dimensioner",
        "",
        "I `deltagarantal` och `avbrott` anger `dimension` vad `kategori` avser. För vissa "
        "dimensioner måste kategorin komma ur en kodlista:",
        "",
    ]
    for dim, lista in DIMENSIONER.items():
        rader.append(f"- `{dim}`: {'fri text' if lista is None else ', '.join(lista)}")
    rader += [
        "",
        "### Synonymer som alltid översätts",
        "",
        "Gäller bara kolumner där målet finns i kolumnens kodlista (t.ex. blir `Kvinnor` kvar i "
        "`helarsekvivalenter.kon`).",
        "",
    ]
    for fran, till in SYNONYMER.items():
        rader.append(f"- {fran} → {till}")
    return "\n".join(rader) + "\n"
