"""Safe YAML parsing that keeps line numbers and explains errors in words an admin understands."""

import re
from dataclasses import dataclass
from typing import Any

import yaml

# A knowledge file has a few hundred nodes; this bounds what aliases expand to ("billion laughs").
MAX_NODES = 100_000
_COMMENT_AFTER = re.compile(r"\s+#")

Value = str | int | float | bool | None | list["Node"] | dict[str, "Node"]


@dataclass(frozen=True)
class Node:
    """A parsed YAML value with the 1-based line it starts on."""

    value: Value
    line: int
    # A plain (unquoted) text followed by " #" on its line: YAML silently cut the rest off.
    cut_by_comment: bool = False
    key_lines: tuple[tuple[str, int], ...] = ()

    def key_line(self, key: str) -> int:
        """The line of a mapping key (falls back to the mapping's own line)."""
        return dict(self.key_lines).get(key, self.line)


class YamlError(Exception):
    """A file that is not valid YAML, with the line and an explanation."""

    def __init__(self, line: int, message: str, *, from_syntax: bool = False) -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        # Raised by the YAML parser itself (not by a check of ours).
        self.from_syntax = from_syntax


_HINTS: tuple[tuple[str, str], ...] = (
    (
        "mapping values are not allowed",
        "er staat een dubbele punt (:) waar YAML ze niet verwacht. Meestal staat ze midden in "
        'een tekst: zet de hele tekst dan tussen aanhalingstekens, bijvoorbeeld answer: "Let '
        'op: ...". Of op de regel erboven ontbreekt de dubbele punt na een veldnaam (id: ...).',
    ),
    (
        "could not find expected ':'",
        "hier ontbreekt een dubbele punt na een veldnaam, of een tekst loopt over meerdere "
        "regels. Zet '>-' na de veldnaam en spring de tekst eronder in, of zet hem tussen "
        "aanhalingstekens.",
    ),
    (
        "did not find expected '-' indicator",
        "het inspringen van een lijst klopt niet: elk item begint met '- ' op dezelfde hoogte "
        "als de items erboven.",
    ),
    (
        "did not find expected key",
        "het inspringen klopt niet. Alle velden van één vraag (id, question, alternates, "
        "answer, ...) moeten even ver inspringen, met spaties.",
    ),
    (
        "expected <block end>",
        "het inspringen klopt niet, of een tekst begint met een leesteken dat YAML iets anders "
        "laat denken. Controleer het inspringen, of zet de tekst tussen aanhalingstekens.",
    ),
    (
        "found unexpected end of stream",
        "een aanhalingsteken wordt niet afgesloten. Zet aan het einde van de tekst hetzelfde "
        "aanhalingsteken als aan het begin.",
    ),
    (
        "found undefined alias",
        "er staat een verwijzing (*naam) naar iets dat niet bestaat. Schrijf de tekst voluit.",
    ),
    (
        "expected a comment or a line break",
        "na de aanhalingstekens staat nog tekst. Zet de hele tekst tussen de aanhalingstekens.",
    ),
)


# The parser errors a list item written without its '- ' leads to; with the wrong indentation
# or a missing colon they look the same, so the text decides (see _item_above).
_MAY_LACK_DASH = re.compile(
    r"could not find expected ':'|expected <block end>|did not find expected"
)


_FIELD = re.compile(r"^[\w-]+:(\s|$)")


def _item_above(lines: list[str], line: int) -> int | None:
    """The line of the list item a dashless ``line`` sits among, if it does: the nearest line
    above at the same indentation starts with '- ' and is of the same kind (a field or a text).
    Then the dash is what is missing; else it is an indentation or colon problem."""
    if not 0 < line <= len(lines):
        return None
    text = lines[line - 1]
    content = text.lstrip(" ")
    if not content or content.startswith(("-", "#")):
        return None
    indent = len(text) - len(content)
    for number in range(line - 1, 0, -1):
        above = lines[number - 1]
        stripped = above.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        above_indent = len(above) - len(stripped)
        if above_indent < indent:
            return None
        if above_indent == indent:
            if stripped != "-" and not stripped.startswith("- "):
                return None
            # A field under a list of texts is indented wrong; a field under a list of blocks,
            # or a text under a list of texts, lacks its dash.
            item = stripped[1:].lstrip(" ")
            return number if bool(_FIELD.match(content)) == bool(_FIELD.match(item)) else None
    return None


def _explain(problem: str) -> str:
    if "cannot start any token" in problem:
        if "'\\t'" in problem:
            return "er staat een tab. Spring in met spaties, niet met tabs."
        char = problem.split("'")[1] if "'" in problem else "dit teken"
        return (
            f"een tekst mag in YAML niet beginnen met {char}. Zet de hele tekst tussen "
            "aanhalingstekens."
        )
    for needle, hint in _HINTS:
        if needle in problem:
            return hint
    return "dit is geen geldige YAML. Controleer deze regel en de regel erboven."


# libyaml parses about twenty times faster (a 30,000-entry knowledge in under a second instead
# of twelve); its error messages say less, so a file with an error is parsed again in Python.
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


def plain(text: str) -> Any:
    """A YAML document as plain Python data, read as :func:`parse` reads it (a text libyaml
    accepts, such as ``[Wat is x?, …]``, reads the same here)."""
    return yaml.load(text, Loader=_FAST_LOADER or yaml.SafeLoader)


def parse(text: str) -> Node | None:
    """Parse one YAML document safely; raises :class:`YamlError` with a line and a hint."""
    if "\x00" in text:
        raise YamlError(1, "dit is geen tekstbestand (het bevat binaire gegevens).")
    if _FAST_LOADER is not None:
        try:
            return _parse(text, _FAST_LOADER)
        except YamlError as exc:
            if not exc.from_syntax:
                raise
    return _parse(text, yaml.SafeLoader)


def _parse(text: str, loader_class: type) -> Node | None:
    loader = loader_class(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        return _Converter(loader, text.splitlines()).convert(root)
    except yaml.MarkedYAMLError as exc:
        # An unclosed quote is noticed at the end of the file, and a line that is neither a
        # list item nor a field ("while scanning a simple key") only on the line after it:
        # point at where it started.
        started = any(
            where in (exc.context or "") for where in ("quoted scalar", "scanning a simple key")
        )
        mark = (exc.context_mark if started else None) or exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = f"{exc.problem or ''} {exc.context or ''}"
        lacks_dash = _MAY_LACK_DASH.search(problem)
        dash_line = _item_above(text.splitlines(), line) if lacks_dash else None
        if dash_line is not None:
            message = (
                "hier ontbreekt '- ' aan het begin van de regel: elk item van een lijst begint "
                f"met '- ', zoals op regel {dash_line}."
            )
        else:
            message = _explain(problem)
        raise YamlError(line, message, from_syntax=True) from None
    except yaml.YAMLError as exc:
        raise YamlError(1, _explain(str(exc)), from_syntax=True) from None
    except RecursionError:
        raise YamlError(
            1,
            "dit bestand is te diep genest (lijsten in lijsten in lijsten...). "
            "Een kennisbestand heeft hooguit een paar niveaus.",
        ) from None
    finally:
        loader.dispose()


class _Converter:
    def __init__(self, loader: yaml.SafeLoader, lines: list[str]) -> None:
        self._loader = loader
        self._lines = lines
        self._budget = MAX_NODES

    def convert(self, node: yaml.Node) -> Node:
        self._budget -= 1
        if self._budget < 0:
            raise YamlError(
                node.start_mark.line + 1,
                "dit bestand is veel te groot of herhaalt zichzelf eindeloos via verwijzingen "
                "(&anker / *alias). Schrijf de teksten voluit.",
            )
        line = node.start_mark.line + 1
        if isinstance(node, yaml.ScalarNode):
            value = self._loader.construct_object(node)
            if not isinstance(value, str | int | float | bool | type(None)):
                value = str(node.value)  # dates and the like: keep the text as written
            return Node(value, line, self._cut_by_comment(node))
        if isinstance(node, yaml.SequenceNode):
            return Node([self.convert(item) for item in node.value], line)
        assert isinstance(node, yaml.MappingNode)
        mapping: dict[str, Node] = {}
        key_lines: list[tuple[str, int]] = []
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if (
                not isinstance(key_node, yaml.ScalarNode)
                or key_node.tag == "tag:yaml.org,2002:merge"
            ):
                raise YamlError(
                    key_line,
                    "hier staat geen gewone veldnaam. Begint de regel met '? ' of '<<'? Zet de "
                    "tekst dan tussen aanhalingstekens.",
                )
            key = str(key_node.value)
            if key in mapping:
                first = dict(key_lines)[key]
                raise YamlError(key_line, self._twice(key, first, line))
            mapping[key] = self.convert(value_node)
            key_lines.append((key, key_line))
        return Node(mapping, line, key_lines=tuple(key_lines))

    def _twice(self, key: str, first: int, block: int) -> str:
        """A key met twice in one block. When the block is a list item ('- id: ...'), the
        second key most likely belongs to the next item, which lost its dash."""
        if not self._line(block).lstrip(" ").startswith("- "):
            return (
                f"het veld '{key}' staat hier twee keer (ook op regel {first}). Houd er één over."
            )
        opens = first == block and self._line(block).lstrip(" -").startswith(key)
        where = f"voor '{key}:'" if opens else "voor de eerste regel ervan"
        return (
            f"het veld '{key}' staat hier twee keer in hetzelfde blok (ook op regel {first}). "
            f"Begint hier een nieuw item? Zet dan '- ' {where}, zoals op regel {block}."
        )

    def _line(self, number: int) -> str:
        return self._lines[number - 1] if 0 < number <= len(self._lines) else ""

    def _cut_by_comment(self, node: yaml.ScalarNode) -> bool:
        if node.style or node.start_mark.line != node.end_mark.line:
            return False
        line = self._lines[node.end_mark.line] if node.end_mark.line < len(self._lines) else ""
        return bool(_COMMENT_AFTER.match(line[node.end_mark.column :]))
