"""Questions about the asker's own case: who their mentor is, when their next talk is, what
being a mentor pays. The FAQ explains concepts, not one organisation's people, dates or pay, so
such a question gets the concept offered ("Bedoelde je…?") with a pointer to who does know,
instead of the concept's answer as if it answered.

The patterns are few and specific on purpose: on the development sets they caught every
out-of-scope question that was answered and no in-domain one ("Wie is Herman Baert?", "Wanneer
is een werkplek een sterke leeromgeving?" and "Ik word volgende maand mentor…" stay answered).
"""

import re

_OWN_CASE = re.compile(
    r"\b(?:"
    # Pay: the FAQ says what a mentor does, not what it earns.
    r"verdien\w*|betaald|loon|premie|salaris|vergoeding|loonbrief"
    # One person: "wie is mijn mentor", "wie is de referentiepersoon op afdeling B".
    r"|wie (?:is|zijn) (?:mijn|m'n|onze|ons)\b"
    r"|wie (?:is|zijn) de \w+(?: \w+)? (?:van|op|bij|in) (?:de|het|mijn|m'n|onze|ons|afdeling)\b"
    # One date: "wanneer is mijn volgende loopbaangesprek".
    r"|wanneer (?:is|zijn|moet|start|begint) (?:mijn|m'n|onze|ons|de volgende|het volgende)\b"
    r")",
    re.IGNORECASE,
)


def asks_about_own_case(question: str) -> bool:
    """Whether ``question`` asks for a person, date or pay of the asker's own organisation."""
    return _OWN_CASE.search(question) is not None
