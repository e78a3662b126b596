"""vocabulary: one set of polarity words for the measures table and the ratings' reasons."""

from __future__ import annotations

from pprr_utils.dataset import score, vocabulary


def test_polarity_words():
    assert vocabulary.POLARITY == {"high": "High", "low": "Low", "none": "Contextual"}
    assert vocabulary.GOOD_DIRECTION == {"high": "high is good", "low": "low is good"}


def test_score_says_the_same():
    # score's reasons use the phrases derived here (until score imports them itself)
    said = getattr(score, "POLARITY_WORDS", vocabulary.GOOD_DIRECTION)
    assert said == vocabulary.GOOD_DIRECTION
