"""The bot's fixed texts (Dutch), for every channel: change a wording here."""

from typing import TYPE_CHECKING

from bot.knowledge import Knowledge, Link
from bot.replies import Reply, choices_reply

if TYPE_CHECKING:
    from bot.editing import Proposal
    from bot.history import Version

SOURCE_TITLE = "Leren in de Social Profit – Meer weten over (het bevorderen van) werkplekleren"
SOURCE_URL = (
    "https://www.lerenindesocialprofit.be/?cid=3&pagina=113-het-bevorderen-van-werkplekleren"
)


def button_links(links: tuple[Link, ...]) -> tuple[Link, ...]:
    """The link an answer shows as a button: its first own one (the general source page is in
    /over)."""
    return tuple(link for link in links if link.url != SOURCE_URL)[:1]


# -- every channel ----------------------------------------------------------------------------

EXAMPLES_INTRO = "Probeer bijvoorbeeld:"
# Under an answer that numbers points of their own (each has an entry).
POINTS_HINT = "Typ een nummer van 1 tot {count} voor meer over een punt."
NOTHING_MORE = (
    "Over “{question}” weet ik niet meer dan wat hierboven staat. Misschien helpt een van de "
    "vragen hieronder je verder."
)
# "ja" right under an answer: yes to its "Meer weten?".
MORE_AFTER_YES = "Graag! Kies hieronder wat je nog wil weten, of typ je eigen vraag."


def examples(knowledge: Knowledge, count: int = 3) -> Reply:
    """The first question of the first topics: examples to try."""
    ids = tuple(section.entry_ids[0] for section in knowledge.topics[:count] if section.entry_ids)
    return choices_reply(knowledge, "", ids, 100.0, menu="examples", intro=EXAMPLES_INTRO)


def welcome() -> str:
    """Who I am and what I know."""
    return (
        "Hallo! Ik ben Werkplekbot. Ik beantwoord je vragen over werkplekleren: leren op en via "
        "je werk. Stel je vraag gewoon in je eigen woorden, of kies een onderwerp."
    )


UNKNOWN_COMMAND = "Het commando {command} ken ik niet."


def help_text(channel_commands: str) -> str:
    """How to use the bot; ``channel_commands`` lists the commands of the channel."""
    return (
        "Zo werk ik:\n"
        "• Typ een vraag over werkplekleren, in je eigen woorden. Een paar trefwoorden mag ook, "
        'bijvoorbeeld "loopbaangesprek" of "voorwaarden Baert".\n'
        '• Na een antwoord mag je doorvragen: "waarom?", "en hoe doe ik dat?", "de tweede".\n'
        "• Twijfel ik, dan stel ik een paar vragen voor waaruit je kiest.\n"
        "• Weet ik het niet, dan zeg ik dat eerlijk en zeg ik bij wie je terechtkan.\n\n"
        f"{channel_commands}"
    )


def about_text() -> str:
    """Where the answers come from."""
    return (
        "Mijn antwoorden komen uit een vragenlijst die de leercoördinatoren van je organisatie "
        f'bijhouden. Die is gebaseerd op de pagina "{SOURCE_TITLE}":\n{SOURCE_URL}\n\n'
        "Die pagina verwijst verder naar Onderwijs Vlaanderen, de SERV – Stichting Innovatie & "
        "Arbeid, VDAB en de KU Leuven. Werkplekbot is open source."
    )


def privacy_text(retention_days: int) -> str:
    """What is stored, for how long, why, and who sees it (true to what the code does)."""
    return (
        "Wat ik bewaar over je vragen:\n"
        "• het tijdstip, je vraag, welk antwoord ik gaf en hoe zeker ik was;\n"
        "• of je een antwoord nuttig vond (👍/👎);\n"
        "• het soort chat (privé of groep).\n\n"
        "Je naam en je Telegram-id bewaar ik niet. Je vragen hangen aan een code die uit je id "
        "berekend wordt met een geheime sleutel; zonder die sleutel is die code niet naar jou "
        "terug te leiden. Alleen een bericht waarop ik nog moet antwoorden, bewaar ik even mét "
        "je Telegram-id (zodat het antwoord ook na een herstart bij jou komt); zodra ik "
        "geantwoord heb, wis ik dat.\n\n"
        f"Hoe lang: {retention_days} dagen, daarna wis ik alles automatisch. Met /vergeet wis je "
        "zelf meteen alles wat over jou bewaard is.\n\n"
        "Waarom en wie: de leercoördinatoren (beheerders van deze bot) zien totalen en de vragen "
        "die ik niet goed kon beantwoorden, zodat ze de vragenlijst kunnen verbeteren. Ze zien "
        "nooit wie een vraag stelde."
    )


# -- Telegram ---------------------------------------------------------------------------------

TELEGRAM_COMMANDS = (
    "Commando's: /onderwerpen (alle onderwerpen), /over (bronnen), /privacy, /vergeet, /help.\n"
    "In een groep antwoord ik als je me vermeldt (@-naam) of op mijn bericht antwoordt."
)
# Under /help, for an admin in a private chat.
ADMIN_HELP = (
    "Voor beheerders:\n"
    "• /onbeantwoord: vragen zonder goed antwoord. Met ➕ voeg je ze in één tik toe aan een "
    "bestaande vraag, met 📝 maak je er een nieuwe vraag van.\n"
    "• /kennis: alle kennisbestanden als zip. Pas een bestand aan en stuur het terug als "
    "document (.yaml of .zip): je ziet eerst wat er verandert, pas na Toepassen geldt het.\n"
    "• /versies: wie veranderde wat. /terugzetten: terug naar een eerdere versie.\n"
    "• /stats: hoe vaak de bot antwoord gaf. /herlaad: de kennis opnieuw inlezen."
)
DESCRIPTION = (
    "Ik beantwoord je vragen over werkplekleren: leren op en via je werk, in de zorg, het "
    "welzijn en de jeugdhulp. Waarom het werkt, welke voorwaarden helpen, loopbaangesprekken, "
    "een POP, mentoren, … Stel je vraag gewoon in je eigen woorden."
)
SHORT_DESCRIPTION = "Vragen over werkplekleren? Stel ze hier, in je eigen woorden."
TOPICS_BUTTON = "📚 Onderwerpen"
BACK_BUTTON = "← Terug"
NONE_OF_THESE = "Geen van deze"
SHARE_BUTTON = "↗ Delen"
FORGET_QUESTION = (
    "Wil je dat ik alles wis wat over jou bewaard is (je vragen en je feedback)? Dat kan niet "
    "ongedaan gemaakt worden."
)
FORGET_YES, FORGET_NO = "Ja, wis alles", "Nee"
FORGET_DONE = "Gewist: alles wat over jou bewaard was. Vanaf nu begin je opnieuw."
FORGET_ALREADY = "Dat is al gebeurd."
FORGET_KEPT = "Oké, ik wis niets."
FORGET_FAILED = "Dat lukte nu even niet. Probeer /vergeet zo meteen opnieuw."
NOT_YOUR_BUTTON = "Deze knop is voor wie /vergeet vroeg."
THANKS_UP = "Bedankt voor je feedback! 👍"
THANKS_DOWN = "Bedankt voor je feedback."
DOWN_WITH_ALTERNATIVES = "Jammer dat dit niet hielp. Bedoelde je misschien een van deze?"
DOWN_WITHOUT_ALTERNATIVES = (
    "Jammer dat dit niet hielp. Kies een onderwerp, of stel je vraag anders."
)
DOWN_IN_GROUP = "Stuur me gerust een privébericht, dan zoeken we samen verder."
DOWN_PRIVATELY = "Over je 👎 bij <b>{question}</b>:"
STALE_BUTTON = "Deze knop werkt niet meer. Stel je vraag gerust opnieuw."
TOPIC_GONE = "Dat onderwerp bestaat niet meer. Kies een ander:"
ENTRY_GONE = "Die vraag bestaat niet meer. Kies een onderwerp:"
ALREADY_PICKED = "Je koos hier al een vraag."
PICKED = "Je koos: <b>{label}</b>"
TEXT_ONLY = "Ik lees alleen tekst. Typ je vraag gerust, of kies een onderwerp."
GROUP_GREETING = (
    "Hallo allemaal! Ik ben Werkplekbot: ik beantwoord vragen over werkplekleren. In deze groep "
    "reageer ik alleen als je me vermeldt (typ @{username} en je vraag) of op een bericht van mij "
    "antwoordt. Privé kan je me alles vragen."
)
FLOOD_NOTICE = (
    "Rustig aan, ik krijg veel berichten tegelijk van je. Wacht een minuutje en stel dan je "
    "vraag opnieuw; tot dan reageer ik niet."
)
FLOOD_TOAST = "Even rustig aan: wacht een minuutje."
BUSY_NOTICE = "Het is even heel druk. Je antwoord komt zo, even geduld."
SOMETHING_WENT_WRONG = "Oei, er ging iets mis bij het beantwoorden. Probeer het zo meteen nog eens."
NOT_ADMIN = "Dit commando is er alleen voor de beheerders van deze bot."
NOT_ADMIN_BUTTON = "Deze knop is er alleen voor de beheerders van deze bot."
REVIEW_EMPTY = "Geen onbeantwoorde vragen. 🎉"
REVIEW_EMPTIED = "Geen onbeantwoorde vragen meer. 🎉"
REVIEW_GROUP_GONE = "Deze groep is al genegeerd of bestaat niet meer."
REVIEW_DISMISSED = "Genegeerd."
UNDO_DISMISS_BUTTON = "↩️ Toch niet negeren"
REVIEW_RESTORED = "Weer in de lijst."
REVIEW_UNDO_GONE = "Dat is al ongedaan gemaakt."
ADMIN_PRIVATE_ONLY = (
    "Beheercommando's werken alleen in een privégesprek met mij, zodat niemand anders de "
    "gegevens ziet."
)
INLINE_START = "Vraag het Werkplekbot"
INLINE_NOTHING_FOUND = "Niets gevonden: vraag het Werkplekbot zelf"

# -- admins changing the knowledge --------------------------------------------------------------

KNOWLEDGE_CAPTION = (
    "De kennis zoals ze nu is ({files}). Pas een bestand aan en stuur het terug als document "
    "(één .yaml-bestand, of het hele zip-bestand): ik toon eerst wat er verandert."
)
KNOWLEDGE_READ_ONLY = "Let op: {reason}. Aanpassen via de bot kan hier dus niet."
UPLOAD_TOO_BIG = (
    "Dit bestand is te groot voor een kennisbestand (maximaal 2 MB). Er verandert niets."
)
UPLOAD_FAILED = "Ik kon je bestand niet ophalen bij Telegram. Stuur het gerust opnieuw."
UPLOAD_REFUSED = "Niet toegepast: {reason} Er verandert niets."
APPLY_BUTTON, CANCEL_BUTTON = "✅ Toepassen", "✖️ Annuleren"
APPLY_HINT = "Druk op Toepassen om dit voor iedereen live te zetten."
CHECKING = "Even nakijken…"
ENTRY_GONE_ADMIN = "Die vraag bestaat niet meer; open /onbeantwoord opnieuw."
PROPOSAL_GONE = "Dit voorstel is verlopen. Vraag de wijziging opnieuw aan."
CANCELLED = "✖️ Geannuleerd: er is niets veranderd."
CANCELLED_TOAST = "Geannuleerd."
APPLIED = "✅ Toegepast door {who}: versie {version}. Iedereen krijgt nu de nieuwe antwoorden."
NOT_APPLIED = "⚠️ Niet toegepast: {reason}"
ADD_BUTTON = "➕ Bij: {label}"
ADD_SHORT_BUTTON = "➕ {label}"
ADD_ELSEWHERE_BUTTON = "➕ Bij een andere vraag"
DRAFT_BUTTON = "📝 Nieuwe vraag"
ADD_WHERE = "Aan welke vraag wil je deze formuleringen toevoegen?"
DRAFT_CAPTION = (
    "Een nieuwe vraag om aan te vullen: schrijf het antwoord, kies het onderwerp en stuur dit "
    "bestand terug als document. Ik toon eerst wat er verandert."
)
VERSIONS_EMPTY = (
    "Er zijn nog geen versies. Die ontstaan zodra iemand de kennis via de bot aanpast (een "
    "bestand sturen, of ➕ in /onbeantwoord)."
)
VERSIONS_TITLE = "Versies van de kennis (nieuwste eerst)"
VERSIONS_HINT = "Teruggaan naar een versie: /terugzetten, of /terugzetten en het nummer."
RESTORE_TITLE = "Naar welke versie wil je terug?"
RESTORE_NONE = "Er is geen eerdere versie om naar terug te gaan."
RESTORE_NOT_A_NUMBER = "“{text}” is geen versienummer."


def zip_leaves_out(names: list[str]) -> str:
    """A note that a zip lacks files the knowledge has: applying it removes them."""
    listed = ", ".join(names)
    which = (
        f"ontbreekt het bestand {listed}" if len(names) == 1 else f"ontbreken de bestanden {listed}"
    )
    return (
        f"Let op: in je zip {which} van de huidige kennis. Pas je dit toe, dan verdwijnt "
        "wat erin staat. Was dat niet de bedoeling, stuur dan de volledige zip van /kennis "
        "terug."
    )


def sentence(text: str) -> str:
    """``text`` as a sentence: a capital first, a full stop last."""
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "?", "!")) else ".")


def restored(number: int, version: "Version", proposal: "Proposal") -> str:
    """After going back to version ``number``: what it is now, what changed, how to undo."""
    return (
        f"✅ Teruggezet naar versie {number}; dat is nu versie {version.number}.\n"
        f"{sentence(proposal.difference.summary())}\n"
        f"Toch niet? /terugzetten {version.number - 1} zet terug wat er net was."
    )
