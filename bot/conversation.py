"""Follow-ups: what a message means after what the bot said before, the same for every channel.

A chat's :class:`State` remembers the last answered entry and the last list the user saw (the
choices of "Bedoelde je…?", the points an answer lists, its related questions, a topic's
questions, the topics). :func:`converse` uses it for "de tweede", "nummer 2", "2", "ja" after
"Bedoelde je…?", "meer daarover", and questions that only make sense with the previous topic
("en hoe doe ik dat?", "waarom?", "en voor nieuwkomers?"). A new complete question ignores the
state; a follow-up the state does not explain falls back as any unknown question does.
"""

import re
from dataclasses import dataclass, replace

from bot import messages
from bot.core import Core
from bot.dutch import STOPWORDS
from bot.knowledge import Entry, Knowledge
from bot.listings import bullet_text, is_bullet
from bot.matching import Candidate, Match, Outcome
from bot.replies import (
    Choice,
    Reply,
    Topic,
    build_reply,
    choices_reply,
    topics_of,
)
from bot.text import fold

TOPICS_BODY = "Kies een onderwerp:"
# After 👎 or in inline mode, a candidate below this share of the choices threshold for its
# kind of score is no longer worth offering (fused scores run lower than lexical ones).
PLAUSIBLE_SHARE = 0.65
# A short message names a listed entry when its own words score this much for it, this far
# ahead of the rest of the list (lexical scores; tuned on the development conversations).
NAMED_SCORE = 40.0
NAMED_MARGIN = 15.0
TOPIC_BODY = "{title}\nKies een vraag:"

_ORDINALS = {
    "eerste": 1, "tweede": 2, "derde": 3, "vierde": 4, "vijfde": 5, "zesde": 6,
    "zevende": 7, "achtste": 8, "negende": 9, "tiende": 10, "laatste": -1, "voorlaatste": -2,
    "een": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "last": -1,
    "penultimate": -2,
}  # fmt: skip
# Words around an ordinal that do not change it: "en de derde?", "nummer 2 graag", "ja, de
# eerste" (after "Bedoelde je…?").
_AROUND_ORDINAL = frozenset(
    "en de het die da dat nummer nr no optie keuze vraag punt graag aub alsjeblieft ja ok oke "
    "the number option one please yes".split()
)
# A request around an ordinal ("doe maar de tweede", "vertel meer over de derde", "uhm, de
# tweede"); after an answer that lists things, also their name ("de vijfde reden", after other
# lists "de tweede voorwaarde" names something else). Only around an ordinal word: around a
# number or "een" they ask something else ("geef me een tip", "wat is 20?").
_ASKING = frozenset(
    "vertel meer over wat is doe maar geef toon mij me ik wil uhm euh pls plz svp eens ies es "
    "tell more about give".split()
)
_LISTED_THINGS = frozenset("reden voorwaarde conditie stap tip reason condition step".split())
_CARDINALS = frozenset("een twee drie vier vijf zes zeven acht".split())
_NUMBERED = re.compile(r"^(\d{1,2})(e|de|ste|st|nd|rd|th)?$")
# A message of these words, with at least one of the first, says yes to "Bedoelde je…?"
# ("ja", "ja da", "ja graag", "jaja, da bedoel ik", "ja, doe maar").
_YES = frozenset(
    "ja jaja jaa jep jup jawel yes yep yup yeah klopt inderdaad juist precies exact correct graag "
    "zeker tuurlijk ok oke okay".split()
)
_ALONG_WITH_YES = frozenset(
    "dat da die deze bedoel ik doe maar is het hoor aub alsjeblieft svp please pls".split()
)
# ... and right under an answer, one of these says yes to its "Meer weten?"; the others ("ok",
# "klopt") only acknowledge it.
_YES_MORE = _YES - frozenset("klopt inderdaad juist precies exact correct ok oke okay".split())
# "Meer daarover", "vertel me er eens meer over", "tell me more", "ok, en verder?": only these
# words, with one of the first.
_MORE = frozenset("meer more verder further".split())
_MORE_WORDS = _MORE | frozenset(
    "nog iets wat vertel zeg geef wil kan kun kunt mag ik je me mij er eens daar hier over "
    "daarover hierover erover info informatie uitleg weten graag aub alsjeblieft en dan ok oke "
    "tell me about it that please".split()
)
# "En welke andere zijn er nog?", "and the others?": only these words, with one of the first,
# after an answer that one of the knowledge's lists names (a condition of Baert's): that list.
_OTHERS = frozenset("andere anderen other others".split())
_ABOUT_OTHERS = _OTHERS | frozenset(
    "en welke wat zijn er nog de die dan zo zoiets zulke bestaan bestaat "
    "and what which are there any the ones else".split()
)
# Words that point back at what was said before: a message with one of them is read with
# the previous answer's topic.
# (Folded like the messages they are compared with: "zo'n" reads "zon".)
_ANAPHORA = frozenset(
    fold(
        "dat da dit die daar daarover daarvoor daarmee daarbij daarin daarvan daaraan daarop "
        "daardoor hierover hiervoor hiermee hierbij hieraan ervan erover ermee ervoor eraan "
        "erop erbij er het ze zo'n zoiets eentje hem haar dan that this it those them"
    ).split()
)
# Of those, the ones that point at what was said rather than at a person or thing named.
_STATEMENT_ANAPHORA = _ANAPHORA - frozenset("die ze hem haar eentje them those dan".split())
# Of those, the ones that point at the answer as a whole ("wat kost dat?"), not into it ("wie
# is daar…", "hoe gaat het daarin?").
_THE_ANSWER = frozenset("dat da dit het that this it".split())
# Words that open a follow-up or ask for more of the same ("geef eens een voorbeeld", "leg
# eens uit"): not words of its own.
_FOLLOW_UP_OPENERS = frozenset(
    "en maar waarom hoezo hoe wat welke wanneer wie geef geeft geven vertel leg uitleggen uit "
    "voorbeeld voorbeelden vb bv korter kort simpeler eenvoudiger duidelijker "
    "and but why how give explain example shorter simpler".split()
)
# Words that join a message on to the previous one.
_JOINING = frozenset("en maar ook and but also".split())
# "Dat" and, of the words pointing back, the pronouns made with "daar", "hier" or "er"
# ("daarvoor", "erover"; not "daar" or "er" alone): they point at what was said.
_THAT = frozenset("dat da that".split())
_THERE_FOR = frozenset(w for w in _ANAPHORA if re.fullmatch(r"(?:daar|hier|er)\w+", w))
# Around "er", these make it "there is" ("is er", "zijn er nog"), not a word pointing back.
_TO_BE = frozenset("is zijn was waren bestaat bestaan".split())
# "En het management, …", "maar het team dan?": a joining word, "het" and one noun that ends
# the phrase.
_NEW_SUBJECT = re.compile(r"^\s*(?:en|maar|ook|and|but)\s+het\s+\w+\s*(?:[,?!.]|dan\b|$)")
# "En een interne bedrijfscoach, wat is dat?", "and the SERV, what is that?": joined on, a
# subject named before a comma, then the question whose "dat" points at that subject.
_NAMED_FIRST = re.compile(
    r"^\s*(?:en|maar|ook|and|but)\s+(?:[\w'-]+\s+){0,3}[\w'-]+\s*,\s*"
    r"(?:wat|wie|hoe|waarom|waarvoor|what|who|how|why)\b"
)
# "En voor vrijwilligers?", "ook voor een klein team?", "and for older staff?", "en in de
# praktijk?", "kan dat ook online?": the answer before, for someone or somewhere it does not
# name (when the words name an entry, that one).
_AUDIENCE = re.compile(
    r"^\s*(?:(?:en|ook|maar|and|also)\s+(?:ook\s+)?(?:voor|bij|in|op|for)"
    r"|(?:kan|mag|moet|werkt|gaat|geldt)\s+(?:dat|da|dit|het)\s+ook)"
    r"(?!\s+(?:welke?|wat|wanneer|hoe|wie|waar|which|what|when)\b)"
    r"\s+(?:\w+\s*){1,4}[?!.]*\s*$"
)
# A message of one of these words asks for the topics, as /onderwerpen does (a colleague types
# "menu" or "terug" without the slash).
_TOPICS_WORDS = frozenset("onderwerpen onderwerp menu terug start begin topics".split())
# A follow-up is short; a longer message is a question of its own.
_MAX_FOLLOW_UP_WORDS = 8


@dataclass(frozen=True)
class Listed:
    """One item of the last list the user saw: an entry to answer or a topic to open."""

    label: str
    entry_id: str | None = None
    topic_key: str | None = None

    @classmethod
    def of(cls, entry: Entry) -> "Listed":
        """The item that answers an entry."""
        return cls(entry.short_label, entry_id=entry.id)


@dataclass(frozen=True)
class Turn:
    """What one message led to: the reply, the chat's new state, and whether the message
    picked a listed item (a pick) or asked something (a question)."""

    reply: Reply
    state: "State"
    picked: bool = False


@dataclass(frozen=True)
class State:
    """What a chat's next message may refer to."""

    entry_id: str | None = None
    listed: tuple[Listed, ...] = ()
    # The last list was "Bedoelde je…?": "ja" picks its first item.
    offered: bool = False
    # The last question typed, for "not this one" (👎) to find the next best.
    question: str = ""
    # The list was shown numbered (choices, menus, the points of an answer or its related
    # questions), so a number beyond it deserves "choose 1 to n"; after unnumbered buttons a
    # number is just a message.
    numbered: bool = False
    # The answer numbers points of its own: the list is those, and its related questions are
    # shown without numbers.
    points: bool = False
    # The list the answer was picked from (typed or tapped) and its place there, for "en de
    # volgende?".
    from_list: tuple[Listed, ...] = ()
    from_index: int = -1


START = State()


def topics_menu(knowledge: Knowledge, body: str = TOPICS_BODY) -> Reply:
    """The topics to open (``body``: what to say above them)."""
    return Reply("choices", "", body, topics=topics_of(knowledge), menu="topics")


def topic_menu(knowledge: Knowledge, key: str) -> Reply | None:
    """A topic's questions to pick from; None when no topic has that key (any more)."""
    section = knowledge.topic_by_key.get(key)
    if section is None:
        return None
    body = TOPIC_BODY.format(title=section.title)
    return choices_reply(
        knowledge, "", section.entry_ids, 100.0, menu="topic", intro=body, topic=section.key
    )


def answer(core: Core, entry_id: str, question: str = "") -> Reply | None:
    """An entry's answer as every channel shows it: the points it lists numbered when each
    has an entry of its own (so "de derde" is plain to see). None for an unknown id."""
    reply = core.pick(entry_id, question)
    return reply if reply is None else numbered(core, reply)


def numbered(core: Core, reply: Reply) -> Reply:
    """A reply whose answer lists entries, with its bullets turned into numbers."""
    entry = core.knowledge.by_id.get(reply.entry_id or "")
    if entry is None or not answer_items(core, entry):
        return reply
    lines, number = [], 0
    for line in reply.body.splitlines():
        if is_bullet(line):
            number += 1
            line = f"{number}. {bullet_text(line)}"
        lines.append(line)
    return replace(reply, body="\n".join(lines))


def next_best(
    core: Core, question: str, leave_out: tuple[str, ...] = (), limit: int = 3
) -> tuple[str, ...]:
    """Entries still worth offering for a question (after 👎, in inline mode), best first."""
    candidates = core.match(question, alternatives=True).candidates if question.strip() else ()
    return tuple(
        c.entry_id
        for c in candidates
        if c.entry_id not in leave_out
        and c.entry_id not in core.knowledge.small_talk_ids
        and c.score >= PLAUSIBLE_SHARE * core.thresholds.decision(c.fused)[2]
    )[:limit]


def answer_items(core: Core, entry: Entry) -> tuple[Choice, ...]:
    """The entries an answer lists as bullet points, in order, when every point has an entry
    of its own (``Core.listings``); else nothing."""
    by_id = core.knowledge.by_id
    return tuple(Choice.of(by_id[i]) for i in core.listings.get(entry.id, ()))


def after(core: Core, state: State, reply: Reply, question: str = "") -> State:
    """The state once ``reply`` has been shown."""
    listed: tuple[Listed, ...]
    entry = core.knowledge.by_id.get(reply.entry_id or "")
    if reply.small_talk and not reply.related:
        # "Merci", "oké": the answer and the list before still stand ("de tweede", "waarom?").
        return replace(state, question=question or state.question)
    if reply.outcome == "answer" and entry is not None:
        items = answer_items(core, entry)
        listed = tuple(Listed(c.label, entry_id=c.entry_id) for c in items or reply.related)
        asked = question or state.question
        # A greeting's related questions can be picked, but it is no subject to follow up on.
        subject = None if reply.small_talk else reply.entry_id
        new = State(subject, listed, False, asked, bool(listed), bool(items))
        ids = [item.entry_id for item in state.listed]
        if reply.entry_id in ids:
            return replace(new, from_list=state.listed, from_index=ids.index(reply.entry_id))
        return new
    if reply.choices or reply.topics:
        listed = tuple(Listed(c.label, entry_id=c.entry_id) for c in reply.choices) or tuple(
            Listed(t.title, topic_key=t.key) for t in reply.topics
        )
        offered = reply.menu in ("doubt", "more")
        # After a list (choices, or the topics a fallback shows), "dat" no longer points at
        # the answer before it.
        return State(None, listed, offered, question or state.question, True)
    return replace(state, question=question or state.question)


def _bare(text: str) -> list[str]:
    """A message's words without those around an ordinal ("en de derde?" -> ["derde"])."""
    return [w for w in fold(text).split() if w not in _AROUND_ORDINAL]


def points_shown(reply: Reply, state: State) -> int:
    """How many points of its own ``reply`` numbers for a typed number to pick (``state``: the
    chat's state after it); 0 for any other reply, a "merci" after it included."""
    return len(state.listed) if state.points and reply.entry_id == state.entry_id else 0


def is_next(text: str) -> bool:
    """Whether a message asks for the next item of a list ("en de volgende?", "next")."""
    return _bare(text) in (["volgende"], ["next"])


def ordinal(text: str, things: bool = False) -> int | None:
    """The position a message asks for ("2", "de tweede", "en nummer 3?"; with ``things``,
    also "de derde voorwaarde"), or None."""
    asking = _ASKING | _LISTED_THINGS if things else _ASKING
    words = _bare(text)
    rest = [w for w in words if w not in asking]
    if len(rest) != 1:
        return None
    word = rest[0]
    numbered = _NUMBERED.match(word)
    if len(rest) < len(words) and (word in _CARDINALS or (numbered and not numbered.group(2))):
        return None
    if numbered:
        return int(numbered.group(1))
    return _ORDINALS.get(word)


def pick(core: Core, state: State, item: Listed, question: str) -> Turn:
    """Follow a listed item: answer its entry or open its topic."""
    knowledge = core.knowledge
    reply: Reply | None = None
    if item.entry_id is not None:
        reply = answer(core, item.entry_id, question)
    elif item.topic_key is not None:
        reply = topic_menu(knowledge, item.topic_key)
    if reply is None:  # gone after a reload
        reply = topics_menu(knowledge)
    return Turn(reply, after(core, state, reply, question), picked=True)


def converse(core: Core, state: State, message: str) -> Turn:
    """Answer one message in the light of the chat's state; the reply and the new state."""
    text = message.strip()
    folded = fold(text)
    following = state.from_index + 1
    if state.from_list and following < len(state.from_list) and is_next(text):
        return pick(core, replace(state, listed=state.from_list), state.from_list[following], text)
    position = ordinal(text, things=state.points) if state.listed else None
    if position is not None:
        count = len(state.listed)
        # (Negative: from the end, "de laatste" -1, "de voorlaatste" -2.)
        index = count + position if position < 0 else position - 1
        if 0 <= index < count:
            return pick(core, state, state.listed[index], text)
        # Beyond the answer's own list, "en de vijfde" goes on in the list it was picked from.
        if count < position <= len(state.from_list):
            listed = replace(state, listed=state.from_list)
            return pick(core, listed, state.from_list[position - 1], text)
        if state.numbered:
            return Turn(out_of_range(core, state, text), state)
    if folded in _TOPICS_WORDS:
        menu = topics_menu(core.knowledge)
        return Turn(menu, after(core, state, menu, text))
    words = set(folded.split())
    if state.offered and state.listed and _says_yes(text, words):
        return pick(core, state, state.listed[0], text)
    previous = core.knowledge.by_id.get(state.entry_id or "")
    if previous is not None and words & _MORE and words <= _MORE_WORDS:
        # "Meer daarover": its answer is all the knowledge says about it; its related
        # questions (buttons, "Meer weten?") lead further.
        reply = core.pick(previous.id, text)
        if reply is not None:
            reply = nothing_more(reply)
            return Turn(reply, after(core, state, reply, text))
    if previous is not None and words & _YES_MORE and _says_yes(text, words):
        reply = core.pick(previous.id, text)
        if reply is not None and reply.related:
            reply = nothing_more(reply, messages.MORE_AFTER_YES)
            return Turn(reply, after(core, state, reply, text))
    if previous is not None and words & _OTHERS and words <= _ABOUT_OTHERS:
        listing = _listing(core, previous)
        if listing is not None:
            return pick(core, state, Listed.of(listing), text)
    match = core.match(text)
    if match.out_of_scope:
        # Listed by the admins as outside the FAQ: not a follow-up of whatever came before.
        reply = build_reply(core.knowledge, match, text)
        return Turn(reply, after(core, state, reply, text))
    named = _named_item(core, state, text, match)
    if named is not None:
        return pick(core, state, named, text)
    follow_up = previous is not None and _is_follow_up(core, text, folded, match)
    if previous is not None and follow_up:
        match = _with_context(core, previous, text, match)
    reply = numbered(core, build_reply(core.knowledge, match, text))
    if reply.outcome == "fallback" and not text:
        return Turn(reply, state)
    if previous is not None and follow_up and reply.entry_id == previous.id:
        # The follow-up leads back to the answer just given: say so instead of repeating it.
        reply = nothing_more(reply)
    return Turn(reply, after(core, state, reply, text))


def _listing(core: Core, entry: Entry) -> Entry | None:
    """The entry whose answer lists ``entry`` as one of its points ("Welke voorwaarden
    stimuleren werkplekleren?" for a condition); of several, the one among its related
    questions; None when there is no single one."""
    listings = [i for i, items in core.listings.items() if entry.id in items]
    if len(listings) > 1:
        listings = [i for i in listings if i in entry.related]
    return core.knowledge.by_id[listings[0]] if len(listings) == 1 else None


def _says_yes(text: str, words: set[str]) -> bool:
    """Whether a message (``words``: folded) is a yes: yes words and words that go along with
    them only, and no question ("klopt dat?", "is dat zeker?" ask)."""
    return bool(words & _YES) and words <= _YES | _ALONG_WITH_YES and not text.endswith("?")


def nothing_more(reply: Reply, wording: str = messages.NOTHING_MORE) -> Reply:
    """The answer just given, as "that is all I know" (or ``wording``) with its related
    questions: no title and no links of its own, so it does not read as a new answer."""
    body = wording.format(question=reply.title)
    return replace(reply, title="", body=body, links=())


def out_of_range(core: Core, state: State, text: str) -> Reply:
    """A number beyond the list: say which numbers there are, and list them again."""
    count = len(state.listed)
    body = (
        "Typ 1 om die te kiezen, of typ een vraag."
        if count == 1
        else f"Kies een nummer van 1 tot {count}, of typ een vraag."
    )
    entries = tuple(i.entry_id for i in state.listed if i.entry_id)
    if entries:
        return choices_reply(core.knowledge, text, entries, 0.0, menu="range", intro=body)
    topics = tuple(Topic(i.topic_key, i.label) for i in state.listed if i.topic_key)
    return Reply("choices", text, body, topics=topics, menu="range")


def _with_context(core: Core, previous: Entry, text: str, alone: Match) -> Match:
    """:func:`_read_with_context`; a question about the asker's own case ("wie is dat bij
    ons?") gets its entry offered, not answered, also when the previous question makes it
    one of the knowledge's own."""
    match = _read_with_context(core, previous, text, alone)
    if alone.own_case and match.outcome == "answer":
        return replace(match, outcome="choices", candidates=match.candidates[:1], own_case=True)
    return match


def _read_with_context(core: Core, previous: Entry, text: str, alone: Match) -> Match:
    """The match of a follow-up read together with the previous answer's question.

    A follow-up with words of its own that answers on its own keeps that answer ("en de
    kosten?"), unless it points back ("en hoe haal ik dat?": about the previous answer, even
    if "haal" alone would find another entry). Read with the previous question, the previous
    entry wins again only if it explains the follow-up's own words too, or if the message
    points back at it and it is still the best reading. A question about the asker's own case
    (or for a number or a rule) that is plainly about the previous answer offers that answer's
    entry, whatever its other words."""
    if alone.outcome == "answer" and _NAMED_FIRST.match(text.casefold()):
        return alone
    analyzer = core.matcher.analyzer
    own = _own_words(core, text)
    words = fold(text).split()
    back = _pointing_back(text, words)
    points_back = bool(back)
    single = alone.outcome == "choices" and len(alone.candidates) == 1 and not alone.own_case
    if own and single and _explained(core, text):
        # One plausible entry for the words it brings ("en van de VDAB?"): in a conversation
        # that is the one meant. (Not for a question about the asker's own case: its entry is
        # offered, not answered, wherever it is asked.)
        alone = replace(alone, outcome="answer")
    if alone.outcome == "answer" and not points_back and (own or words[0] not in _JOINING):
        # "Wat kunde gij allemaal?" after an answer: a question of its own.
        return alone
    if alone.own_case and alone.outcome == "fallback" and _about_the_answer(words):
        # "En hoe lang duurt dat per week?" after the answer on referentiepersonen: a number,
        # a rule or the asker's own case about that answer, whatever its other words; the
        # entry is offered with a word on whom to ask.
        offered = Candidate(previous.id, alone.score, previous.question, 0.0, 0.0)
        return replace(alone, outcome="choices", candidates=(offered,))
    audience = _AUDIENCE.match(text.casefold()) is not None
    if not _explained(core, text) and not audience:
        return alone
    combined = core.match(f"{text} {previous.question} {previous.short_label}")
    best = combined.candidates[0] if combined.candidates else None
    if combined.outcome != "answer":
        if points_back and best is not None and best.entry_id == previous.id:
            # A question about the asker's own case is offered, not answered, here too.
            outcome: Outcome = "choices" if combined.own_case else "answer"
            return replace(combined, outcome=outcome, candidates=(best,))
        return alone
    # "En de leidinggevende, wat moet die doen?", "en de leidinggevende dan?": joined on with
    # words of its own, the message asks about something new; a "die" there points at the new
    # thing, where a "dat" ("en wat kost dat?") points at the previous answer.
    new_subject = words[0] in _JOINING and not back & _STATEMENT_ANAPHORA
    # "Wat is die publicatie van de SERV?": a question of its own (not joined on), with words
    # of its own, every pointing word standing before one of them (an article), and an answer
    # of its own. ("En het kost veel?" is joined on, "het" a pronoun.)
    named = (
        alone.outcome == "answer"
        and words[0] not in _JOINING
        and len(own) > 1
        and _articles_only(words, back, own)
    )
    new_question = new_subject or not points_back or named
    if own and not audience and combined.entry_id == previous.id and new_question:
        ranked = core.matcher.rank(analyzer.tokens(" ".join(own)), limit=3)
        if previous.id not in {c.entry_id for c in ranked}:
            return alone
    return combined


def _named_item(core: Core, state: State, text: str, alone: Match) -> Listed | None:
    """The listed entry a short message names by its words ("die over de kosten", "en die van
    de KU Leuven?"): the best of the list for the message's own words, well ahead of the rest
    of the list. A message that answers on its own with an entry outside the list is a new
    question.

    A message that points at the answer with "dat" ("en wat kost dat?", "in welk boek staat
    dat?") is about that answer, unless its own words weigh as much as a phrasing must and name
    one of the answer's related questions well ahead of the answer itself: after "Wat is het
    verschil tussen een opleiding en werkplekleren?", "en wat kost dat?" is "Is werkplekleren
    goedkoper dan een opleiding?"; "en wat heeft werkplekleren daarmee te maken?" stays with the
    answer, and so do "hoe verloopt de communicatie daarin?" and "wie is daar de
    referentiepersoon?", which point into the answer. Never for a question about the asker's
    own case: that is offered, not answered."""
    entries = {item.entry_id: item for item in state.listed if item.entry_id}
    own = _own_words(core, text)
    if not own or alone.own_case or not _is_follow_up(core, text, fold(text), alone):
        return None
    competing = set(entries)
    matcher = core.matcher
    own_tokens = matcher.analyzer.tokens(" ".join(own))
    pointing = _pointing_back(text, fold(text).split()) & _STATEMENT_ANAPHORA
    if pointing:
        by_id = core.knowledge.by_id
        previous = by_id.get(state.entry_id or "")
        # ("Dat" after a list points at nothing listed.)
        if (
            previous is None
            or not pointing <= _THE_ANSWER
            or matcher.weight(own_tokens) < matcher.thresholds.min_phrasing_weight
        ):
            return None
        # (An answer that lists things lists those, not its related questions.)
        for related in previous.related:
            if related in by_id and related not in entries:
                entries[related] = Listed.of(by_id[related])
        competing = {*entries, previous.id}
    if len(competing) < 2:
        return None
    if alone.outcome == "answer" and alone.entry_id not in entries:
        return None
    if not _explained(core, text):
        return None  # "hoeveel kosten de maaltijdcheques?": about something else
    ranked = matcher.rank(own_tokens, limit=len(core.knowledge.entries))
    scores = [c.score for c in ranked if c.entry_id in competing]
    best = next((c for c in ranked if c.entry_id in competing), None)
    if best is None or best.entry_id not in entries or best.score < NAMED_SCORE:
        return None
    runner_up = scores[1] if len(scores) > 1 else 0.0
    return entries[best.entry_id] if best.score - runner_up >= NAMED_MARGIN else None


def _pointing_back(text: str, words: list[str]) -> frozenset[str]:
    """The words of a message (``words``: folded) that point back: "het" as a pronoun ("en
    wat kost het?", "en het kost veel?"), not as the article of a new subject named on its own
    ("en het management, wat moet die doen?", "en het team dan?")."""
    article = _NEW_SUBJECT.match(text.casefold()) is not None
    return frozenset(
        w
        for i, w in enumerate(words)
        if w in _ANAPHORA and not (article and i == 1) and not _existential(words, i)
    )


def _about_the_answer(words: list[str]) -> bool:
    """Whether a message (``words``: folded) is plainly about what was just said, even when
    its other words are unknown: joined on with a "dat" ("en hoe lang duurt dat per week?"), or
    with a "daarvoor" ("hoeveel uur mag ik daarvoor gebruiken?"). Not "dit jaar", "er nog",
    "daar" (there) or "weet je dat?" after a question of its own."""
    joined = words[0] in _JOINING and bool(_THAT & set(words))
    return joined or bool(_THERE_FOR & set(words))


def _existential(words: list[str], i: int) -> bool:
    """Whether ``words[i]`` is the "er" of "is er", "zijn er nog", "er bestaat": there is, not
    "of it" ("welke andere condities zijn er nog?" asks about conditions)."""
    if words[i] != "er":
        return False
    around = {words[j] for j in (i - 1, i + 1) if 0 <= j < len(words)}
    return bool(around & _TO_BE)


def _articles_only(words: list[str], back: frozenset[str], own: tuple[str, ...]) -> bool:
    """Whether every pointing word of a message (``words``: folded) stands right before one of
    its own words ("die publicatie"), not on its own ("hoe vraag ik dat aan?")."""
    nexts = [words[i + 1] if i + 1 < len(words) else "" for i, w in enumerate(words) if w in back]
    return bool(nexts) and all(word in own for word in nexts)


def _own_words(core: Core, text: str) -> tuple[str, ...]:
    """The words a message brings itself: not function words, question words or words that
    point back."""
    return tuple(
        w
        for w in core.matcher.analyzer.words(text)
        if w not in STOPWORDS and w not in _FOLLOW_UP_OPENERS and w not in _ANAPHORA
    )


def _is_follow_up(core: Core, text: str, folded: str, alone: Match) -> bool:
    """Whether a message leans on what came before: short, and either joined on ("en …?"),
    pointing back ("dat"), or bringing at most one word of its own that does not answer on its
    own ("waarom?", "en de derde?"). "Hoe behaal je een ervaringsbewijs?" is a question of its
    own, whatever came before."""
    words = folded.split()
    if not words or len(words) > _MAX_FOLLOW_UP_WORDS or _courtesy_alone(core, text, words, alone):
        return False
    if _says_a_question_of_its_own(core, alone) and words[0] not in _JOINING:
        return False
    if words[0] in _JOINING or _pointing_back(text, words):
        return True
    # "Waarom?", "waar?", "en de derde?" lean on the answer before; "ok" or "wat kunde gij
    # allemaal" answer on their own.
    return len(_own_words(core, text)) <= 1 and alone.outcome != "answer"


def _courtesy_alone(core: Core, text: str, words: list[str], alone: Match) -> bool:
    """Small talk with a remark but no question ("Thanks a lot, that really helped!", "bedankt,
    dat helpt me verder"): its "that" points at the answer to thank for it, not to ask more."""
    return (
        alone.outcome == "answer"
        and alone.entry_id in core.knowledge.small_talk_ids
        and "?" not in text
        and not _FOLLOW_UP_OPENERS.intersection(words)
    )


def _says_a_question_of_its_own(core: Core, alone: Match) -> bool:
    """Whether a message is one of the knowledge's own questions in other words ("zijn er nog
    andere bronnen?", "waarom doen ze da allemaal, da werkplekleren"): that answers it, "da" or
    not. Not when the words it shares are few and light ("hoe vraag ik dat aan?" is a phrasing
    of "Wat kan je?" by its one word "vragen"), nor for small talk."""
    matcher = core.matcher
    heavy = matcher.weight(alone.tokens) >= matcher.thresholds.min_phrasing_weight
    return (
        alone.exact
        and alone.entry_id not in core.knowledge.small_talk_ids
        and (heavy or len(alone.tokens) >= 3)
    )


def _explained(core: Core, text: str) -> bool:
    """Whether every content word of the follow-up itself is one the knowledge uses: "en mijn
    verlof dan?" brings a word no entry explains, so the previous topic must not answer it.
    A follow-up without words of its own ("en hoe doe ik dat?", "hoe maak ik er zo eentje?")
    is all pointing back."""
    own = " ".join(_own_words(core, text))
    return all(core.matcher.rank((token,), limit=1) for token in core.matcher.analyzer.tokens(own))
