"""Arbitrary Unicode at the matcher and the reply rendering: never an exception, always a
reply Telegram accepts (at most 4096 characters per message, well-formed HTML, nothing the
user typed echoed as markup)."""

from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core import Core
from bot.knowledge import Knowledge
from bot.telegram.render import _units, html_text, keyboard, split_message

ALLOWED_TAGS = {"b", "i", "pre", "code"}
NASTY = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "<b>vet</b> & <i>",
        "**vet** _schuin_ `code` [x](http://a)",
        "\u202e\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627",
        "\u200b\u200d\ufeff",
        "\x00\x01\x1b[31m\x7f",
        "👩‍👩‍👧‍👦🇧🇪" * 50,
        "?!.,;:" * 30,
        " \t\n\r " * 20,
        "werkplekleren " * 800,
        # One "word" of pasted text: no compound split or typo correction may try every cut.
        "werkplekleren" * 800,
        "&amp; &lt; &#x27;",
        "\ud7ff\ue000\U0010ffff",
    ]
)
QUESTIONS = st.one_of(
    st.text(max_size=300),
    NASTY,
    st.builds(lambda a, b: a + b, NASTY, st.text(max_size=50)),
    # 10,000-character messages
    st.text(min_size=1, max_size=60).map(lambda s: (s * (10_000 // len(s) + 1))[:10_000]),
)


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in ALLOWED_TAGS or attrs:
            self.bad.append(tag)
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.bad.append(f"/{tag}")


def assert_valid_html(chunk: str) -> None:
    checker = _Checker()
    checker.feed(chunk)
    checker.close()
    assert not checker.bad and not checker.stack, (checker.bad, checker.stack, chunk[:200])


@pytest.fixture(scope="module")
def lexical(knowledge: Knowledge) -> Core:
    """The matcher without its semantic part, as these tests were written for."""
    return Core(knowledge, semantic=False)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(question=QUESTIONS)
def test_any_text_gets_a_valid_reply(lexical: Core, question: str) -> None:
    check_reply(lexical, question)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(question=QUESTIONS)
def test_any_text_gets_a_valid_reply_with_the_semantic_part(core: Core, question: str) -> None:
    # The model sees NUL bytes, lone surrogates and long texts too (it is a C engine).
    check_reply(core, question)


def check_reply(core: Core, question: str) -> None:
    """A reply of a known kind, as valid HTML within Telegram's limits, safe buttons."""
    reply = core.ask(question)
    assert reply.outcome in ("answer", "choices", "fallback")
    assert reply.to_json()["question"] == question
    chunks = split_message(html_text(reply))
    assert chunks
    for chunk in chunks:
        assert _units(chunk) <= 4096
        assert_valid_html(chunk)
        if "<script>" in question:
            assert "<script>" not in chunk
    markup = keyboard(reply)
    for row in markup.inline_keyboard if markup else ():
        for button in row:
            assert button.text and len(button.text) <= 40
            assert (
                button.url
                or button.switch_inline_query is not None
                or len(str(button.callback_data).encode()) <= 64
            )


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=400), NASTY), min_size=1, max_size=40))
def test_splitting_keeps_tags_balanced_and_text_whole(parts: list[str]) -> None:
    from html import escape

    html = (
        "\n\n".join(f"<i>{escape(p)}</i>" if n % 3 == 0 else escape(p) for n, p in enumerate(parts))
        * 3
    )
    chunks = split_message(html)
    for chunk in chunks:
        assert _units(chunk) <= 4096
        assert_valid_html(chunk)

    def plain(s: str) -> str:
        return "".join(s.replace("<i>", "").replace("</i>", "").split())

    assert plain("".join(chunks)) == plain(html)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_analysis_never_fails(core: Core, text: str) -> None:
    tokens = core.matcher.analyzer.tokens(text)
    assert all(isinstance(token, str) and token for token in tokens)
