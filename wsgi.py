"""Entry point for gunicorn (`wsgi:app`) and the `flask` command (FLASK_APP=wsgi)."""

import sys

from app import create_app
from config import ConfigError

try:
    app = create_app()
except ConfigError as error:
    sys.exit(f"etablera: {error}")
