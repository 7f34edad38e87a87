"""Open vs closed questions: rules added after reading AnnoMI dev errors, checked on our own
sales sentences (no AnnoMI text here)."""

from __future__ import annotations

import pytest

from simulator.scoring import score


def label(text: str) -> str:
    return score(text).question.label


@pytest.mark.parametrize(
    "text",
    [
        # A line break inside a sentence does not cut the question in two.
        "In what ways would your team be better off if the rollout\nwent the way you planned?",
        "how would things change for the warehouse staff once the new\r\nscanners are in?",
        # A topic handed to the buyer.
        "And how about your finance team?",
        "What about their operations people?",
        "ok, and how about then your own view on the timing?",
        # Kinds of things, or the buyer's own picture.
        "So what sort of delays are we talking about here?",
        "What sorts of goals does the board have for next year?",
        "What kind of partner do you reckon you need for this?",
        # Indirect questions that invite an explanation.
        "I wonder if something changed on your side since March.",
        "I'm wondering if you've given any thought to how the switch would land with your team.",
        "So I guess I'm wondering whether the timeline is really what's holding this up.",
        # Echo questions hand over the rest of the sentence.
        "The sticking point would be what?",
        "And the main worry for your CFO is what?",
        # A statement that hands the buyer their view, and chat-style fragments.
        "Not sure what you make of all that?",
        "interested in how you're handling renewals today.",
        # Unchanged open forms the lead listed.
        "What else is on the list?",
        "How do you feel about the current supplier?",
        "What makes you say that?",
    ],
)
def test_open(text):
    assert label(text) == "open"


@pytest.mark.parametrize(
    "text",
    [
        # Proposals and one-fact questions stay closed.
        "How about $8?",
        "How about we meet on Tuesday?",
        "What about a longer term?",
        "What kind of volume do you need?",
        "And your budget is what?",
        "The renewal date would be what?",
        "How does that sound?",
        "So you think the pilot went well?",
        # Asking whether there are questions is a yes/no question, "other" or not.
        "Do you have any questions for me?",
        "Do you have any other questions before we wrap up?",
        # Yes/no and either/or, even with a wrapped line.
        "Would you be able to sign\nby Friday?",
        "Is the platform fee the issue, or the seat price?",
    ],
)
def test_closed(text):
    assert label(text) == "closed"


@pytest.mark.parametrize(
    "text",
    [
        # "I wonder if…" that asks for time, an action or a yes to a proposal is not an
        # invitation to explain.
        "I wondered if you had a minute to talk.",
        "I wonder if you could send the signed order today.",
        "I'm wondering if we could pick this up next week.",
        "I wonder if that's something you'd be open to.",
    ],
)
def test_wonder_requests_are_not_open(text):
    assert label(text) != "open"


def test_wrapped_sentence_evidence_points_into_the_response():
    text = "Thanks for that. What would need to be true for you to move\nforward this quarter?"
    q = score(text).question
    assert q.label == "open"
    (span,) = q.evidence
    assert text[span.start : span.end].replace("\n", " ") == span.text
    assert span.text.endswith("this quarter?")


def test_lines_that_are_separate_sentences_stay_separate():
    # The first line ends a thought with punctuation; the second is its own closed question.
    text = "Let me recap the terms:\ndoes the three-year term work?"
    assert label(text) == "closed"
