"""The feedback survey of a resolved RMA: the retailer's own users answer it here, and
may change the answer for a while (portal.feedback.rules). Staff read the answer on the
RMA page; this form is not theirs (403)."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from models import Rma, Role
from models.base import utcnow
from portal.db import discard_failed_work, get_session
from portal.feedback.forms import FeedbackForm
from portal.feedback.operations import SurveyRefused, answer_survey
from portal.feedback.queries import FeedbackPanel, feedback_panel
from portal.rmas.queries import load_rma
from portal.web import render
from workflow_designer.engine.errors import Refusal
from workflow_designer.runtime.firing import compiled_for


def feedback(number: str) -> ResponseReturnValue:
    if current_user.role is not Role.RETAILER:
        abort(403)
    session = get_session()
    rma = load_rma(session, current_user, number)
    panel = _panel(rma)
    form = FeedbackForm.for_answer(panel.answer)
    if not form.validate_on_submit():
        return _page(rma, panel, form, 422 if form.is_submitted() else 200)
    try:
        answer_survey(session, rma, current_user, form.response(), utcnow())
    except Refusal as refused:
        discard_failed_work()
        return _page(rma, _panel(rma), form, refused.status, refused.message)
    flash(_("Thank you: your answer about %(number)s is saved.", number=rma.number), "success")
    return redirect(url_for("rmas.detail", number=rma.number, _anchor="feedback"), 303)


def _panel(rma: Rma) -> FeedbackPanel:
    session = get_session()
    panel = feedback_panel(session, current_user, rma, compiled_for(session, rma), utcnow())
    if panel is None:
        raise SurveyRefused(
            _("%(number)s is not resolved yet: the survey opens when it is.", number=rma.number)
        )
    return panel


def _page(
    rma: Rma, panel: FeedbackPanel, form: FeedbackForm, status: int, error: str = ""
) -> Response:
    return render(
        "rmas/feedback.html", http_status=status, rma=rma, panel=panel, form=form, error=error
    )
