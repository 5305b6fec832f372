"""Identifier formats (DECISIONS.md D-18), shared by models, forms, the importer and the API."""

from django.core.validators import RegexValidator

PRISON_NUMBER_PATTERN = r"^[A-Z][0-9]{4}[A-Z]{2}$"
PRISON_CODE_PATTERN = r"^[A-Z]{3}$"
CRN_PATTERN = r"^[A-Z][0-9]{6}$"
LDU_CODE_PATTERN = r"^[A-Z0-9_]{2,20}$"

validate_prison_number = RegexValidator(
    PRISON_NUMBER_PATTERN,
    "Enter a prison number in the format A1234BC: a letter, 4 digits, then 2 letters",
    code="invalid_prison_number",
)
validate_prison_code = RegexValidator(
    PRISON_CODE_PATTERN, "Enter a prison code of 3 capital letters, like LEI", code="invalid_prison_code"
)
validate_crn = RegexValidator(
    CRN_PATTERN, "Enter a CRN in the format X123456: a letter then 6 digits", code="invalid_crn"
)
validate_ldu_code = RegexValidator(
    LDU_CODE_PATTERN,
    "Enter a delivery unit code of 2 to 20 capital letters, digits or underscores",
    code="invalid_ldu_code",
)
