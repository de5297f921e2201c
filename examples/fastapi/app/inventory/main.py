"""A small FastAPI service served by uvicorn: items as JSON, and /healthz for the probes."""
import os
import sys

import fastapi
import pydantic
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, Field

RELEASE = "inventory 1"

app = FastAPI(title="inventory")


class Item(BaseModel):
    name: str = Field(min_length=1, max_length=80)
    quantity: int = Field(ge=0)


ITEMS: dict[str, Item] = {"widget": Item(name="widget", quantity=3)}


@app.get("/")
def index():
    return {
        "release": RELEASE,
        "python": sys.version.split()[0],
        "fastapi": fastapi.__version__,
        "pydantic": pydantic.VERSION,
        "greeting": os.environ.get("INVENTORY_GREETING", "hello"),
    }


@app.get("/items")
def list_items() -> list[Item]:
    return sorted(ITEMS.values(), key=lambda i: i.name)


@app.get("/items/{name}")
def get_item(name: str) -> Item:
    if name not in ITEMS:
        raise HTTPException(status_code=404, detail=f"no item {name!r}")
    return ITEMS[name]


@app.put("/items/{name}")
def put_item(name: str, item: Item) -> Item:
    if item.name != name:
        raise HTTPException(status_code=422, detail="the body's name must match the path")
    ITEMS[name] = item
    return item


@app.get("/healthz")
def healthz():
    return {"status": "ok"}
