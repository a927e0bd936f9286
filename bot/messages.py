"""The bot's fixed texts (Dutch), shared by every channel."""

from bot.knowledge import Knowledge

SOURCE_TITLE = "Leren in de Social Profit – Meer weten over (het bevorderen van) werkplekleren"
SOURCE_URL = (
    "https://www.lerenindesocialprofit.be/?cid=3&pagina=113-het-bevorderen-van-werkplekleren"
)


def example_questions(knowledge: Knowledge, count: int = 3) -> tuple[tuple[str, str], ...]:
    """(entry id, question) of the first entry of the first topics: examples to try."""
    return tuple(
        (section.entry_ids[0], knowledge.by_id[section.entry_ids[0]].question)
        for section in knowledge.topics[:count]
        if section.entry_ids
    )


def welcome(knowledge: Knowledge) -> str:
    """Who I am and what I know."""
    topics = "\n".join(f"• {section.title}" for section in knowledge.topics)
    return (
        "Hallo! Ik ben Werkplekbot. Ik beantwoord je vragen over werkplekleren: leren op en via "
        "je werk.\n\n"
        f"Ik weet iets over:\n{topics}\n\n"
        "Stel je vraag gewoon in je eigen woorden, of probeer een van deze vragen:"
    )


def help_text(channel_commands: str) -> str:
    """How to use the bot; ``channel_commands`` lists the commands of the channel."""
    return (
        "Zo werk ik:\n"
        "• Typ een vraag over werkplekleren, in je eigen woorden. Een paar trefwoorden mag ook, "
        'bijvoorbeeld "loopbaangesprek" of "voorwaarden Baert".\n'
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
    """What is stored, for how long, why, and who sees it."""
    return (
        "Wat ik bewaar over je vragen:\n"
        "• het tijdstip, je vraag, welk antwoord ik gaf en hoe zeker ik was;\n"
        "• of je een antwoord nuttig vond (👍/👎);\n"
        "• het soort chat (privé of groep).\n\n"
        "Je naam en je Telegram-id bewaar ik niet. Je vragen hangen aan een code die uit je id "
        "berekend wordt met een geheime sleutel; zonder die sleutel is die code niet naar jou "
        "terug te leiden.\n\n"
        f"Hoe lang: {retention_days} dagen, daarna wis ik alles automatisch. Met /vergeet wis je "
        "zelf meteen alles wat over jou bewaard is.\n\n"
        "Waarom en wie: de leercoördinatoren (beheerders van deze bot) zien totalen en de vragen "
        "die ik niet goed kon beantwoorden, zodat ze de vragenlijst kunnen verbeteren. Ze zien "
        "nooit wie een vraag stelde."
    )
