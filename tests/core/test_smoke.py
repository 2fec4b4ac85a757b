def test_home_page_for_anonymous_visitor_invites_to_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "Se connecter" in response.content.decode()


def test_home_page_for_teacher_says_se_former(client, cast):
    client.force_login(cast["teacher"])
    response = client.get("/")
    assert response.status_code == 200
    assert "Se former" in response.content.decode()
