"""A small synthetic estate for the fan-out tests, written by bulk inserts (no signals, so no on-change jobs)."""

import datetime as dt

from dateutil.relativedelta import relativedelta

from cases.bulk import insert_rows
from cases.models import CaseInformation, LocalDeliveryUnit, Prison, Prisoner, Sentence

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def estate_build(*, prisons: int, per_prison: int, today: dt.date) -> list[str]:
    """``prisons`` prisons (QNA, QNB, ...) of ``per_prison`` sentenced prisoners with case information; returns the
    codes. Release dates spread over five years, so the handovers differ."""
    codes = [f"QN{LETTERS[i]}" for i in range(prisons)]
    Prison.objects.bulk_create([Prison(code=code, name=f"HMP Test {code}", estate="mens_closed") for code in codes])
    ldu = LocalDeliveryUnit.objects.create(code="QN_LDU", name="Fan-out test delivery unit", email="")
    prisoners, sentences, cases = [], [], []
    for p, code in enumerate(codes):
        for i in range(per_prison):
            number = f"Q{i:04d}{LETTERS[p]}A"
            prisoners.append(
                Prisoner(
                    prison_number=number,
                    first_name="Test",
                    last_name=f"Case {p}-{i}",
                    date_of_birth=today - relativedelta(years=30),
                    prison_id=code,
                    prison_arrival_date=today - relativedelta(months=2),
                    legal_status="sentenced",
                    imprisonment_status="SENT03",
                    security_category="C",
                    category_approved_date=today - dt.timedelta(days=30),
                )
            )
            crd = today + dt.timedelta(days=30 + (i * 37) % (5 * 365))
            sentences.append(
                Sentence(
                    prisoner_id=number,
                    sentence_type="determinate",
                    sentence_start_date=today - relativedelta(years=1),
                    conditional_release_date=crd,
                    sentence_expiry_date=crd + relativedelta(years=2),
                    licence_expiry_date=crd + relativedelta(years=2),
                )
            )
            cases.append(CaseInformation(prisoner_id=number, local_delivery_unit=ldu))
    for model, rows in ((Prisoner, prisoners), (Sentence, sentences), (CaseInformation, cases)):
        for row in rows:
            for field in model._meta.concrete_fields:  # auto_now fields, as bulk_create would set them
                field.pre_save(row, True)
        insert_rows(model, rows)
    return codes
