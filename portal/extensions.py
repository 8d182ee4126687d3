"""Flask extensions, created unbound and initialised by the app factory."""

from flask_babel import lazy_gettext as _l
from flask_htmx import HTMX
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
htmx = HTMX()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please log in to continue.")
# Flashed as plain text in the reader's language (a lazy string cannot be stored).
login_manager.localize_callback = str
login_manager.login_message_category = "info"
# "strong" protection hashes a client-supplied X-Forwarded-For; sessions are rotated at
# login instead (see portal.auth.views).
login_manager.session_protection = "basic"
