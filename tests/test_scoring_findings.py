"""Findings are one list, each naming the rule that produced it (issue 11).

Every finding the scorer produces on the regression corpus and the blind corpus's train and
dev splits names a rule of the one registry (`simulator/scoring/rules.py`); every verdict
names a registered rule and lists the findings that decided it; and the names the learned
layer reads the findings by are the ones `score --json` has always printed as `findings`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_scoring_refactor_identical import rows  # noqa: E402  (the rows its snapshot covers)

from simulator.scoring import Context, score  # noqa: E402
from simulator.scoring.engine import score_rules  # noqa: E402
from simulator.scoring.model import Finding  # noqa: E402
from simulator.scoring.rules import RULES  # noqa: E402

VERDICTS = ("question", "price", "exchange", "stall", "telling")


@pytest.fixture(scope="module")
def scored():
    return [(key, score_rules(text, ctx), score(text, ctx)) for key, text, ctx in rows()]


def test_the_registry_is_well_formed():
    for rid, r in RULES.items():
        assert r.id == rid and r.description, rid
        assert all(b in RULES and RULES[b].label for b in r.by), f"{rid} is decided by an unknown finding rule"
    labels = [r.label for r in RULES.values() if r.label]
    assert len(labels) == len(set(labels)), "two rules share a learned-layer label"


def test_every_finding_and_verdict_names_a_registered_rule(scored):
    assert len(scored) >= 5_000
    unknown, used = [], set()
    for key, rules, full in scored:
        for f in rules.findings:
            used.add(f.rule)
            if f.rule not in RULES or not RULES[f.rule].label:
                unknown.append((key, f.rule))
        for s in (rules, full):
            for v in (getattr(s, k) for k in VERDICTS):
                if v.rule not in RULES:
                    unknown.append((key, v.rule))
                unknown += [(key, f.rule) for f in v.findings if f.rule not in RULES]
    assert not unknown, unknown[:20]
    # the corpora exercise nearly every finding rule (a rule nothing ever produces is dead)
    assert len(used) >= 10, sorted(used)


def test_each_verdict_lists_the_findings_that_decided_it(scored):
    bad = []
    for key, rules, full in scored:
        for k in VERDICTS:
            v = getattr(rules, k)
            if any(f not in rules.findings for f in v.findings):
                bad.append((key, k, "a finding the Score does not hold"))
            if any(f.rule not in RULES[v.rule].by for f in v.findings):
                bad.append((key, k, "a finding of a rule that does not decide it"))
            if RULES[v.rule].by and not v.findings:
                bad.append((key, k, f"{v.rule} with no finding behind it"))
            m = getattr(full, k)
            if m.rule == "model":
                assert m.label != v.label, (key, k)  # the learned layer decides only where it differs
                if any(f.rule != "model" for f in m.findings):
                    bad.append((key, k, "a learned verdict listing a rule's finding"))
            elif m != v:
                bad.append((key, k, "a verdict of the rules changed by the learned layer"))
    assert not bad, bad[:20]


def test_the_findings_names_are_what_json_and_the_learned_layer_read(scored):
    for key, rules, _ in scored[:2000]:
        d = rules.to_dict()
        names = [f.name for f in rules.findings]
        assert d["findings"] == names, key
        assert len(set(names)) == len(names), key  # one record per name, as before
        assert [x["rule"] for x in d["findings_detail"]] == [f.rule for f in rules.findings], key
        for f in rules.findings:
            if f.span is not None:
                assert rules.text[f.span.start:f.span.end] == f.span.text, (key, f)


def test_a_trade_names_its_give_and_its_get():
    s = score("If you commit to two years, I can do $8.20.", Context(our_price=8.50, their_price=7.50))
    assert s.price.label == "trade" and s.price.rule == "price.give_with_get"
    rules = [f.rule for f in s.price.findings]
    assert "price.give" in rules and "exchange.get" in rules
    give = next(f for f in s.price.findings if f.rule == "price.give")
    assert give.span is not None and give.span.text == "$8.20"
    assert "give: names a price below the standing offer (8.5)" in s.to_dict()["findings"]
    assert isinstance(s.findings[0], Finding)
