"""Synthetic but realistic FAQ knowledge of any size, for the scaling benchmark: Dutch HR and
care topics recombined with question forms and services, as an organisation's growing FAQ
would look, with questions a colleague would type (reworded, typos, chat noise)."""

import random
from dataclasses import dataclass

from bot.knowledge import Entry, Knowledge, Link, Section

SUBJECTS = (
    "verlof",
    "ouderschapsverlof",
    "tijdskrediet",
    "loonbrief",
    "maaltijdcheques",
    "fietsvergoeding",
    "thuiswerk",
    "nachtdienst",
    "ploegendienst",
    "zorgdossier",
    "medicatiebeleid",
    "brandveiligheid",
    "ergonomie",
    "tilbeleid",
    "valpreventie",
    "dementiezorg",
    "palliatieve zorg",
    "agressiebeheersing",
    "privacybeleid",
    "handhygiëne",
    "wondzorg",
    "diabeteszorg",
    "onthaalbeleid",
    "functioneringsgesprek",
    "evaluatiegesprek",
    "loopbaanbegeleiding",
    "opleidingsbudget",
    "e-learning",
    "stagebegeleiding",
    "mentorschap",
    "vrijwilligerswerk",
    "teamoverleg",
    "intervisie",
    "supervisie",
    "kwaliteitshandboek",
    "klachtenprocedure",
    "incidentmelding",
    "arbeidsongeval",
    "ziekmelding",
    "preventieadviseur",
    "arbeidsreglement",
    "uurrooster",
    "overuren",
    "recuperatie",
    "eindejaarspremie",
    "anciënniteit",
    "pensioen",
    "woon-werkverkeer",
    "parkeerplaats",
    "kinderopvang",
    "personeelsfeest",
    "bedrijfswagen",
    "werkkledij",
    "badge",
    "wachtwoord",
    "gsm-vergoeding",
    "hospitalisatieverzekering",
    "vakantiegeld",
    "mantelzorgverlof",
    "bijscholing",
)
FORMS = (
    (
        "Wat is {s}",
        (
            "Uitleg over {s}",
            "{s}, wat houdt dat in",
            "Wat betekent {s} precies",
            "What is {s}",
            "Info {s}",
        ),
    ),
    (
        "Hoe vraag ik {s} aan",
        (
            "{s} aanvragen",
            "Aanvraag {s}",
            "Hoe kan ik {s} krijgen",
            "Procedure voor {s}",
            "How do I apply for {s}",
        ),
    ),
    (
        "Wie beslist over {s}",
        (
            "Wie keurt {s} goed",
            "Goedkeuring {s}",
            "Bij wie moet ik zijn voor {s}",
            "Wie is bevoegd voor {s}",
        ),
    ),
    (
        "Waar vind ik het formulier voor {s}",
        ("Formulier {s}", "Document voor {s} downloaden", "Waar staat het aanvraagformulier {s}"),
    ),
    (
        "Hoeveel {s} heb ik recht op",
        ("Recht op {s}", "Hoeveel dagen {s}", "Op hoeveel {s} heb ik recht", "Aantal {s} per jaar"),
    ),
    ("Wanneer start {s}", ("Startdatum {s}", "Vanaf wanneer geldt {s}", "Begin van {s}")),
    (
        "Wat zijn de regels rond {s}",
        ("Regels {s}", "Reglement over {s}", "Welke afspraken gelden voor {s}", "Rules for {s}"),
    ),
    (
        "Wie is de contactpersoon voor {s}",
        ("Contactpersoon {s}", "Aanspreekpunt voor {s}", "Wie kan mij helpen met {s}"),
    ),
    ("Hoe lang duurt {s}", ("Duur van {s}", "Hoeveel tijd neemt {s} in beslag")),
    ("Wat kost {s}", ("Prijs van {s}", "Kosten {s}", "Is {s} gratis", "Moet ik betalen voor {s}")),
    (
        "Wat moet ik doen bij problemen met {s}",
        ("Probleem met {s}", "{s} werkt niet", "Klacht over {s}", "Fout bij {s}"),
    ),
    (
        "Welke opleiding bestaat er over {s}",
        ("Cursus {s}", "Vorming rond {s}", "Training over {s}", "Bijscholing {s}"),
    ),
    (
        "Wat verandert er aan {s} dit jaar",
        ("Nieuw in {s}", "Wijzigingen {s}", "Aanpassingen aan {s}"),
    ),
    ("Hoe wordt {s} geëvalueerd", ("Evaluatie van {s}", "Opvolging {s}", "Wie volgt {s} op")),
    ("Waar kan ik meer lezen over {s}", ("Meer info {s}", "Brochure {s}", "Documentatie over {s}")),
    (
        "Geldt {s} ook voor deeltijdse medewerkers",
        ("{s} deeltijds", "{s} bij halftijds werk", "Deeltijdse werknemers en {s}"),
    ),
    ("Mag ik {s} weigeren", ("{s} weigeren", "Is {s} verplicht", "Verplichting {s}")),
    ("Wie betaalt {s}", ("Betaling {s}", "Terugbetaling van {s}", "Vergoeding voor {s}")),
    ("Hoe meld ik {s}", ("Melding {s}", "{s} melden", "Waar meld ik {s}")),
    ("Wat is het beleid rond {s}", ("Beleid {s}", "Visie op {s}", "Standpunt over {s}")),
    (
        "Kan ik {s} combineren met mijn uurrooster",
        ("{s} en uurrooster", "{s} inplannen", "Planning van {s}"),
    ),
    (
        "Waar vind ik de procedure voor {s}",
        ("Procedure {s}", "Stappenplan {s}", "Werkwijze voor {s}"),
    ),
    (
        "Wat zijn de voorwaarden voor {s}",
        ("Voorwaarden {s}", "Wanneer kom ik in aanmerking voor {s}", "Criteria {s}"),
    ),
    (
        "Hoe verloopt {s} bij een nieuwe medewerker",
        ("{s} voor nieuwkomers", "{s} bij indiensttreding"),
    ),
    ("Wat gebeurt er met {s} bij ontslag", ("{s} na ontslag", "{s} bij vertrek")),
)
SERVICES = (
    "in het woonzorgcentrum",
    "bij de thuiszorg",
    "in de jeugdhulp",
    "op de afdeling dementie",
    "in het dagcentrum",
    "bij de kinderopvang",
    "in de gehandicaptenzorg",
    "op de nachtdienst",
    "in de keuken",
    "bij de schoonmaak",
    "in de administratie",
    "bij het onderhoud",
    "in het revalidatiecentrum",
    "op de afdeling psychiatrie",
    "bij de mobiele equipe",
    "in het beschut wonen",
    "bij de vrijwilligers",
    "in het CAW",
    "in de crisisopvang",
    "bij de technische dienst",
)
FILLERS = (
    "",
    "",
    "",
    "Hallo, ",
    "Dag, ",
    "Vraagje: ",
    "Sorry voor de storing, maar ",
    "Ik vroeg me af: ",
)


@dataclass(frozen=True)
class Query:
    """A generated question and the entry it is about."""

    text: str
    entry_id: str


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 6:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1 :] if rng.random() < 0.5 else word[:i] + word[i] + word[i:]


def synthetic_knowledge(size: int, seed: int = 7) -> Knowledge:
    """``size`` entries (at most 30,000), each a subject, a question form and a service."""
    combos = [
        (s, f, d)
        for s in range(len(SUBJECTS))
        for f in range(len(FORMS))
        for d in range(len(SERVICES))
    ]
    if size > len(combos):
        raise ValueError(f"at most {len(combos)} entries")
    rng = random.Random(seed)
    rng.shuffle(combos)
    entries = []
    for subject, form, service in combos[:size]:
        s, (question, alternates), where = SUBJECTS[subject], FORMS[form], SERVICES[service]
        entries.append(
            Entry(
                id=f"e{subject}-{form}-{service}",
                question=f"{question.format(s=s)} {where}?",
                alternates=tuple(f"{a.format(s=s)} {where}" for a in alternates),
                answer=f"Over {s} {where}: vraag het aan je leidinggevende of bekijk het "
                f"intranet van de dienst. Dit antwoord hoort bij '{question.format(s=s)}'.",
                links=(Link("Intranet", "https://intranet.example.org/"),),
                section=s,
            )
        )
    sections: dict[str, list[str]] = {}
    for entry in entries:
        sections.setdefault(entry.section, []).append(entry.id)
    return Knowledge(tuple(entries), tuple(Section(t, tuple(i)) for t, i in sections.items()))


def synthetic_queries(knowledge: Knowledge, count: int, seed: int = 11) -> list[Query]:
    """Questions about random entries: reworded, sometimes with a typo or chat noise."""
    rng = random.Random(seed)
    queries = []
    for _ in range(count):
        entry = rng.choice(knowledge.entries)
        text = rng.choice(entry.phrasings).rstrip("?")
        words = text.split()
        if rng.random() < 0.3:
            k = rng.randrange(len(words))
            words[k] = _typo(words[k], rng)
        if rng.random() < 0.3:
            words = words[: max(2, len(words) - 3)]  # the service left out
        queries.append(Query(rng.choice(FILLERS) + " ".join(words) + "?", entry.id))
    return queries
