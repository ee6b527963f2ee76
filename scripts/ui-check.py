#!/usr/bin/env python3
"""Opens every page of the staff HTML view in headless Chromium at 1280 px and 390 px and checks it
(issue 7, html.md WEB-20..25): no console error (CSP violations included), no horizontal scrollbar
at 390 px, no image without alt, no form field without a label, loaded in under 1 s. Saves a PNG
screenshot of each page and width under --out.

Talks to Chromium over the DevTools protocol with a small WebSocket client built on the standard
library only (no pip packages). Usage:
    ui-check.py --base http://127.0.0.1:8080 --out .build-ui --login EMAIL:PASSWORD [--login …]
The first --login is an admin (every page); the others add their own pass over a few pages.
"""
import argparse
import base64
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from devtools import DevTools  # noqa: E402 (next to this script)

WIDTHS = (1280, 390)
SLOW_SECONDS = 1.0


# Run in the page through the DevTools protocol (not subject to the page's CSP, which forbids scripts).
PAGE_CHECKS = r"""
(() => {
  const root = document.documentElement;
  const labelled = el => {
    if (el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')) return true;
    if (el.closest('label')) return true;
    return el.id && document.querySelector('label[for="' + CSS.escape(el.id) + '"]') !== null;
  };
  const controls = [...document.querySelectorAll('input, select, textarea')]
    .filter(el => el.type !== 'hidden');
  const nav = performance.getEntriesByType('navigation')[0];
  return {
    status: nav && nav.responseStatus,
    horizontalScroll: root.scrollWidth > root.clientWidth,
    scrollWidth: root.scrollWidth, clientWidth: root.clientWidth,
    imagesWithoutAlt: [...document.images].filter(i => !i.hasAttribute('alt')).map(i => i.src),
    unlabelled: controls.filter(el => !labelled(el)).map(el => el.outerHTML.slice(0, 120)),
    loadSeconds: nav ? (nav.loadEventEnd - nav.startTime) / 1000 : null,
    title: document.title,
  };
})()
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_chromium():
    binary = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not binary:
        sys.exit("chromium not found: apt-get install chromium")
    port = free_port()
    profile = tempfile.mkdtemp(prefix="ui-check-profile-")
    args = [binary, "--headless=new", f"--remote-debugging-port={port}", f"--user-data-dir={profile}",
            "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--hide-scrollbars=false",
            "--disable-extensions", "about:blank"]
    if os.geteuid() == 0:
        args.insert(1, "--no-sandbox")
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=1) as response:
                pages = [t for t in json.load(response) if t.get("type") == "page"]
                if pages:
                    return process, profile, pages[0]["webSocketDebuggerUrl"]
        except OSError:
            pass
        time.sleep(0.1)
    process.kill()
    sys.exit("chromium did not start its DevTools endpoint")


def navigate(tools, url):
    tools.events.clear()
    tools.call("Page.navigate", url=url)
    tools.wait_for("Page.loadEventFired")


def console_errors(tools):
    errors = []
    for event in tools.events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
        elif method == "Runtime.exceptionThrown":
            errors.append(params.get("exceptionDetails", {}).get("text", "exception"))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            errors.append(params["entry"].get("text", "error"))
    return errors


def sign_in(tools, base, email, password):
    tools.call("Network.clearBrowserCookies")
    navigate(tools, base + "/login")
    tools.evaluate(f"""(() => {{
        const form = document.querySelector('form[action="/login"]');
        form.email.value = {json.dumps(email)}; form.password.value = {json.dumps(password)};
        form.submit(); }})()""")
    tools.wait_for("Page.loadEventFired")
    if tools.evaluate("location.pathname") == "/login":
        sys.exit(f"sign-in as {email} failed")


def first_link(tools, base, list_path, prefix):
    navigate(tools, base + list_path)
    return tools.evaluate(f"""(() => {{
        const a = document.querySelector('main table a[href^="{prefix}"]');
        return a ? a.getAttribute('href') : null; }})()""")


def discover(tools, base):
    """Detail pages reached from the lists (ids and identifiers differ between runs)."""
    paths = []
    for list_path, prefix in [("/objects?sort=identifier", "/objects/"), ("/events", "/events/"),
                              ("/items", "/items/"), ("/users", "/users/"), ("/institutions", "/institutions/"),
                              ("/deletions", "/deletions/")]:
        link = first_link(tools, base, list_path, prefix)
        if link:
            paths.append(link)
            if prefix == "/objects/":
                paths.append(link + "/delete")
                file_link = first_link(tools, base, link, "/files/")
                if file_link:
                    paths.append(file_link)
            if prefix == "/items/":
                paths.append(link + "/state")
            if prefix == "/institutions/":
                paths.append(link + "/edit")
    return paths


def check_page(tools, base, path, name, out, failures, results):
    for width in WIDTHS:
        tools.call("Emulation.setDeviceMetricsOverride", width=width, height=900, deviceScaleFactor=1,
                   mobile=width < 600)
        started = time.time()
        navigate(tools, base + path)
        wall = time.time() - started
        checks = tools.evaluate(PAGE_CHECKS)
        errors = console_errors(tools)
        shot = tools.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        file_name = f"{name}-{width}.png"
        with open(os.path.join(out, file_name), "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        seconds = checks["loadSeconds"] if checks["loadSeconds"] is not None else wall
        problems = []
        if checks["status"] and checks["status"] >= 400:
            problems.append(f"status {checks['status']}")
        if errors:
            problems.append("console errors: " + "; ".join(errors))
        if width < 600 and checks["horizontalScroll"]:
            problems.append(f"horizontal scroll ({checks['scrollWidth']} > {checks['clientWidth']} px)")
        if checks["imagesWithoutAlt"]:
            problems.append("images without alt: " + ", ".join(checks["imagesWithoutAlt"]))
        if checks["unlabelled"]:
            problems.append("fields without a label: " + " | ".join(checks["unlabelled"]))
        if seconds > SLOW_SECONDS:
            problems.append(f"slow: {seconds:.2f} s")
        results.append((path, width, seconds, "FAIL" if problems else "ok"))
        for problem in problems:
            failures.append(f"{path} @ {width}px: {problem}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--out", default=".build-ui")
    parser.add_argument("--login", action="append", default=[], help="EMAIL:PASSWORD; the first one an admin")
    options = parser.parse_args()
    os.makedirs(options.out, exist_ok=True)
    process, profile, url = start_chromium()
    failures, results = [], []
    try:
        tools = DevTools(url)
        for domain in ("Page", "Runtime", "Log", "Network"):
            tools.call(f"{domain}.enable")
        base = options.base.rstrip("/")
        # Anonymous pages first.
        for path in ("/login", "/password/forgot"):
            check_page(tools, base, path, "anonymous" + path.replace("/", "_"), options.out, failures, results)
        for index, login in enumerate(options.login):
            email, password = login.split(":", 1)
            sign_in(tools, base, email, password)
            who = email.split("@")[0] + "_" + email.split("@")[1].split(".")[0]
            lists = ["/", "/objects", "/events", "/items", "/deletions", "/alerts", "/users", "/users/new",
                     "/institutions", "/account", "/account/password"]
            if index == 0:
                lists += ["/institutions/new", "/objects?state=all&per_page=100"]
            paths = lists + discover(tools, base)
            for path in paths:
                navigate(tools, base + path)
                status = tools.evaluate("performance.getEntriesByType('navigation')[0].responseStatus")
                if status in (403, 404) and index > 0:
                    continue  # pages this role may not use are checked for the admin
                name = who + re.sub(r"[^A-Za-z0-9]+", "_", path).rstrip("_")
                check_page(tools, base, path, name, options.out, failures, results)
    finally:
        process.kill()
        process.wait()
        shutil.rmtree(profile, ignore_errors=True)
    for path, width, seconds, verdict in results:
        print(f"{verdict:4} {width:5}px {seconds*1000:7.0f} ms  {path}")
    print(f"{len(results)} page views, screenshots in {options.out}")
    if failures:
        print("\nFAILURES:")
        for failure in failures:
            print("  " + failure)
        sys.exit(1)


if __name__ == "__main__":
    main()
