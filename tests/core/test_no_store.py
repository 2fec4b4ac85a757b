"""Pages and files with personal data are never kept by a cache (Cache-Control: no-store)."""

from django.urls import reverse
from django.utils import timezone

from preau.hours.rules import school_year_of

YEAR = school_year_of(timezone.localdate())


def assert_not_stored(response):
    assert response.status_code == 200
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control, response["Cache-Control"]
    if response.streaming:
        b"".join(response.streaming_content)
    response.close()


def test_a_signed_in_html_page_is_not_stored(client, cast):
    client.force_login(cast["teacher"])

    assert_not_stored(client.get(reverse("accounts:profile")))


def test_a_public_page_seen_signed_in_is_not_stored_either(client, cast):
    # The header names the person: any page seen signed in holds personal data.
    client.force_login(cast["teacher"])

    assert_not_stored(client.get(reverse("core:accessibility")))


def test_a_public_page_seen_anonymously_may_be_cached(client, db):
    response = client.get(reverse("core:accessibility"))

    assert "no-store" not in response.get("Cache-Control", "")


def test_the_csv_export_is_not_stored(client, cast, territory):
    client.force_login(cast["ien"])
    url = reverse("hours:circonscription_csv", args=[territory["caen"].code])

    assert_not_stored(client.get(url, {"annee": YEAR}))


def test_the_xlsx_export_is_not_stored(client, cast, territory):
    client.force_login(cast["ien"])
    url = reverse("hours:circonscription_xlsx", args=[territory["caen"].code])

    assert_not_stored(client.get(url, {"annee": YEAR}))


def test_the_pdf_is_not_stored(client, cast):
    client.force_login(cast["teacher"])

    response = client.get(reverse("hours:fiche_pdf", args=[YEAR]))

    assert response["Content-Type"] == "application/pdf"
    assert_not_stored(response)


def test_an_export_is_not_stored_even_without_a_session_cookie(rf, db):
    # A download fetched outside the browser session (a calendar feed by token, a script).
    from django.http import HttpResponse

    from preau.core.middleware import NoStoreMiddleware

    middleware = NoStoreMiddleware(lambda request: HttpResponse(b"a;b", content_type="text/csv"))

    response = middleware(rf.get("/export.csv"))

    assert "no-store" in response["Cache-Control"]
