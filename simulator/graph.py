"""A scenario's conversation as a diagram: Mermaid (stateDiagram-v2) or Graphviz DOT text.

Both are drawn from `simulator.lint.edges`, the same edge model the linter checks,
so the picture shows what lint reasons about: edges are labelled with their moves
and conditions, the start is marked, endings are marked won or lost, and states
no path reaches and transitions that can never fire are drawn dashed.

Why not `transitions`' own GraphMachine: its Mermaid output styles the machine's
current state as "active" and has no mark for endings on flat machines, and its
DOT output needs the graphviz (or pygraphviz) package. Writing the text here keeps
both formats free of extra dependencies and identical in content.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.lint import Edge, condition_text, edges, reachable
from simulator.model import MOVES, Persona, Scenario

FORMATS = ("mermaid", "dot")


@dataclass(frozen=True)
class _Arrow:
    source: str
    dest: str
    label: str
    never: bool  # the transition can never fire


#: Words Mermaid reads as keywords; a state with such a name gets a different node id.
_MERMAID_RESERVED = frozenset({"end", "state", "class", "classdef", "direction", "note"})


def _mid(name: str) -> str:
    return f"{name}_" if name.lower() in _MERMAID_RESERVED else name


def _moves_label(moves: tuple[str, ...]) -> str:
    return "any" if set(moves) == set(MOVES) else " / ".join(moves)


def _arrows(graph: list[Edge]) -> list[_Arrow]:
    out = []
    for e in graph:
        never = not e.live
        if e.shadowed and e.moves and set(e.moves + e.shadowed) == set(MOVES):
            label = "any other"  # `move: any` after earlier transitions took some moves
        else:
            label = _moves_label(e.moves or e.shadowed)
        cond = condition_text(e.when)
        if cond:
            label += f" [{cond}]"
        if never:
            label += " (never fires)"
        out.append(_Arrow(e.source, e.dest, label, never))
    return out


def _ending_note(scenario: Scenario, name: str) -> str | None:
    ending = scenario.conversation.states[name].ending
    if ending is None:
        return None
    return f"{ending.status}, {'won' if ending.won else 'lost'}"


def to_mermaid(scenario: Scenario, persona: Persona | None = None) -> str:
    """The conversation as a Mermaid state diagram."""
    graph = edges(scenario, persona)
    live = reachable(scenario, graph)
    states = scenario.conversation.states
    lines = ["---", f"title: {_mermaid_text(scenario.title)}", "---", "stateDiagram-v2",
             "  direction LR",
             "  classDef won fill:#d8f3dc,stroke:#2d6a4f,color:#081c15",
             "  classDef lost fill:#ffe3e3,stroke:#9d0208,color:#370617",
             "  classDef unreached stroke-dasharray:4 4,color:#777777"]
    for name in states:
        note = _ending_note(scenario, name)
        label = f"{name} ({note})" if note else name
        lines.append(f"  state \"{label}\" as {_mid(name)}")
    lines.append(f"  [*] --> {_mid(scenario.conversation.start)}")
    for a in _arrows(graph):
        lines.append(f"  {_mid(a.source)} --> {_mid(a.dest)}: {_mermaid_text(a.label)}")
    for name, st in states.items():
        if st.ending is not None:
            lines.append(f"  {_mid(name)} --> [*]")
    for name, st in states.items():
        if name not in live:
            lines.append(f"  class {_mid(name)} unreached")
        elif st.ending is not None:
            lines.append(f"  class {_mid(name)} {'won' if st.ending.won else 'lost'}")
    return "\n".join(lines) + "\n"


def _mermaid_text(text: str) -> str:
    # ':' starts a label, ';' ends a statement, '#' starts an entity code in Mermaid.
    return text.replace(":", " -").replace(";", ",").replace("#", "no. ").replace('"', "'")


def _dot_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(scenario: Scenario, persona: Persona | None = None) -> str:
    """The conversation as Graphviz DOT text (render with `dot -Tsvg`, or any DOT viewer)."""
    graph = edges(scenario, persona)
    live = reachable(scenario, graph)
    conv = scenario.conversation
    q = _dot_quote
    lines = [f"digraph {q(scenario.id)} {{",
             f"  label={q(scenario.title)};",
             "  labelloc=t;",
             "  rankdir=LR;",
             '  node [shape=box, style=rounded, fontname="Helvetica"];',
             '  edge [fontname="Helvetica", fontsize=10];',
             '  "__start__" [shape=point, width=0.15, label=""];',
             f"  \"__start__\" -> {q(conv.start)};"]
    for name, st in conv.states.items():
        attrs, style = [], ["rounded"]
        note = _ending_note(scenario, name)
        if note:
            won = st.ending is not None and st.ending.won
            style.append("filled")
            attrs += [f"label={q(name + chr(10) + note)}", "peripheries=2",
                      f"fillcolor={q('#d8f3dc' if won else '#ffe3e3')}"]
        if name not in live:
            style.append("dashed")
            attrs.append('fontcolor="#777777"')
        if len(style) > 1:
            attrs.append(f"style={q(','.join(style))}")
        lines.append(f"  {q(name)}" + (f" [{', '.join(attrs)}]" if attrs else "") + ";")
    for a in _arrows(graph):
        style = ', style=dashed, color="#777777"' if a.never else ""
        lines.append(f"  {q(a.source)} -> {q(a.dest)} [label={q(a.label)}{style}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def render(scenario: Scenario, persona: Persona | None, fmt: str) -> str:
    """The diagram in one of FORMATS."""
    if fmt == "mermaid":
        return to_mermaid(scenario, persona)
    if fmt == "dot":
        return to_dot(scenario, persona)
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
