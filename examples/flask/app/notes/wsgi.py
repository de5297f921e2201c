"""The WSGI entry point: gunicorn notes.wsgi:app"""
from notes import create_app

app = create_app()
