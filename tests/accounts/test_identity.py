import pytest
from django.core.exceptions import ValidationError

from portal.accounts import identity


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("A123456(3)", "A123456(3)"),
        ("a1234563", "A123456(3)"),  # lower case, no brackets
        (" A 123456 (3) ", "A123456(3)"),
        ("C668668(9)", "C668668(9)"),
        ("AB987654(3)", "AB987654(3)"),  # two-letter prefix
    ],
)
def test_valid_hkid_is_normalised(raw, expected):
    assert identity.normalise_hkid(raw) == expected


@pytest.mark.parametrize("raw", ["A123456(4)", "A12345(3)", "123456(3)", "ABC123456(3)", "A123456(B)", ""])
def test_invalid_hkid_is_refused(raw):
    with pytest.raises(ValidationError):
        identity.normalise_hkid(raw)


def test_hkid_check_digit_can_be_a():
    # Find a number whose check digit is A and prove it round-trips.
    for n in range(1000):
        digits = f"{n:06d}"
        if identity.hkid_check_digit("B", digits) == "A":
            assert identity.normalise_hkid(f"B{digits}(A)") == f"B{digits}(A)"
            with pytest.raises(ValidationError):
                identity.normalise_hkid(f"B{digits}(0)")
            return
    pytest.fail("no check digit A found in the range searched")


def test_wrong_check_digit_message_names_the_bracket_digit():
    with pytest.raises(ValidationError) as excinfo:
        identity.normalise_hkid("A123456(4)")
    assert excinfo.value.code == "hkid_check_digit"


@pytest.mark.parametrize(("raw", "expected"), [("1234567(8)", "1234567(8)"), ("51234568", "5123456(8)"), ("7654321 (0)", "7654321(0)")])
def test_valid_macao_id(raw, expected):
    assert identity.normalise_macao_id(raw) == expected


@pytest.mark.parametrize("raw", ["2234567(8)", "123456(8)", "12345678(9)", "A234567(8)", "1234567(X)"])
def test_invalid_macao_id(raw):
    with pytest.raises(ValidationError):
        identity.normalise_macao_id(raw)


@pytest.mark.parametrize(("raw", "expected"), [("H12345678", "H12345678"), ("m87654321", "M87654321"), ("H1234567890", "H1234567890")])
def test_valid_travel_permit(raw, expected):
    assert identity.normalise_travel_permit(raw) == expected


@pytest.mark.parametrize("raw", ["H1234567", "X12345678", "H123456789", "12345678"])
def test_invalid_travel_permit(raw):
    with pytest.raises(ValidationError):
        identity.normalise_travel_permit(raw)


@pytest.mark.parametrize(
    ("value", "masked"),
    [("A123456(3)", "A****56(*)"), ("AB987654(3)", "A*****54(*)"), ("1234567(8)", "1****67(*)"), ("H12345678", "H******78"), ("", "")],
)
def test_masking_hides_all_but_the_edges(value, masked):
    assert identity.mask_identity_number(value) == masked


def test_last_digits_for_staff_search():
    assert identity.last_digits("A123456(3)") == "3456"
