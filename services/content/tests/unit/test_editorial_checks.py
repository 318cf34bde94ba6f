"""Editorial checks: each finds what it looks for, and a well-written body gets none."""
import pytest

from content.checks import editorial_checks


def checks(body: str) -> list[str]:
    return [finding["check"] for finding in editorial_checks(body)]


@pytest.mark.parametrize("body, found", [
    ("![](map.png)", ["alt_text"]),
    ("![ ](map.png)", ["alt_text"]),
    ("# Title again", ["heading"]),
    ("## Part\n\n#### Detail", ["heading"]),
    ("[Click here](/programme).", ["link_text"]),
    ("Read [more](/a) or [](/b).", ["link_text", "link_text"]),
    (" ".join(["word"] * 26) + ".", ["long_sentence"]),
    ("- " + " ".join(["word"] * 30), ["long_sentence"]),
])
def test_each_check_finds_its_problem(body, found):
    assert checks(body) == found


def test_a_well_written_body_gets_no_finding():
    body = ("## Before the meeting\n\nSend the papers a week early. ![The room, set out in a circle](room.png)\n\n"
            "### Papers\n\nSee [the programme for the week](/programme).\n\n## On the day\n\nStart on time.")
    assert editorial_checks(body) == []


def test_a_finding_says_what_to_change():
    [finding] = editorial_checks("See [here](/programme).")
    assert finding["message"] == "The link to /programme says 'here': say where it goes."
