import pytest

from pprr_utils.dataset.errors import ParameterError
from pprr_utils.dataset.periods import parse_period, resolve_in


@pytest.mark.parametrize(
    "text", ["2021/22 Q2", "2021-22-Q2", "2021-22 Q2", "2021/22Q2", " 2021/22 q2 "]
)
def test_spellings_of_a_quarter(text):
    p = parse_period(text)
    assert p.label == "2021/22 Q2" and p.slug == "2021-22-Q2"


def test_year_and_order():
    assert parse_period("2023-24").label == "2023/24"
    assert parse_period("2020/21") < parse_period("2021/22 Q2") < parse_period("2021/22")
    assert parse_period("2021/22 Q2").year_end().label == "2021/22"
    assert parse_period("2023/24").shift(-1).label == "2022/23"


@pytest.mark.parametrize("text", ["2021/23", "202/22", "Q2", "2021", "next year"])
def test_bad_periods(text):
    with pytest.raises(ValueError, match="period"):
        parse_period(text)


def test_resolve_in_lists_what_is_held_in_time_order():
    held = ["2023/24", "2021/22 Q2"]
    assert resolve_in("2021-22-Q2", held) == "2021/22 Q2"
    with pytest.raises(
        ParameterError, match=r"'2022/23' in the data; periods held: 2021/22 Q2, 2023/24"
    ):
        resolve_in("2022-23", held)
    with pytest.raises(ParameterError, match=r"not a period.*; the data holds: none"):
        resolve_in("Q2", [], held_as="the data holds")
