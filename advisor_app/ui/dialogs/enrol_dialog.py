"""Enrol a company in a programme track; the track's financing (price, company's share,
public subsidy, from the programme's tariff) is shown under the choice."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from advisor_app.i18n import tr
from advisor_app.services import enrolments, ops_config
from advisor_app.services.database import Database
from advisor_app.services.errors import UserError
from advisor_app.ui.widgets.forms import FormDialog, combo, date_edit, from_qdate, selected


def _amount(value: float, currency: str) -> str:
    return f"{value:,.0f}\u202f{currency}".replace(",", "\u202f")


class EnrolDialog(FormDialog):
    def __init__(self, db: Database, company_id: str, parent: QWidget | None = None) -> None:
        self._db = db
        self._company_id = company_id
        self.saved_id: str | None = None
        describe = tr("{track} — {months} mois, {half_days} demi-journées")
        self.track = combo([(t.code, describe.format(track=t.name, months=t.duration_months,
                                                     half_days=t.half_days))
                            for t in enrolments.tracks(db)])
        self.enrolled_on = date_edit()
        self.financing = QLabel()
        self.financing.setWordWrap(True)
        try:
            self._config: ops_config.OpsConfig | None = ops_config.load_config()
        except UserError as exc:
            self._config = None
            self.financing.setText(str(exc))
        super().__init__(tr("Inscrire dans un parcours"),
                         [(tr("Parcours"), self.track), (tr("Financement"), self.financing),
                          (tr("Date d'inscription"), self.enrolled_on)],
                         save_text=tr("Inscrire"), parent=parent)
        self.track.currentIndexChanged.connect(self._show_financing)
        self._show_financing()

    def _show_financing(self) -> None:
        if self._config is None:
            return
        tariff = self._config.tariffs.get(selected(self.track) or "")
        cur = self._config.currency
        self.financing.setText(
            tr("Aucun tarif pour ce parcours dans les données du programme.") if tariff is None else
            tr("Prix {price} : participation de l'entreprise {share}, subvention publique {subsidy} "
               "versée par {payer}.").format(price=_amount(tariff.price, cur),
                                             share=_amount(tariff.company_share, cur),
                                             subsidy=_amount(tariff.subsidy, cur),
                                             payer=tariff.subsidy_payer or "—"))

    def save(self) -> bool:
        enrolled = from_qdate(self.enrolled_on.date())
        assert enrolled is not None

        def enrol() -> None:
            self.saved_id = enrolments.enrol_company(
                self._db, company_id=self._company_id, track_code=selected(self.track) or "",
                enrolled_on=enrolled)

        return self.run_service(enrol)
