"""The shared field checks: what breaks a mail header or spoofs a name is refused everywhere
(forms, the admin API and the contracts all use these)."""
import uuid

import pytest
from marshmallow import ValidationError

from shared.contracts.registration import ActivityOpenedSchema, RegistrationRecordedSchema
from shared.validation import ascii_email, plain_text, single_line

# Every line break str.splitlines() knows, which the email package also refuses in a header.
LINE_BREAKS = ["\r", "\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
C1_CONTROLS = ["\x80", "\x85", "\x9b", "\x9f"]
BIDI_CONTROLS = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]


def test_the_list_of_line_breaks_is_what_python_splits_on():
    for character in map(chr, range(0x110000)):
        if len(f"a{character}b".splitlines()) > 1:
            assert single_fails(f"a{character}b"), f"U+{ord(character):04X} splits a line but passes"


def single_fails(value: str) -> bool:
    try:
        single_line("Name")(value)
    except ValidationError:
        return True
    return False


@pytest.mark.parametrize("character", LINE_BREAKS + C1_CONTROLS + BIDI_CONTROLS + ["\t", "\x00", "\x7f"])
def test_single_line_refuses_breaks_controls_and_bidi_naming_the_field(character):
    with pytest.raises(ValidationError, match="^Name must be on one line"):
        single_line("Name")(f"Ada{character}Example")


@pytest.mark.parametrize("character", C1_CONTROLS + BIDI_CONTROLS + ["\x00", "\r", "\x0b"])
def test_multi_line_text_refuses_c1_and_bidi_controls(character):
    with pytest.raises(ValidationError, match="access needs"):
        plain_text("Your access needs")(f"Step-free{character}access")


@pytest.mark.parametrize("value", ["Ada Lovelace", "Zoë O'Brien-Nic Dhòmhnaill", "محمد", "李雷", "a – b"])
def test_ordinary_names_in_any_script_pass(value):
    single_line("Name")(value)


def test_multi_line_text_keeps_its_line_breaks():
    plain_text("Your access needs")("Step-free access\r\nA quiet room\n\tand large print")


@pytest.mark.parametrize("address", ["root@localhost", "x@[127.0.0.1]", "x@[IPv6:::1]", "a@intranet",
                                     "a@10.0.0.1", "a@example.", "a@.example.org"])
def test_addresses_without_a_dotted_domain_name_are_refused_naming_the_field(address):
    with pytest.raises(ValidationError, match="email address with a full domain name"):
        ascii_email(address)


@pytest.mark.parametrize("address", ["ada@example.org", "a.b+tag@mail.example.co.uk", "x@xn--bcher-kva.example"])
def test_ordinary_addresses_pass(address):
    ascii_email(address)


def registration_payload(**overrides) -> dict:
    activity = {"title": "A walk", "starts_at": "2030-11-18T10:00:00+00:00",
                "ends_at": "2030-11-18T12:00:00+00:00", "attendance": "online"}
    return {"registration_id": str(uuid.uuid4()), "activity_id": str(uuid.uuid4()),
            "person_id": str(uuid.uuid4()), "name": "Ada", "email": "ada@example.org",
            "activity": activity, **overrides}


@pytest.mark.parametrize("overrides, field", [
    ({"name": "Ada\u202eelpmaxE"}, "name"),
    ({"name": "Ada\x85Bcc: x@example.org"}, "name"),
    ({"email": "root@localhost"}, "email"),
    ({"email": "x@[127.0.0.1]"}, "email"),
])
def test_a_contract_refuses_them_too(overrides, field):
    errors = RegistrationRecordedSchema().validate(registration_payload(**overrides))
    assert field in errors, errors


def test_a_title_with_nel_never_reaches_the_mailer():
    opened = {"activity_id": str(uuid.uuid4()), "title": "Walk\x85Subject: spoof", "organiser": "Net",
              "starts_at": "2030-11-18T10:00:00+00:00", "ends_at": "2030-11-18T12:00:00+00:00",
              "attendance": "online", "capacity": 3}
    assert "title" in ActivityOpenedSchema().validate(opened)
