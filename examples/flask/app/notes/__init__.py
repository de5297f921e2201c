"""A small Flask service: an in-memory list of notes as JSON, and /healthz for the probes."""
import os
import sys
from importlib.metadata import version

from flask import Flask, jsonify, request

RELEASE = "notes 1"


def create_app():
    app = Flask(__name__)
    notes = [{"id": 1, "text": "pin every requirement"}]

    @app.get("/")
    def index():
        return jsonify(
            release=RELEASE,
            python=sys.version.split()[0],
            flask=version("flask"),
            werkzeug=version("werkzeug"),
            greeting=os.environ.get("NOTES_GREETING", "hello"),
        )

    @app.get("/notes")
    def list_notes():
        return jsonify(notes)

    @app.post("/notes")
    def add_note():
        body = request.get_json(silent=True) or {}
        text = str(body.get("text", "")).strip()
        if not text:
            return jsonify(error="a note needs a non-empty 'text'"), 400
        note = {"id": len(notes) + 1, "text": text}
        notes.append(note)
        return jsonify(note), 201

    @app.get("/healthz")
    def healthz():
        return "ok"

    return app

