"""What changed, word by word: the runs always rebuild both texts exactly, whether the diff is exact
or (for a huge, repetitive middle) approximate."""
import pytest

from content.text import EXACT_DIFF_LIMIT, word_changes


def rebuilt(runs, keep: str) -> list[str]:
    return " ".join(words for kind, words in runs if kind in ("same", keep)).split()


@pytest.mark.parametrize("before, after", [
    ("a b c d e", "a x c d e f"),
    ("", "new words"),
    ("old words", ""),
    ("a a a", "a a a a"),
    ("a " * 24_000, "a " * 24_000 + "more"),
    ("x " + "a b " * 3_000 + "y", "z " + "b a " * 3_000 + "w"),  # a middle past the exact diff's limit
])
def test_the_runs_rebuild_both_texts(before, after):
    runs = word_changes(before, after)
    assert rebuilt(runs, "removed") == before.split() and rebuilt(runs, "added") == after.split()


def test_a_small_change_in_a_long_text_is_found_exactly():
    before = " ".join(f"w{n}" for n in range(3_000))
    after = before.replace("w1500", "changed")
    assert [(kind, words) for kind, words in word_changes(before, after) if kind != "same"] == [
        ("removed", "w1500"), ("added", "changed")]
    assert 6_000 ** 2 > EXACT_DIFF_LIMIT  # the repetitive case above is past the limit
