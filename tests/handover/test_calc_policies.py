"""Table-driven tests of calculate(): boundaries (D-02..D-04, D-01 days) and the legacy policies (D-20, ref 3.11).

Every expected date below was worked out by hand from the rule quoted in the row's comment.
"""

from datetime import date

import pytest

from handover.calculations import HandoverFacts, UnknownPolicy, calculate

D = date.fromisoformat
CLOSED_DET = {"sentence_type": "determinate", "prison_estate": "mens_closed"}
ISP = {"sentence_type": "indeterminate", "prison_estate": "mens_closed"}


def calc(policy, as_of, **facts):
    dates = {k: D(v) if isinstance(v, str) and k.endswith(("_date", "_since")) else v for k, v in facts.items()}
    r = calculate(HandoverFacts(**dates), D(as_of), policy)
    return (
        r.reason,
        r.responsibility,
        r.handover_start_date and r.handover_start_date.isoformat(),
        r.handover_date and r.handover_date.isoformat(),
        r.earliest_release_type,
    )


BOUNDARIES = [
    # D-04: SSD 31 Jan + 10 months = 30 Nov (clamped): a CRD on that day is short, the day after is not
    (
        "short on the 10-month day",
        "current",
        "2024-02-01",
        dict(CLOSED_DET, sentence_start_date="2024-01-31", conditional_release_date="2024-11-30"),
        ("determinate_short", "Community", None, None, "CRD"),
    ),
    (
        "10 months + 1 day",
        "current",
        "2024-02-01",
        dict(CLOSED_DET, sentence_start_date="2024-01-31", conditional_release_date="2024-12-01"),
        ("determinate", "CustodyOnly", "2024-03-18", "2024-03-18", "CRD"),
    ),
    # leap day SSD: 29 Feb 2024 + 10 months = 29 Dec 2024
    (
        "leap SSD short",
        "current",
        "2024-03-01",
        dict(CLOSED_DET, sentence_start_date="2024-02-29", conditional_release_date="2024-12-29"),
        ("determinate_short", "Community", None, None, "CRD"),
    ),
    (
        "leap SSD not short",
        "current",
        "2024-03-01",
        dict(CLOSED_DET, sentence_start_date="2024-02-29", conditional_release_date="2024-12-30"),
        ("determinate", "CustodyOnly", "2024-04-16", "2024-04-16", "CRD"),
    ),
    # D-02: 31 Oct - 8 months = 29 Feb in a leap year, then - 14 days
    (
        "31 Oct in a leap year",
        "current",
        "2024-01-01",
        dict(CLOSED_DET, sentence_start_date="2023-06-01", automatic_release_date="2024-10-31"),
        ("determinate", "CustodyOnly", "2024-02-15", "2024-02-15", "ARD"),
    ),
    (
        "31 Mar - 8 months = 31 Jul",
        "current",
        "2024-01-01",
        dict(CLOSED_DET, sentence_start_date="2023-06-01", conditional_release_date="2025-03-31"),
        ("determinate", "CustodyOnly", "2024-07-17", "2024-07-17", "CRD"),
    ),
    # 12 months before 29 Feb 2028 is 28 Feb 2027; 15 months before 31 May 2025 is 29 Feb 2024
    (
        "ISP TED 29 Feb",
        "current",
        "2026-01-01",
        dict(ISP, sentence_start_date="2010-01-01", tariff_expiry_date="2028-02-29"),
        ("indeterminate", "CustodyOnly", "2027-02-28", "2027-02-28", "TED"),
    ),
    (
        "early allocation onto 29 Feb",
        "current",
        "2024-01-01",
        dict(
            CLOSED_DET, sentence_start_date="2023-01-01", conditional_release_date="2025-05-31", early_allocation=True
        ),
        ("early_allocation", "CustodyOnly", "2024-02-29", "2024-02-29", "CRD"),
    ),
    # D-03: THD exactly as_of + 12 months counts as 12 months away; a day less does not
    (
        "THD exactly 12 months",
        "current",
        "2024-05-20",
        dict(
            ISP, sentence_start_date="2019-02-05", target_hearing_date="2025-05-20", latest_parole_outcome="not_release"
        ),
        ("thd_over_12_months", "CustodyWithCom", None, None, "THD"),
    ),
    (
        "THD 12 months - 1 day",
        "current",
        "2024-05-20",
        dict(
            ISP, sentence_start_date="2019-02-05", target_hearing_date="2025-05-19", latest_parole_outcome="not_release"
        ),
        ("indeterminate", "Community", "2024-05-19", "2024-05-19", "THD"),
    ),
    (
        "THD 12 months from 29 Feb",
        "current",
        "2024-02-29",
        dict(
            ISP, sentence_start_date="2019-02-05", target_hearing_date="2025-02-28", latest_parole_outcome="not_release"
        ),
        ("thd_over_12_months", "CustodyWithCom", None, None, "THD"),
    ),
    # a THD before the sentence start is ignored (D-19): no release date
    (
        "THD of an earlier sentence",
        "current",
        "2024-05-20",
        dict(ISP, sentence_start_date="2020-01-01", target_hearing_date="2019-12-31"),
        ("release_date_unknown", "CustodyOnly", None, None, None),
    ),
    # immigration alone (DET, no sentence): inside OMiC, COM responsible
    (
        "DET without a sentence",
        "current",
        "2024-05-20",
        {"imprisonment_status": "DET"},
        ("immigration_case", "Community", None, None, None),
    ),
]

NPS = {"probation_provider": "NPS"}
LEGACY = [
    # 2019 NPS MAPPA 1: allocated CRD - 7.5 months (2021-10-31), responsible CRD - 4.5 months (2022-01-31)
    (
        "2019 MAPPA 1 before",
        "2019",
        "2021-06-01",
        dict(CLOSED_DET, **NPS, sentence_start_date="2020-06-01", conditional_release_date="2022-06-15", mappa_level=1),
        ("nps_determinate_mappa_1_n", "CustodyOnly", "2021-10-31", "2022-01-31", "CRD"),
    ),
    (
        "2019 MAPPA 1 window",
        "2019",
        "2021-11-01",
        dict(CLOSED_DET, **NPS, sentence_start_date="2020-06-01", conditional_release_date="2022-06-15", mappa_level=1),
        ("nps_determinate_mappa_1_n", "CustodyWithCom", "2021-10-31", "2022-01-31", "CRD"),
    ),
    (
        "2019 MAPPA unknown on the day",
        "2019",
        "2022-01-31",
        dict(CLOSED_DET, **NPS, sentence_start_date="2020-06-01", conditional_release_date="2022-06-15"),
        ("nps_mappa_unknown", "Community", "2021-10-31", "2022-01-31", "CRD"),
    ),
    (
        "2019 HDCED earlier than 4.5 months",
        "2019",
        "2021-06-01",
        dict(
            CLOSED_DET,
            **NPS,
            mappa_level=0,
            sentence_start_date="2020-06-01",
            conditional_release_date="2022-06-15",
            hdc_eligibility_date="2021-12-01",
        ),
        ("nps_determinate_mappa_1_n", "CustodyOnly", "2021-10-31", "2021-12-01", "CRD"),
    ),
    (
        "2019 HDCED before the start: handover moves to the start",
        "2019",
        "2021-06-01",
        dict(
            CLOSED_DET,
            **NPS,
            mappa_level=1,
            sentence_start_date="2020-06-01",
            conditional_release_date="2022-06-15",
            hdc_eligibility_date="2021-09-01",
        ),
        ("nps_determinate_mappa_1_n", "CustodyOnly", "2021-10-31", "2021-10-31", "CRD"),
    ),
    (
        "2019 HDCAD",
        "2019",
        "2021-06-01",
        dict(
            CLOSED_DET,
            **NPS,
            mappa_level=1,
            sentence_start_date="2020-06-01",
            conditional_release_date="2022-06-15",
            hdc_actual_date="2022-03-01",
        ),
        ("nps_determinate_mappa_1_n", "CustodyOnly", "2021-10-31", "2022-03-01", "CRD"),
    ),
    (
        "2019 MAPPA 2 before allocation",
        "2019",
        "2021-06-01",
        dict(CLOSED_DET, **NPS, mappa_level=2, sentence_start_date="2020-06-01", conditional_release_date="2022-06-15"),
        ("nps_determinate_mappa_2_3", "CustodyOnly", "2021-10-31", "2021-10-31", "CRD"),
    ),
    (
        "2019 MAPPA 3 after: handover is today",
        "2019",
        "2021-12-01",
        dict(CLOSED_DET, **NPS, mappa_level=3, sentence_start_date="2020-06-01", conditional_release_date="2022-06-15"),
        ("nps_determinate_mappa_2_3", "Community", "2021-10-31", "2021-12-01", "CRD"),
    ),
    (
        "2019 parole: PED - 8 months",
        "2019",
        "2021-06-01",
        dict(
            CLOSED_DET,
            **NPS,
            sentence_start_date="2020-06-01",
            parole_eligibility_date="2022-06-15",
            conditional_release_date="2023-06-15",
        ),
        ("nps_determinate_parole_case", "CustodyOnly", "2021-10-15", "2021-10-15", "PED"),
    ),
    (
        "2019 early allocation",
        "2019",
        "2021-06-01",
        dict(
            CLOSED_DET,
            **NPS,
            sentence_start_date="2020-06-01",
            conditional_release_date="2022-06-15",
            early_allocation=True,
        ),
        ("nps_early_allocation", "Community", "2021-03-15", "2021-03-15", "CRD"),
    ),
    # CRC: 12 weeks before the earliest of ARD, CRD and HDCED; no provider is CRC for a determinate sentence
    (
        "2019 CRC",
        "2019",
        "2021-06-01",
        dict(CLOSED_DET, sentence_start_date="2020-06-01", conditional_release_date="2022-06-15"),
        ("crc_case", "CustodyOnly", "2022-03-23", "2022-03-23", "CRD"),
    ),
    (
        "2019 CRC with HDCED",
        "2019",
        "2021-06-01",
        dict(
            CLOSED_DET,
            probation_provider="CRC",
            sentence_start_date="2020-06-01",
            conditional_release_date="2022-06-15",
            hdc_eligibility_date="2022-02-01",
        ),
        ("crc_case", "CustodyOnly", "2021-11-09", "2021-11-09", "HDCED"),
    ),
    (
        "2019 CRC short still CRC",
        "2019",
        "2021-02-01",
        dict(CLOSED_DET, sentence_start_date="2021-01-01", conditional_release_date="2021-06-01"),
        ("crc_case", "CustodyOnly", "2021-03-09", "2021-03-09", "CRD"),
    ),
    (
        "2019 NPS short",
        "2019",
        "2021-02-01",
        dict(CLOSED_DET, **NPS, sentence_start_date="2021-01-01", conditional_release_date="2021-06-01"),
        ("less_than_10_months_left_to_serve", "Community", None, None, "CRD"),
    ),
    # indeterminate is always NPS; release TED if future, else earliest of THD/PED today or later
    (
        "2019 ISP closed",
        "2019",
        "2021-06-01",
        dict(ISP, sentence_start_date="2010-01-01", tariff_expiry_date="2022-09-01", probation_provider="CRC"),
        ("nps_indeterminate", "CustodyOnly", "2022-01-01", "2022-01-01", "TED"),
    ),
    (
        "2019 ISP past TED: PED before THD",
        "2019",
        "2021-06-01",
        dict(
            ISP,
            sentence_start_date="2010-01-01",
            tariff_expiry_date="2021-05-01",
            target_hearing_date="2021-09-01",
            parole_eligibility_date="2021-08-01",
        ),
        ("nps_indeterminate", "Community", "2020-12-01", "2020-12-01", "PED"),
    ),
    (
        "2019 ISP past TED only",
        "2019",
        "2021-06-01",
        dict(ISP, sentence_start_date="2010-01-01", tariff_expiry_date="2021-05-01"),
        ("release_date_unknown", "CustodyOnly", None, None, None),
    ),
    (
        "2019 open ISP arriving after the handover",
        "2019",
        "2021-05-15",
        dict(
            ISP,
            prison_estate="mens_open",
            sentence_start_date="2010-01-01",
            tariff_expiry_date="2022-01-01",
            prison_arrival_date="2021-06-01",
        ),
        ("nps_indeterminate_open", "CustodyOnly", "2021-06-01", "2021-06-01", "TED"),
    ),
    # pre-OMiC (D-20): strictly before the start and strictly before the cutoff; women, then Welsh, then English
    (
        "2019 pre-OMiC English public",
        "2019",
        "2020-06-01",
        dict(CLOSED_DET, **NPS, sentence_start_date="2019-05-01", conditional_release_date="2021-01-01"),
        ("pre_omic_rules", "Community", None, None, "CRD"),
    ),
    (
        "2019 English public cutoff day is OMiC",
        "2019",
        "2020-06-01",
        dict(CLOSED_DET, **NPS, sentence_start_date="2019-05-01", conditional_release_date="2021-02-15"),
        ("nps_mappa_unknown", "CustodyOnly", "2020-06-30", "2020-09-30", "CRD"),
    ),
    (
        "2019 English private cutoff later",
        "2019",
        "2020-06-01",
        dict(
            CLOSED_DET,
            **NPS,
            prison_operator="private",
            sentence_start_date="2019-05-01",
            conditional_release_date="2021-03-01",
        ),
        ("pre_omic_rules", "Community", None, None, "CRD"),
    ),
    (
        "2019 policy start day is OMiC",
        "2019",
        "2020-06-01",
        dict(CLOSED_DET, **NPS, mappa_level=2, sentence_start_date="2019-10-01", conditional_release_date="2021-01-01"),
        ("nps_determinate_mappa_2_3", "Community", "2020-05-17", "2020-06-01", "CRD"),
    ),
    (
        "2019 Welsh dates",
        "2019",
        "2020-01-01",
        dict(
            CLOSED_DET,
            **NPS,
            welsh_offender=True,
            sentence_start_date="2019-03-01",
            conditional_release_date="2020-05-03",
            mappa_level=2,
        ),
        ("nps_determinate_mappa_2_3", "Community", "2019-09-18", "2020-01-01", "CRD"),
    ),
    (
        "2019 Welsh pre-OMiC",
        "2019",
        "2020-01-01",
        dict(
            CLOSED_DET,
            **NPS,
            welsh_offender=True,
            sentence_start_date="2019-01-01",
            conditional_release_date="2020-05-03",
        ),
        ("pre_omic_rules", "Community", None, None, "CRD"),
    ),
    (
        "2019 women's dates first",
        "2019",
        "2021-06-01",
        dict(
            **NPS,
            sentence_type="determinate",
            prison_estate="womens",
            welsh_offender=True,
            sentence_start_date="2020-01-01",
            conditional_release_date="2022-01-01",
        ),
        ("pre_omic_rules", "Community", None, None, "CRD"),
    ),
    (
        "2019 open before the open rules",
        "2019",
        "2021-02-01",
        dict(
            ISP,
            prison_estate="mens_open",
            sentence_start_date="2020-01-01",
            tariff_expiry_date="2023-01-01",
            prison_arrival_date="2021-01-01",
        ),
        ("pre_omic_rules", "Community", None, None, "TED"),
    ),
    # 2022-10: one NPS date, earlier of CRD/ARD - 7.5 months; no MAPPA or HDC variants
    (
        "2022-10 NPS determinate",
        "2022-10",
        "2022-12-01",
        dict(
            CLOSED_DET,
            **NPS,
            mappa_level=2,
            sentence_start_date="2022-11-01",
            conditional_release_date="2023-12-01",
            hdc_eligibility_date="2023-06-01",
        ),
        ("nps_determinate", "CustodyOnly", "2023-04-16", "2023-04-16", "CRD"),
    ),
    (
        "2022-10 women's open ISP",
        "2022-10",
        "2022-12-01",
        dict(
            **NPS,
            sentence_type="indeterminate",
            prison_estate="womens",
            category_code="T",
            category_active_since="2022-06-01",
            sentence_start_date="2010-01-01",
            tariff_expiry_date="2024-03-01",
        ),
        ("nps_indeterminate_open", "CustodyWithCom", "2022-06-01", "2023-07-01", "TED"),
    ),
    (
        "2022-10 women's open ISP, category date unknown",
        "2022-10",
        "2022-12-01",
        dict(
            sentence_type="indeterminate",
            prison_estate="womens",
            category_code="T",
            sentence_start_date="2010-01-01",
            tariff_expiry_date="2024-03-01",
        ),
        ("nps_indeterminate_open", "CustodyWithCom", None, "2023-07-01", "TED"),
    ),
    (
        "2022-10 CRC",
        "2022-10",
        "2022-12-01",
        dict(CLOSED_DET, sentence_start_date="2022-01-01", automatic_release_date="2023-06-15"),
        ("crc_case", "CustodyOnly", "2023-03-23", "2023-03-23", "ARD"),
    ),
    # 2023-05: parole before short; ISP ERD may be a future PED; early allocation ignored for ISPs
    (
        "2023-05 short PED is parole",
        "2023-05",
        "2023-07-01",
        dict(CLOSED_DET, sentence_start_date="2023-06-01", parole_eligibility_date="2024-02-01"),
        ("determinate_parole", "Community", "2023-06-01", "2023-06-01", "PED"),
    ),
    (
        "current short PED is short",
        "current",
        "2023-07-01",
        dict(CLOSED_DET, sentence_start_date="2023-06-01", parole_eligibility_date="2024-02-01"),
        ("determinate_short", "Community", None, None, "PED"),
    ),
    (
        "2023-05 ISP future PED",
        "2023-05",
        "2023-07-01",
        dict(
            ISP,
            sentence_start_date="2010-01-01",
            tariff_expiry_date="2023-06-01",
            target_hearing_date="2024-06-01",
            parole_eligibility_date="2024-03-01",
        ),
        ("indeterminate", "Community", "2023-07-01", "2023-07-01", "PED"),
    ),
    (
        "current ISP never uses PED",
        "current",
        "2023-07-01",
        dict(
            ISP,
            sentence_start_date="2010-01-01",
            tariff_expiry_date="2023-06-01",
            target_hearing_date="2024-06-01",
            parole_eligibility_date="2024-03-01",
        ),
        ("indeterminate", "Community", "2023-06-01", "2023-06-01", "THD"),
    ),
    (
        "2023-05 ISP early allocation ignored",
        "2023-05",
        "2024-01-01",
        dict(ISP, sentence_start_date="2010-01-01", tariff_expiry_date="2025-06-01", early_allocation=True),
        ("indeterminate", "CustodyOnly", "2024-10-01", "2024-10-01", "TED"),
    ),
    (
        "2023-05 short determinate",
        "2023-05",
        "2023-07-01",
        dict(CLOSED_DET, sentence_start_date="2023-06-01", conditional_release_date="2024-04-01"),
        ("determinate_short", "Community", None, None, "CRD"),
    ),
    (
        "2023-05 pre-OMiC kept",
        "2023-05",
        "2023-07-01",
        dict(CLOSED_DET, sentence_start_date="2019-05-01", conditional_release_date="2021-01-01"),
        ("pre_omic_rules", "Community", None, None, "CRD"),
    ),
    # 2023-11: early allocation first for every sentence, 12 months; no indeterminate parole or recall rules
    (
        "2023-11 ISP early allocation",
        "2023-11",
        "2024-01-01",
        dict(ISP, sentence_start_date="2010-01-01", tariff_expiry_date="2025-06-01", early_allocation=True),
        ("early_allocation", "CustodyOnly", "2024-03-01", "2024-03-01", "TED"),
    ),
    (
        "2023-11 ISP recall with a far THD",
        "2023-11",
        "2024-05-20",
        dict(ISP, sentence_start_date="2019-02-05", recalled=True, target_hearing_date="2026-01-01"),
        ("recall_case", "Community", None, None, "THD"),
    ),
    (
        "2023-11 additional ISP not a rule yet",
        "2023-11",
        "2024-05-20",
        dict(ISP, sentence_start_date="2019-02-05", additional_future_isp=True, tariff_expiry_date="2026-01-01"),
        ("indeterminate", "CustodyOnly", "2025-01-01", "2025-01-01", "TED"),
    ),
]


@pytest.mark.parametrize(
    ("name", "policy", "as_of", "facts", "expected"), BOUNDARIES + LEGACY, ids=[row[0] for row in BOUNDARIES + LEGACY]
)
def test_policy_table(name, policy, as_of, facts, expected):
    assert calc(policy, as_of, **facts) == expected


@pytest.mark.parametrize(
    ("before", "after", "reasons"),
    [
        ("2022-10-18", "2022-10-19", ("nps_determinate_mappa_1_n", "nps_determinate")),
        ("2023-05-22", "2023-05-23", ("nps_determinate", "determinate")),
        ("2023-11-22", "2023-11-23", ("determinate_parole", "early_allocation")),
    ],
)
def test_the_rules_change_on_the_policy_change_days(before, after, reasons):
    facts = dict(
        CLOSED_DET, **NPS, mappa_level=1, sentence_start_date="2022-01-01", conditional_release_date="2027-01-01"
    )
    if before.startswith("2023-11"):
        facts.update(parole_eligibility_date="2026-06-01", early_allocation=True)
    assert (calc(None, before, **facts)[0], calc(None, after, **facts)[0]) == reasons


def test_the_isp_release_rule_changes_on_2025_05_15():
    facts = dict(
        ISP, sentence_start_date="2010-01-01", tariff_expiry_date="2025-01-01", target_hearing_date="2025-05-10"
    )
    assert calc(None, "2025-05-14", **facts)[4] is None  # 2023-11: no future TED, THD or PED
    assert calc(None, "2025-05-15", **facts)[4] == "THD"  # current: the nearer past date


@pytest.mark.parametrize(
    ("facts", "handover_type"),
    [
        (dict(CLOSED_DET, sentence_start_date="2024-01-01", conditional_release_date="2024-06-01"), "none"),
        (dict(CLOSED_DET, sentence_start_date="2024-01-01", conditional_release_date="2026-06-01"), "enhanced"),
        (
            dict(
                CLOSED_DET,
                sentence_start_date="2024-01-01",
                conditional_release_date="2026-06-01",
                enhanced_resourcing=True,
            ),
            "enhanced",
        ),
        (
            dict(
                CLOSED_DET,
                sentence_start_date="2024-01-01",
                conditional_release_date="2026-06-01",
                enhanced_resourcing=False,
            ),
            "standard",
        ),
        (dict(CLOSED_DET, age=16, sentence_start_date="2024-01-01", conditional_release_date="2026-06-01"), None),
    ],
)
def test_handover_type_d07(facts, handover_type):
    dates = {k: D(v) if isinstance(v, str) and k.endswith("_date") else v for k, v in facts.items()}
    assert calculate(HandoverFacts(**dates), D("2024-02-01"), "current").handover_type == handover_type


def test_an_unknown_policy_is_refused():
    with pytest.raises(UnknownPolicy, match="2024-05"):
        calculate(HandoverFacts(), D("2024-01-01"), "2024-05")


@pytest.mark.parametrize(
    ("policy", "release_type"),
    [
        ("2019", "THD"),  # D-20: "the earliest of THD and PED that is today or later"
        ("2022-10", "THD"),
        ("2023-05", None),  # reference 3.11: "the earliest future of PRD and PED", strictly after today
        ("2023-11", None),
    ],
)
def test_a_legacy_isp_hearing_on_the_day_itself(policy, release_type):
    facts = dict(
        ISP, sentence_start_date="2015-01-01", tariff_expiry_date="2023-06-01", target_hearing_date="2024-02-01"
    )
    assert calc(policy, "2024-02-01", **facts)[4] == release_type


def test_an_arrival_before_the_sentence_start_counts_from_the_sentence_start():
    # The contract's arrival date is "the later of SSD and the latest arrival in this prison".
    facts = dict(
        sentence_type="indeterminate",
        prison_estate="mens_open",
        sentence_start_date="2025-01-01",
        prison_arrival_date="2024-01-01",
        tariff_expiry_date="2026-09-01",
    )
    assert calc("current", "2025-06-01", **facts)[:4] == (
        "indeterminate_open",
        "CustodyWithCom",
        "2025-01-01",
        "2025-09-01",
    )
