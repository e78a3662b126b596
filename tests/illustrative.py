"""Illustrative (invented) rows shared by the tests that build small datasets."""

ILLUSTRATIVE_PERIODS = [
    {
        "period": "2021/22 Q2",
        "framework": "2021/22",
        "title": "Illustrative mid-year",
        "kind": "in-year",
        "target_year": "2021/22",
        "previous": "2020/21",
    },
    {
        "period": "2023/24",
        "framework": "2024/25",
        "title": "Illustrative baseline",
        "kind": "baseline",
        "target_year": "2024/25",
        "previous": "2022/23",
    },
]
