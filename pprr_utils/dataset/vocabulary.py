"""The report's words for a measure's polarity (which direction of travel is good).

One mapping, ``POLARITY``: the word the measures table prints in its "Good performance"
column. ``GOOD_DIRECTION`` is derived from it: the phrase a rating's reason says
("high is good"), for the two polarities that have a good direction.
"""

from __future__ import annotations

#: polarity -> the "Good performance" word of the measures table
POLARITY: dict[str, str] = {"high": "High", "low": "Low", "none": "Contextual"}

#: polarity -> the phrase a rating's reason uses: "high is good", "low is good"
GOOD_DIRECTION: dict[str, str] = {
    p: f"{word.lower()} is good" for p, word in POLARITY.items() if p in ("high", "low")
}
