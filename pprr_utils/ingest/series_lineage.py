"""Series lineage: one measure printed under different codes in successive frameworks."""

from __future__ import annotations

import re


def link_series(measures: list[dict], findings: list[dict]) -> None:
    """Give a 2021/22 ``CFSE.n`` measure the series of the later ``CFE.n`` with the same number.

    Where the frameworks print different polarities for one series, the later one is used
    for both and the conflict is recorded.
    """
    latest = {}
    for m in measures:
        key = re.sub(r"^CF(S)?E\.", "", m["code"]) if re.match(r"^CFS?E\.", m["code"]) else None
        if key and m["code"].startswith("CFE."):
            latest[key] = m
    by_series: dict[str, list[dict]] = {}
    for m in measures:
        if m["code"].startswith("CFSE."):
            key = m["code"][5:]
            if key in latest:
                m["series"] = latest[key]["code"]
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
