"""Series lineage: one measure printed under different codes in successive frameworks."""

from __future__ import annotations

from collections.abc import Sequence

from .code_rules import CodeRule


def link_series(
    measures: list[dict], findings: list[dict], lineages: Sequence[CodeRule] = ()
) -> None:
    """Give a measure coded ``rule.from_`` + n the series of the one coded ``rule.to`` + n.

    ``lineages`` are the lineage rules of code_rules.csv (Stockport's 2021/22 ``CFSE.n``
    continues as the 2024/25 ``CFE.n``). Where the frameworks print different polarities for
    one series, the later one is used for both and the conflict is recorded.
    """
    for rule in lineages:
        later = {m["code"][len(rule.to) :]: m for m in measures if m["code"].startswith(rule.to)}
        for m in measures:
            if m["code"].startswith(rule.from_):
                n = m["code"][len(rule.from_) :]
                if n in later:
                    m["series"] = later[n]["code"]
    by_series: dict[str, list[dict]] = {}
    for m in measures:
        by_series.setdefault(m["series"], []).append(m)
    for ms in by_series.values():
        if len(ms) < 2:
            continue
        ms.sort(key=lambda m: m["framework"])
        last = ms[-1]
        for m in ms[:-1]:
            if m["polarity"] != last["polarity"]:
                findings.append(
                    {
                        "check": "polarity-conflict",
                        "location": f"{m['source']} {m['code']}",
                        "issue": f"{m['code']} ({m['framework']}) is printed with good performance '{m['polarity']}' but the same measure {last['code']} ({last['framework']}) is '{last['polarity']}'",
                        "resolution": f"Taken as '{last['polarity']}' in both frameworks (the later document; '{m['polarity']}' contradicts the measure's name).",
                    }
                )
                m["polarity"] = last["polarity"]
