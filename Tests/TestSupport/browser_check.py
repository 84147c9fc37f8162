#!/usr/bin/env python3
"""Opens a page in headless Chromium over the DevTools protocol and reports what a reader would
meet: console errors and uncaught exceptions, requests that failed or answered >= 400, images
that did not load, the links on the page, its title and text, and whether a CJK font renders.
Optionally keeps a full-page screenshot. Prints one JSON object.

    browser_check.py URL [--width 1280] [--height 800] [--screenshot FILE.png]
"""
import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket  # Debian python3-websocket (websocket-client)


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("browser_check: no chromium on PATH (apt install chromium fonts-noto-cjk)")


class DevTools:
    def __init__(self, url):
        self.ws = websocket.create_connection(url, timeout=60, suppress_origin=True)
        self.next_id = 0
        self.events = []

    def call(self, method, **params):
        self.next_id += 1
        ident = self.next_id
        self.ws.send(json.dumps({"id": ident, "method": method, "params": params}))
        self.ws.settimeout(60)  # drain/wait_for shorten it; a screenshot of a long page takes seconds
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, method, timeout=30):
        deadline = time.time() + timeout
        for index, event in enumerate(self.events):
            if event.get("method") == method:
                return self.events.pop(index)
        self.ws.settimeout(1)
        while time.time() < deadline:
            try:
                message = json.loads(self.ws.recv())
            except websocket.WebSocketTimeoutException:
                continue
            if message.get("method") == method:
                return message
            self.events.append(message)
        raise TimeoutError(method)

    def drain(self, seconds):
        self.ws.settimeout(0.1)
        deadline = time.time() + seconds
        while time.time() < deadline:
            try:
                self.events.append(json.loads(self.ws.recv()))
            except websocket.WebSocketTimeoutException:
                pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=800)
    parser.add_argument("--screenshot")
    args = parser.parse_args()

    profile = tempfile.mkdtemp(prefix="browser-check-")
    command = [chromium(), "--headless=new", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
               "--remote-debugging-port=0", f"--user-data-dir={profile}", "--remote-allow-origins=*",
               "--disable-background-networking", "about:blank"]
    # Without its sandbox: Chromium refuses to run as root with it, and CI containers often lack
    # the user namespaces it needs. The pages opened are our own local files.
    command.insert(1, "--no-sandbox")
    browser = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = os.path.join(profile, "DevToolsActivePort")
        deadline = time.time() + 30
        while not (os.path.exists(port_file) and open(port_file).read().strip()):
            if time.time() > deadline or browser.poll() is not None:
                sys.exit("browser_check: chromium did not start")
            time.sleep(0.05)
        port = open(port_file).read().split()[0]
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json"))
        page = next(t for t in targets if t.get("type") == "page")
        tools = DevTools(page["webSocketDebuggerUrl"])
        for domain in ("Runtime", "Log", "Network", "Page"):
            tools.call(f"{domain}.enable")
        tools.call("Emulation.setDeviceMetricsOverride", width=args.width, height=args.height,
                   deviceScaleFactor=1, mobile=args.width < 600)
        tools.call("Page.navigate", url=args.url)
        tools.wait_for("Page.loadEventFired")
        tools.drain(0.5)

        def evaluate(expression):
            result = tools.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
            return result.get("result", {}).get("value")

        report = {
            "title": evaluate("document.title"),
            "text": evaluate("document.body ? document.body.innerText : ''"),
            "links": evaluate("[...document.querySelectorAll('a[href]')].map(a => a.href)"),
            "images": evaluate("[...document.images].map(i => ({src: i.currentSrc || i.src, "
                               "loaded: i.complete && i.naturalWidth > 0, width: i.naturalWidth}))"),
            "scrollWidth": evaluate("document.documentElement.scrollWidth"),
            "cjkFont": evaluate("document.fonts.ready.then(() => document.fonts.check('16px \"Noto Sans CJK SC\"', '中文'))"),
            "consoleErrors": [],
            "failedRequests": [],
        }
        urls = {}
        for event in tools.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                report["consoleErrors"].append(" ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
            elif method == "Runtime.exceptionThrown":
                report["consoleErrors"].append(params.get("exceptionDetails", {}).get("text", "exception"))
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                report["consoleErrors"].append(params["entry"].get("text", ""))
            elif method == "Network.requestWillBeSent":
                urls[params["requestId"]] = params["request"]["url"]
            elif method == "Network.loadingFailed":
                report["failedRequests"].append(f"{urls.get(params['requestId'], '?')}: {params.get('errorText')}")
            elif method == "Network.responseReceived" and params["response"].get("status", 200) >= 400:
                report["failedRequests"].append(f"{params['response']['url']}: HTTP {params['response']['status']}")
        if args.screenshot:
            shot = tools.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
            with open(args.screenshot, "wb") as file:
                file.write(base64.b64decode(shot["data"]))
        print(json.dumps(report, ensure_ascii=False))
    finally:
        browser.kill()
        browser.wait()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
