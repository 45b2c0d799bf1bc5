#!/usr/bin/env python3
"""Validate a SARIF log against the SARIF 2.1.0 JSON schema (tests/data),
then check what GitHub code scanning needs beyond the schema: every result
has a ruleId known to the driver, a file location (no directory URI) with a
startLine >= 1, and a partialFingerprints entry.

usage: sarif-validate.py FILE.sarif   (exit 0 valid, 1 invalid)"""
import json
import os
import sys

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = os.path.join(HERE, "..", "data", "sarif-schema-2.1.0.json")


def fail(msg):
    print("invalid SARIF: " + msg)
    sys.exit(1)


def main():
    with open(SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    with open(sys.argv[1], "rb") as f:
        raw = f.read()
    try:
        log = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        fail("not UTF-8 JSON: %s" % e)
    validator = jsonschema.Draft4Validator(schema)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    for e in errors[:5]:
        print("schema: %s at %s" % (e.message, "/".join(str(p) for p in e.path)))
    if errors:
        fail("%d schema errors" % len(errors))
    if log.get("version") != "2.1.0":
        fail("version is not 2.1.0")
    for run in log["runs"]:
        rules = [r["id"] for r in run["tool"]["driver"].get("rules", [])]
        for i, res in enumerate(run.get("results", [])):
            if res.get("ruleId") not in rules:
                fail("result %d: ruleId %r not in the driver's rules" % (i, res.get("ruleId")))
            if rules[res.get("ruleIndex", -1)] != res["ruleId"]:
                fail("result %d: ruleIndex does not point at its rule" % i)
            locs = res.get("locations") or []
            if not locs:
                fail("result %d has no location" % i)
            phys = locs[0]["physicalLocation"]
            uri = phys["artifactLocation"]["uri"]
            if not uri or uri.endswith("/"):
                fail("result %d: %r is not a file" % (i, uri))
            if phys["region"]["startLine"] < 1:
                fail("result %d: startLine < 1" % i)
            if not res.get("partialFingerprints"):
                fail("result %d has no partialFingerprints" % i)
    print("valid SARIF 2.1.0: %d results" % sum(len(r.get("results", [])) for r in log["runs"]))


if __name__ == "__main__":
    main()
