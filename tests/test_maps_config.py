"""Map and geocoder settings come from the environment; tests never leave the machine."""

from config import load_config


def test_map_and_geocoder_settings_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("MAP_TILE_URL", "https://tiles.orebro.example/{z}/{x}/{y}.png")
    monkeypatch.setenv("MAP_TILE_ATTRIBUTION", "© Örebro kommun")
    monkeypatch.setenv("GEOCODER_URL", "https://geo.orebro.example/nominatim")
    monkeypatch.setenv("GEOCODER_USER_AGENT", "Etablera/2 (it@orebro.example)")
    monkeypatch.setenv("GEOCODER_TIMEOUT", "4")
    config = load_config("development")
    assert config.MAP_TILE_URL == "https://tiles.orebro.example/{z}/{x}/{y}.png"
    assert config.MAP_TILE_ATTRIBUTION == "© Örebro kommun"
    assert config.GEOCODER_URL == "https://geo.orebro.example/nominatim"
    assert config.GEOCODER_USER_AGENT == "Etablera/2 (it@orebro.example)"
    assert config.GEOCODER_TIMEOUT == 4.0


def test_defaults_are_openstreetmap_with_an_identifying_agent_and_ten_seconds(monkeypatch):
    for name in ("MAP_TILE_URL", "MAP_TILE_ATTRIBUTION", "GEOCODER_URL", "GEOCODER_USER_AGENT",
                 "GEOCODER_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    config = load_config("development")
    assert config.MAP_TILE_URL == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert "OpenStreetMap" in config.MAP_TILE_ATTRIBUTION
    assert config.GEOCODER_URL == "https://nominatim.openstreetmap.org"
    assert config.GEOCODER_USER_AGENT.startswith("Etablera/")
    assert config.GEOCODER_TIMEOUT == 10.0


def test_tests_use_a_local_tile_and_geocoder(monkeypatch):
    monkeypatch.delenv("TEST_MAP_TILE_URL", raising=False)
    config = load_config("testing")
    assert config.MAP_TILE_URL.startswith("data:image/png")
    assert config.GEOCODER_URL.startswith("http://127.0.0.1")
