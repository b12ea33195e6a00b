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


# --- Macao resident identity card, Certificate of Exemption, M permits ---------------------


@pytest.mark.parametrize("raw", ["1234567(8)", "1234567 8", "12345678", " 1234567 (8) ", "1/234567/8", "1-234567-8"])
def test_macao_id_is_accepted_with_brackets_spaces_slashes_or_nothing(raw):
    assert identity.normalise_macao_id(raw) == "1234567(8)"
    assert identity.normalise("macao_id", raw) == "1234567(8)"


@pytest.mark.parametrize("raw", ["5215299(8)", "7654321(0)"])
def test_macao_id_leading_digits_5_and_7(raw):
    assert identity.normalise_macao_id(raw) == raw


@pytest.mark.parametrize("raw", ["0234567(8)", "3234567(8)", "123456(8)", "123456789", "1234567(A)", "1234567()",
                                 "M1234567", "1234567(8)(9)", ""])
def test_invalid_macao_id_is_refused_with_a_clear_message(raw):
    with pytest.raises(ValidationError) as refused:
        identity.normalise_macao_id(raw)
    assert refused.value.code == "macao_id_format" and "1234567(8)" in refused.value.messages[0]


@pytest.mark.parametrize(("raw", "expected"), [("M12345678", "M12345678"), ("m 1234 5678", "M12345678"),
                                               ("M-12345678", "M12345678"), ("M1234567890", "M1234567890")])
def test_m_prefix_permit_with_spaces_or_dashes(raw, expected):
    number = identity.normalise_travel_permit(raw)
    assert number == expected and identity.travel_permit_issued_to(number) == "macao"
    assert identity.travel_permit_issued_to("H12345678") == "hong_kong"


@pytest.mark.parametrize("raw", ["M1234567", "M123456789", "MM12345678", "N12345678", "M1234567A"])
def test_invalid_m_prefix_permit(raw):
    with pytest.raises(ValidationError):
        identity.normalise_travel_permit(raw)


def test_macao_id_and_m_permit_are_masked_like_the_hkid():
    assert identity.mask_identity_number(identity.normalise_macao_id("12345678")) == "1****67(*)"
    assert identity.mask_identity_number("M87654321") == "M******21"


@pytest.mark.parametrize(("raw", "expected"), [("CE123456/78", "CE123456/78"), (" ce 123456/78 ", "CE123456/78"),
                                               ("1234567(8)", "1234567(8)")])
def test_certificate_of_exemption_keeps_a_reasonable_format(raw, expected):
    assert identity.normalise_certificate_of_exemption(raw) == expected


@pytest.mark.parametrize("raw", ["", "ABC", "ABCDEFG", "12345", "CE12 34#5", "CE1234567890123456"])
def test_certificate_of_exemption_refuses_what_cannot_be_one(raw):
    with pytest.raises(ValidationError) as refused:
        identity.normalise_certificate_of_exemption(raw)
    assert refused.value.code == "coe_format"


@pytest.mark.parametrize(("raw", "kind", "number"), [
    ("a1234563", "hkid", "A123456(3)"), ("1234567 8", "macao_id", "1234567(8)"), ("m87654321", "travel_permit", "M87654321"),
])
def test_detect_recognises_the_kind_from_the_format(raw, kind, number):
    assert identity.detect(raw) == (kind, number)


@pytest.mark.parametrize("raw", ["A123456(4)", "CE123456/78", "hello"])
def test_detect_refuses_wrong_or_unrecognisable_numbers(raw):
    with pytest.raises(ValidationError):
        identity.detect(raw)


@pytest.mark.parametrize(("text", "full"), [("A123456(3)", True), ("1234567(8)", True), ("1/234567/8", True),
                                            ("M87654321", True), ("4567", False), ("91234567", False)])
def test_full_numbers_are_recognised_where_only_last_digits_may_be_typed(text, full):
    assert identity.looks_like_full_number(text) is full


def test_an_unknown_document_kind_is_refused():
    with pytest.raises(ValidationError):
        identity.normalise("passport", "K1234567")
