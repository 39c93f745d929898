#!/usr/bin/env python3
"""Baseline (b) of B1-B3: webhooks sent the way Label Studio sends them.

Label Studio's webhooks/utils.py calls requests.post(url, headers=...,
json=payload, timeout=...) once per webhook, blocking, with no session, so
every delivery opens a new connection. This does the same for each URL in
URLS_FILE (one per line) with the JSON body in BODY_FILE, and prints
"<seconds> <succeeded>".

    labelstudio_sender.py URLS_FILE BODY_FILE
"""
import json
import sys
import time

import requests


def main():
    with open(sys.argv[1]) as f:
        urls = [line.strip() for line in f if line.strip()]
    with open(sys.argv[2], "rb") as f:
        payload = json.load(f)
    headers = {"User-Agent": "LabelStudio-baseline"}
    ok = 0
    start = time.perf_counter()
    for url in urls:
        try:
            response = requests.post(url, headers=headers, json=payload, timeout=10)
            ok += 200 <= response.status_code < 300
        except requests.RequestException:
            pass
    print(f"{time.perf_counter() - start:.6f} {ok}")


if __name__ == "__main__":
    main()
