import pytest


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/accessibilite/", "Déclaration d’accessibilité"),
        ("/mentions-legales/", "Mentions légales"),
        ("/donnees-personnelles/", "Données personnelles"),
    ],
)
def test_static_page_answers_without_sign_in(client, db, url, title):
    response = client.get(url)

    assert response.status_code == 200
    assert f"<h1>{title}</h1>" in response.content.decode()


def test_healthz_answers_ok_without_any_query(client, db, django_assert_num_queries):
    # As a probe or the benchmark calls it: without a session cookie. With one, Django's
    # LoginRequiredMiddleware loads the session and the user before it reads the view's
    # login_not_required flag (two queries).
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]


def test_readyz_answers_ready_once_the_database_answers(client, db):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.content == b"ready"
