from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, SearchField, SelectField
from wtforms.validators import NumberRange, Optional

from models import Grade
from portal.forms import choices


class StockFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a read-only GET form

    warehouse = SelectField("Warehouse", default="", choices=choices([("", "All warehouses")]))
    grade = SelectField(
        "Grade",
        default="",
        choices=choices([("", "All grades")] + [(g.value, g.label) for g in Grade]),
    )
    sku = SearchField("SKU starts with", validators=[Optional()])
    page = IntegerField("Page", default=1, validators=[Optional(), NumberRange(min=1)])
