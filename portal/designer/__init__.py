"""The workflow designer: return types, approval chains, policies, versions, simulation."""

from flask_babel import get_translations

from workflow_designer.engine import i18n

# The engine's words (validation problems, the diff in words, guard and action labels)
# follow the request's language.
i18n.install(
    lambda text: get_translations().ugettext(text),
    lambda singular, plural, num: get_translations().ungettext(singular, plural, num),
)
