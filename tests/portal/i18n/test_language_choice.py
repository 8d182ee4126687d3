"""Which language and time zone each page is in: the user's own, else their account's or
the distributor's, else the language switch, else the browser's; unknown values are
ignored, never an error."""

from __future__ import annotations

import re

import pytest
from flask_login import login_user

from models import DistributorProfile, Role, User
from models.distributor import PROFILE_ID
from portal.i18n import LANGUAGE_COOKIE, select_timezone
from tests.factories import make_account, make_distributor_profile, make_user


def _lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.data.decode()).group(1)


def _distributor(session, **defaults) -> None:
    make_distributor_profile(session, **defaults)


@pytest.mark.parametrize(
    ("header", "language"),
    [("de-DE,de;q=0.9,en;q=0.5", "de"), ("fr-CH, fr;q=0.9", "fr"), ("it, es", "en"), ("", "en")],
)
def test_anonymous_pages_follow_the_browser(client, header, language):
    response = client.get("/login", headers={"Accept-Language": header})
    assert response.status_code == 200 and _lang(response) == language


def test_the_login_page_speaks_german_to_a_german_browser(client):
    html = client.get("/login", headers={"Accept-Language": "de"}).data.decode()
    assert 'lang="de"' in html and ">Deutsch</button>" in html
    assert 'aria-pressed="true">Deutsch' in html


def test_the_language_switch_is_remembered_and_beats_the_browser(client):
    response = client.post("/language", data={"language": "fr", "next": "/login?next=/rmas/"})
    assert response.status_code == 303 and response.headers["Location"] == "/login?next=/rmas/"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"{LANGUAGE_COOKIE}=fr;") and "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie and "Max-Age=31536000" in cookie
    assert _lang(client.get("/login", headers={"Accept-Language": "de"})) == "fr"


@pytest.mark.parametrize(
    "form",
    [
        {"language": "xx"},
        {"language": ""},
        {},
        {"language": "de" * 500},
        {"language": "fr", "next": "https://evil.example/"},
    ],
)
def test_a_bad_switch_changes_nothing_and_goes_nowhere_else(client, form):
    response = client.post("/language", data=form, headers={"Accept-Language": "de"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/login"
    if form.get("language") != "fr":
        assert "Set-Cookie" not in response.headers or LANGUAGE_COOKIE not in str(
            response.headers.getlist("Set-Cookie")
        )
        html = client.get("/login", headers={"Accept-Language": "de"}).data.decode()
        assert "Diese Sprache wird nicht angeboten." in html


def test_a_forged_cookie_is_ignored(client):
    client.set_cookie(LANGUAGE_COOKIE, "klingon")
    assert _lang(client.get("/login", headers={"Accept-Language": "fr"})) == "fr"


def _user(db_session, role=Role.ADMIN, **columns) -> User:
    account = make_account(db_session) if role is Role.RETAILER else None
    user = make_user(db_session, role, account=account, **columns)
    db_session.commit()
    return user


def test_a_user_follows_their_own_choice_over_account_and_browser(client, db_session, login_as):
    user = _user(db_session, Role.RETAILER, locale="fr")
    user.account.locale = "de"
    db_session.commit()
    login_as(user)
    assert _lang(client.get("/me", headers={"Accept-Language": "en"})) == "fr"


def test_a_retailer_without_a_choice_reads_their_accounts_language(client, db_session, login_as):
    user = _user(db_session, Role.RETAILER)
    user.account.locale = "de"
    db_session.commit()
    login_as(user)
    assert _lang(client.get("/me", headers={"Accept-Language": "fr"})) == "de"


def test_staff_without_a_choice_read_the_distributors_language(client, db_session, login_as):
    _distributor(db_session, locale="fr")
    login_as(_user(db_session, Role.SALES_REP))
    assert _lang(client.get("/me", headers={"Accept-Language": "de"})) == "fr"


def test_with_no_choice_anywhere_the_browser_decides(client, db_session, login_as):
    login_as(_user(db_session, Role.WAREHOUSE))
    assert _lang(client.get("/me", headers={"Accept-Language": "de"})) == "de"


def test_unknown_stored_values_are_skipped(client, db_session, login_as):
    _distributor(db_session, locale="tlh", time_zone="Mars/Olympus")
    login_as(_user(db_session, locale="xx", time_zone="Nowhere/Land"))
    response = client.get("/me", headers={"Accept-Language": "fr"})
    assert response.status_code == 200 and _lang(response) == "fr"


def test_saving_language_and_time_zone(client, db_session, login_as):
    user = _user(db_session)
    login_as(user)
    response = client.post("/me/preferences", data={"locale": "de", "time_zone": "Europe/Berlin"})
    assert response.status_code == 303
    page = client.get("/me")
    assert _lang(page) == "de"
    assert "Ihre Sprache und Zeitzone sind gespeichert." in page.data.decode()
    db_session.expire_all()
    assert (user.locale, user.time_zone) == ("de", "Europe/Berlin")
    assert 'selected value="Europe/Berlin">Deutschland · Berlin<' in page.data.decode()

    client.post("/me/preferences", data={"locale": "", "time_zone": ""})
    db_session.expire_all()
    assert (user.locale, user.time_zone) == (None, None)


@pytest.mark.parametrize(
    "form",
    [
        {"locale": "xx", "time_zone": "Europe/Berlin"},
        {"locale": "de", "time_zone": "Mars/Olympus"},
        {"locale": "de" * 300, "time_zone": ""},
    ],
)
def test_an_unknown_language_or_zone_is_refused_and_changes_nothing(
    client, db_session, login_as, form
):
    user = _user(db_session, locale="en", time_zone="Europe/Paris")
    login_as(user)
    response = client.post("/me/preferences", data=form)
    assert response.status_code == 422
    assert "Not a valid choice." in response.data.decode()
    db_session.expire_all()
    assert (user.locale, user.time_zone) == ("en", "Europe/Paris")


def test_the_time_zone_is_the_users_else_the_distributors_else_utc(app, db_session):
    user = _user(db_session, time_zone="Asia/Tokyo")
    other = _user(db_session)
    for who, zone in ((user, "Asia/Tokyo"), (other, "UTC")):
        with app.test_request_context("/"):
            login_user(db_session.get(User, who.id))
            assert select_timezone() == zone
    _distributor(db_session, time_zone="Europe/Berlin")
    db_session.commit()
    with app.test_request_context("/"):
        login_user(db_session.get(User, other.id))
        assert select_timezone() == "Europe/Berlin"


# --- admins set the defaults ----------------------------------------------------------------

PROFILE = {
    "legal_name": "Nordwind Optik Vertrieb GmbH",
    "street": "Speicherstraße 12",
    "postal_code": "20457",
    "city": "Hamburg",
    "country": "DE",
    "vat_number": "DE287654321",
    "email": "buchhaltung@nordwind.example.com",
}


def test_an_admin_sets_the_staffs_language_and_time_zone(client, db_session, login_as):
    admin = _user(db_session)
    rep = _user(db_session, Role.SALES_REP)
    login_as(admin)
    data = {**PROFILE, "locale": "fr", "time_zone": "Europe/Paris"}
    assert client.post("/admin/settings", data=data).status_code == 303
    profile = db_session.get(DistributorProfile, PROFILE_ID)
    db_session.refresh(profile)
    assert (profile.locale, profile.time_zone) == ("fr", "Europe/Paris")
    login_as(rep)
    assert _lang(client.get("/me", headers={"Accept-Language": "de"})) == "fr"


def test_a_bad_default_is_refused_and_changes_nothing(client, db_session, login_as):
    login_as(_user(db_session))
    response = client.post("/admin/settings", data={**PROFILE, "locale": "tlh"})
    assert response.status_code == 422 and "Not a valid choice." in response.data.decode()
    assert db_session.get(DistributorProfile, PROFILE_ID) is None


def test_an_admin_sets_an_accounts_language(client, db_session, login_as):
    retailer = _user(db_session, Role.RETAILER)
    account = retailer.account
    login_as(_user(db_session))
    page = client.get(f"/admin/accounts/{account.id}")
    assert "Users' language: their browser's" in page.data.decode()
    url = f"/admin/accounts/{account.id}/language"
    assert client.post(url, data={"locale": "xx"}).status_code == 422
    assert client.post(url, data={"locale": "de"}).status_code == 303
    db_session.refresh(account)
    assert account.locale == "de"
    assert "Users' language: Deutsch" in client.get(f"/admin/accounts/{account.id}").data.decode()
    login_as(retailer)
    assert _lang(client.get("/me", headers={"Accept-Language": "fr"})) == "de"
    login_as(_user(db_session))
    assert client.post(url, data={"locale": ""}).status_code == 303
    db_session.refresh(account)
    assert account.locale is None
