"""A value a newer HQ may send (unknown to this laptop) must not break reading the table."""

from sqlalchemy import select, text

from advisor_app.domain.companies import Company
from advisor_app.domain.enums import LegalForm, Segment
from advisor_app.services.database import Database


def test_unknown_enum_value_reads_back_as_text(db: Database) -> None:
    with db.unit_of_work() as session:
        session.add(Company(name="Atlas", legal_form=LegalForm.SARL, segment=Segment.TPE,
                            region_code="MA-06"))
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE company SET segment = 'startup'"))
    with db.sessions() as session:
        company = session.scalars(select(Company)).one()
    assert company.segment == "startup"
    assert company.legal_form is LegalForm.SARL
