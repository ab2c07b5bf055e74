"""STIX 2.1 bundle through the OASIS validator; TAXII 2.1 server through the reference client.

Run by test/interop/run-interop.ts, which starts the system and passes BASE_URL, item ids and
tokens in the environment. Prints one closing line: "N passed, N failed".
"""
import json
import os
import sys
import traceback
import urllib.request

import requests
from stix2validator import ValidationOptions, validate_instance
from taxii2client.v21 import Server

BASE = os.environ["BASE_URL"]
AMBER, GREEN = os.environ["AMBER_ID"], os.environ["GREEN_ID"]
ANALYST, RECIPIENT, OTHER = os.environ["TOKEN_ANALYST"], os.environ["TOKEN_RECIPIENT"], os.environ["TOKEN_OTHER"]


class Bearer(requests.auth.AuthBase):
    def __init__(self, token):
        self.token = token

    def __call__(self, request):
        request.headers["Authorization"] = f"Bearer {self.token}"
        return request


def get_json(path, token):
    req = urllib.request.Request(BASE + path, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req) as res:
        return json.load(res)


def all_objects(token):
    """Every object of every collection the caller sees, following `next` pages (small limit)."""
    server = Server(f"{BASE}/taxii2/", auth=Bearer(token))
    root = server.api_roots[0]
    found = []
    for collection in root.collections:
        assert collection.can_read and not collection.can_write
        page = collection.get_objects(limit=3)
        pages = 0
        while True:
            pages += 1
            found.extend(page.get("objects", []))
            if not page.get("more"):
                break
            page = collection.get_objects(limit=3, next=page["next"])
        assert pages > 1 or len(found) <= 3, "paging never used"
    return found


def check_stix_bundle_valid():
    bundle = get_json(f"/api/v1/intel/{AMBER}/stix", ANALYST)
    results = validate_instance(bundle, ValidationOptions(version="2.1"))
    for err in results.errors:
        print("  STIX error:", err)
    for warning in results.warnings:
        print("  STIX warning:", warning)
    assert results.is_valid and not results.errors, "the bundle has validation errors"
    assert not results.warnings, "the bundle has validator warnings"
    types = sorted({o["type"] for o in bundle["objects"]})
    assert types == ["identity", "indicator", "marking-definition", "report"], types
    assert len([o for o in bundle["objects"] if o["type"] == "indicator"]) == 10


def check_taxii_discovery_and_media_type():
    server = Server(f"{BASE}/taxii2/", auth=Bearer(RECIPIENT))
    assert server.title
    assert len(server.api_roots) == 1
    root = server.api_roots[0]
    assert "application/taxii+json;version=2.1" in root.versions
    res = requests.get(f"{BASE}/taxii2/api/collections/", headers={"Authorization": f"Bearer {RECIPIENT}", "Accept": "application/taxii+json;version=2.1"})
    assert res.headers["Content-Type"].startswith("application/taxii+json"), res.headers["Content-Type"]
    assert requests.get(f"{BASE}/taxii2/api/collections/").status_code == 401


def check_recipient_pulls_amber_item():
    objects = all_objects(RECIPIENT)
    reports = [o for o in objects if o["type"] == "report"]
    assert any(r["external_references"][0]["external_id"] == AMBER for r in reports), "the AMBER item is missing for its recipient"
    assert len([o for o in objects if o["type"] == "indicator"]) >= 10


def check_non_recipient_gets_nothing_of_amber():
    objects = all_objects(OTHER)
    text = json.dumps(objects)
    assert AMBER not in text, "a non-recipient country received the AMBER item"
    assert "loader.example" not in text, "a non-recipient country received AMBER indicators"
    assert GREEN in text, "the GREEN item should be readable by every member"


def check_added_after():
    server = Server(f"{BASE}/taxii2/", auth=Bearer(ANALYST))
    collection = server.api_roots[0].collections[0]
    everything = collection.get_objects()
    later = collection.get_objects(added_after="2999-01-01T00:00:00Z")
    assert everything.get("objects"), "no objects for the analyst"
    assert not later.get("objects"), "added_after in the future must return nothing"


CHECKS = [check_stix_bundle_valid, check_taxii_discovery_and_media_type, check_recipient_pulls_amber_item, check_non_recipient_gets_nothing_of_amber, check_added_after]

passed = failed = 0
for check in CHECKS:
    try:
        check()
        passed += 1
        print(f"PASS {check.__name__}")
    except Exception:  # noqa: BLE001 - report every failing check
        failed += 1
        print(f"FAIL {check.__name__}")
        traceback.print_exc()
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
