def test_healthz_reports_database_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "ok"
    assert response.json["database"] == "ok"


def test_healthz_answers_503_naming_the_database_when_it_is_unreachable(app, tmp_path):
    from app import create_app

    broken = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/missing-dir/none/x.db",
    )
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "down"
    assert response.json["status"] == "error"
