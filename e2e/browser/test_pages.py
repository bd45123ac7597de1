"""Real-browser check of Latchkey's login, consent and error pages (scripts/browser-test).

Debian's headless Chromium, driven through Selenium and chromium-driver, walks the real
/authorize pages of a running `latchkey demo`:

- a client registers itself (RFC 7591, over HTTP) with a loopback redirect URI served by a tiny
  HTTP listener in this process;
- wrong password -> the login page again with an error, no redirect;
- log in, deny -> the client's redirect URI with error=access_denied, state and iss;
- log in, approve -> the redirect URI with code, state and iss; the code is exchanged for a token;
- CSRF: a tampered hidden csrf_token field, and an old form replayed after the cookies are gone
  -> the "Form expired" error page (403), no code;
- every page: security headers (CSP frame-ancestors 'none', X-Frame-Options DENY,
  Referrer-Policy, Cache-Control no-store), a label on every field, keyboard focus order with
  TAB, text contrast >= 4.5:1 from computed styles (light and dark colour schemes), no horizontal
  scrolling at 375 px, and axe-core's WCAG 2 A/AA rules (axe-selenium-python bundles axe-core);
- screenshots of each page at 375 px and 1280 px into $LATCHKEY_SCREENSHOTS;
- with a provider configured (IDP_ISSUER): the "Sign in with Corp SSO" button -> the real
  provider's login page (django-oauth-toolkit, e2e/idp) -> its consent page -> back to
  Latchkey's consent, signed in as the provider's user -> approve -> a code that buys a token;
  screenshots of the login page with the button and of that consent page.

Environment: LATCHKEY_ISSUER, LATCHKEY_MCP_URL, LATCHKEY_DEMO_USER, LATCHKEY_DEMO_PASSWORD,
LATCHKEY_SCREENSHOTS, and IDP_ISSUER, IDP_USER, IDP_PASSWORD for the provider walk
(scripts/browser-test sets them). Prints one line per check and a final
"N passed, M failed".
"""

import base64
import hashlib
import json
import os
import secrets
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

ISSUER = os.environ["LATCHKEY_ISSUER"].rstrip("/")
MCP_URL = os.environ["LATCHKEY_MCP_URL"]
USER = os.environ.get("LATCHKEY_DEMO_USER", "demo")
PASSWORD = os.environ["LATCHKEY_DEMO_PASSWORD"]
SHOTS = os.environ.get("LATCHKEY_SCREENSHOTS", ".artifacts/screenshots")
CLIENT_NAME = "Example MCP Client"
IDP_ISSUER = os.environ.get("IDP_ISSUER")
PROVIDER_BUTTON = "Sign in with Corp SSO"
WIDTHS = (375, 1280)

results: list[tuple[str, bool]] = []


def check(name: str, ok: bool, detail: str = "") -> bool:
    results.append((name, ok))
    print(f"{'ok  ' if ok else 'FAIL'} {name}{'' if ok else ': ' + detail}", flush=True)
    return ok


# --- the client's side: registration, a loopback redirect listener, the token exchange ---------


class Callback(BaseHTTPRequestHandler):
    """The client's redirect URI: records each request's query and answers a small page."""

    hits: list[dict[str, list[str]]] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        url = urlparse(self.path)
        if url.path == "/callback":  # not the browser's /favicon.ico
            Callback.hits.append(parse_qs(url.query))
        body = b"<!DOCTYPE html><title>Client</title><p>Back in the client.</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def http_json(url: str, payload: dict | None = None, form: dict | None = None) -> dict:
    data, headers = None, {"Accept": "application/json"}
    if payload is not None:
        data, headers["Content-Type"] = json.dumps(payload).encode(), "application/json"
    if form is not None:
        data = urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    request = urllib.request.Request(url, data=data, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def register(metadata: dict, name: str, redirect_uri: str) -> str:
    """RFC 7591 dynamic registration of a public client; returns its client_id."""
    registered = http_json(metadata["registration_endpoint"], payload={
        "client_name": name, "redirect_uris": [redirect_uri],
        "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"],
        "token_endpoint_auth_method": "none", "scope": "notes:read notes:write"})
    return registered["client_id"]


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class Authorization:
    """One authorization request: state, PKCE verifier, and its /authorize URL."""

    def __init__(self, metadata: dict, client_id: str, redirect_uri: str, scope: str):
        self.state = "st-" + secrets.token_urlsafe(12)
        self.verifier = secrets.token_urlsafe(48)
        self.redirect_uri = redirect_uri
        query = {
            "response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri,
            "scope": scope, "state": self.state, "code_challenge": s256(self.verifier),
            "code_challenge_method": "S256", "resource": MCP_URL,
        }
        self.url = metadata["authorization_endpoint"] + "?" + urlencode(query)


# --- what the browser sees -----------------------------------------------------------------------


def new_driver() -> webdriver.Chrome:
    options = Options()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1280,800", "--lang=en-US", "--hide-scrollbars",
                     "--font-render-hinting=none", "--password-store=basic"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    service = Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(20)
    driver.set_script_timeout(20)
    return driver


def documents(driver) -> list[dict]:
    """Document responses since the last call (redirects included), from Chromium's DevTools
    network events: url, status and lower-cased headers as the browser received them."""
    found = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message.get("params", {})
        if message.get("method") == "Network.requestWillBeSent" and "redirectResponse" in params:
            response = params["redirectResponse"]
        elif message.get("method") == "Network.responseReceived" and params.get("type") == "Document":
            response = params["response"]
        else:
            continue
        found.append({"url": response["url"], "status": response["status"],
                      "headers": {k.lower(): v for k, v in response["headers"].items()}})
    return found


def set_viewport(driver, width: int, height: int = 800) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})


def set_dark(driver, dark: bool) -> None:
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {
        "features": [{"name": "prefers-color-scheme", "value": "dark" if dark else "light"}]})


def screenshot(driver, name: str) -> None:
    """`name`-375.png (full page, mobile viewport) and `name`-1280.png; checks the 375 px
    layout does not scroll sideways."""
    os.makedirs(SHOTS, exist_ok=True)
    for width in WIDTHS:
        set_viewport(driver, width)
        if width == 375:
            wide = driver.execute_script(
                "return [document.scrollingElement.scrollWidth, window.innerWidth]")
            check(f"{name}: no horizontal scrolling at 375 px", wide[0] <= wide[1], str(wide))
        height = driver.execute_script("return document.scrollingElement.scrollHeight")
        set_viewport(driver, width, max(height, 640 if width == 375 else 800))
        data = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})["data"]
        with open(os.path.join(SHOTS, f"{name}-{width}.png"), "wb") as file:
            file.write(base64.b64decode(data))
    set_viewport(driver, 1280)


LABELS_JS = """
const problems = [];
for (const el of document.querySelectorAll('input, select, textarea, button')) {
  if (el.type === 'hidden') continue;
  const text = el.tagName === 'BUTTON' ? el.textContent
    : [...(el.labels || [])].map(l => l.textContent).join(' ') || el.getAttribute('aria-label') || '';
  if (!text.trim()) problems.push(el.outerHTML.slice(0, 80));
}
return problems;
"""

CONTRAST_JS = """
function rgba(c) {
  const m = c.match(/rgba?\\(([^)]+)\\)/);
  if (!m) return null;
  const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
  return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
}
function over(top, base) {
  const a = top[3];
  return [0, 1, 2].map(i => top[i] * a + base[i] * (1 - a));
}
function luminance(c) {
  const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
}
function background(el) {
  const layers = [];
  for (let e = el; e; e = e.parentElement) {
    const c = rgba(getComputedStyle(e).backgroundColor);
    if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
  }
  const dark = matchMedia('(prefers-color-scheme: dark)').matches;
  let base = dark ? [18, 18, 18] : [255, 255, 255];
  for (let i = layers.length - 1; i >= 0; i--) base = over(layers[i], base);
  return base;
}
const found = [];
for (const el of document.body.querySelectorAll('*')) {
  const ownText = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
  if (!ownText || !el.getClientRects().length) continue;
  const style = getComputedStyle(el);
  if (style.visibility === 'hidden') continue;
  const fg = rgba(style.color), bg = background(el);
  if (!fg) { found.push({text: el.textContent.trim().slice(0, 40), ratio: 0, color: style.color}); continue; }
  const color = over(fg, bg);
  const [a, b] = [luminance(color), luminance(bg)].sort((x, y) => y - x);
  found.push({text: el.textContent.trim().slice(0, 40), ratio: (a + 0.05) / (b + 0.05)});
}
return found;
"""

DESCRIBE_JS = """
const el = document.activeElement;
if (!el || el === document.body || el === document.documentElement) return 'body';
const tag = el.tagName.toLowerCase();
if (tag === 'button') return 'button:' + (el.value || el.textContent.trim());
return tag + '#' + (el.id || el.name);
"""


def focus_order(driver, count: int) -> list[str]:
    """Clicks the page's top-left corner (the body, before every control), then presses TAB
    `count` + 1 times and names what has the focus each time."""
    driver.execute_script(
        "document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    click = ActionBuilder(driver)
    click.pointer_action.move_to_location(2, 2)
    click.pointer_action.click()
    click.perform()
    order = []
    for _ in range(count + 1):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        order.append(driver.execute_script(DESCRIBE_JS))
    return order


def audit_page(driver, name: str, expected_focus: list[str]) -> None:
    """Labels, focus order, contrast in both colour schemes, axe-core, screenshots."""
    unlabelled = driver.execute_script(LABELS_JS)
    check(f"{name}: every field and button has a label", not unlabelled, str(unlabelled))
    order = focus_order(driver, len(expected_focus))
    check(f"{name}: TAB order {' -> '.join(expected_focus) or '(nothing to focus)'}",
          order[:len(expected_focus)] == expected_focus
          and order[len(expected_focus)] not in expected_focus, str(order))
    for dark in (False, True):
        set_dark(driver, dark)
        low = [t for t in driver.execute_script(CONTRAST_JS) if t["ratio"] < 4.5]
        check(f"{name}: text contrast >= 4.5:1 ({'dark' if dark else 'light'} scheme)", not low,
              json.dumps(low)[:400])
    set_dark(driver, False)
    axe = Axe(driver)
    axe.inject()
    report = axe.run(options="{runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}}")
    violations = [f"{v['id']} ({len(v['nodes'])})" for v in report["violations"]]
    check(f"{name}: axe-core WCAG 2 A/AA, no violations", not violations, ", ".join(violations))
    screenshot(driver, name)


def security_headers(name: str, response: dict | None) -> None:
    if not check(f"{name}: the browser received the page", response is not None):
        return
    h = response["headers"]
    csp = h.get("content-security-policy", "")
    check(f"{name}: CSP frame-ancestors 'none' and default-src 'none'",
          "frame-ancestors 'none'" in csp and "default-src 'none'" in csp, csp)
    check(f"{name}: X-Frame-Options DENY", h.get("x-frame-options") == "DENY",
          str(h.get("x-frame-options")))
    check(f"{name}: Referrer-Policy no-referrer", h.get("referrer-policy") == "no-referrer",
          str(h.get("referrer-policy")))
    check(f"{name}: Cache-Control no-store", "no-store" in h.get("cache-control", ""),
          str(h.get("cache-control")))


def last_page(driver) -> dict | None:
    docs = [d for d in documents(driver) if d["url"].startswith(ISSUER)]
    return docs[-1] if docs else None


def text(driver) -> str:
    return driver.find_element(By.TAG_NAME, "body").text


def sign_in(driver, password: str) -> None:
    driver.find_element(By.ID, "username").clear()
    driver.find_element(By.ID, "username").send_keys(USER)
    driver.find_element(By.ID, "password").send_keys(password)
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: old != d.find_element(By.TAG_NAME, "html"))


def press(driver, decision: str) -> None:
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, f"button[name=decision][value={decision}]").click()
    WebDriverWait(driver, 10).until(lambda d: old != d.find_element(By.TAG_NAME, "html"))


def landed(driver, authorization: Authorization) -> dict[str, list[str]] | None:
    """The query the client's redirect URI received, when the browser is there."""
    if not driver.current_url.startswith(authorization.redirect_uri):
        return None
    return parse_qs(urlparse(driver.current_url).query)


# --- the walk ------------------------------------------------------------------------------------


def run(driver, metadata: dict, client_id: str, redirect_uri: str) -> None:
    login_focus = ["input#username", "input#password", "button:Sign in"]
    if IDP_ISSUER:
        login_focus.append(f"button:{PROVIDER_BUTTON}")
    consent_focus = ["button:approve", "button:deny"]

    # The login page.
    flow = Authorization(metadata, client_id, redirect_uri, "notes:read")
    driver.get(flow.url)
    security_headers("login", last_page(driver))
    body = text(driver)
    check("login: names the client", CLIENT_NAME in body, body[:200])
    check("login: names the server it signs in to", urlparse(ISSUER).netloc in body, body[:300])
    check("login: autofocus on the username", driver.execute_script(DESCRIBE_JS) == "input#username")
    audit_page(driver, "login", login_focus)

    # Wrong password: the login page again, with the error and without a redirect.
    sign_in(driver, PASSWORD + "-wrong")
    page = last_page(driver)
    check("wrong password: still on the authorization server",
          driver.current_url.startswith(ISSUER) and not Callback.hits, driver.current_url)
    check("wrong password: status 200 page", page is not None and page["status"] == 200,
          str(page and page["status"]))
    alert = driver.find_elements(By.CSS_SELECTOR, "[role=alert]")
    check("wrong password: the error is shown as an alert",
          bool(alert) and "Wrong username or password." in alert[0].text,
          alert[0].text if alert else "no [role=alert]")
    check("wrong password: the focus is in the password field",
          driver.execute_script(DESCRIBE_JS) == "input#password", driver.execute_script(DESCRIBE_JS))
    check("wrong password: the username is kept, the password is not",
          driver.find_element(By.ID, "username").get_attribute("value") == USER
          and driver.find_element(By.ID, "password").get_attribute("value") == "")
    audit_page(driver, "login-error", login_focus)

    # Sign in, then deny.
    sign_in(driver, PASSWORD)
    page = last_page(driver)
    security_headers("consent", page)
    body = text(driver)
    check("consent: names the client in the heading",
          CLIENT_NAME in driver.find_element(By.TAG_NAME, "h1").text,
          driver.find_element(By.TAG_NAME, "h1").text)
    check("consent: explains the scope in words", "Read your notes" in body, body[:400])
    check("consent: warns that the client registered itself (unverified)",
          "nobody has verified" in body.lower() or "not verified" in body.lower(), body[:600])
    check("consent: shows where it sends you back (the redirect host and port)",
          urlparse(redirect_uri).netloc in body, body[:600])
    check("consent: shows who is signed in", USER in body, body[:600])
    audit_page(driver, "consent", consent_focus)
    set_dark(driver, True)
    screenshot(driver, "consent-dark")
    set_dark(driver, False)
    press(driver, "deny")
    query = landed(driver, flow)
    check("deny: lands on the client's redirect URI", query is not None, driver.current_url)
    query = query or {}
    check("deny: error=access_denied", query.get("error") == ["access_denied"], str(query))
    check("deny: state and iss", query.get("state") == [flow.state] and query.get("iss") == [ISSUER],
          str(query))
    check("deny: no code", "code" not in query, str(query))

    # A new request: signed in already, so straight to consent; approve.
    flow = Authorization(metadata, client_id, redirect_uri, "notes:read")
    driver.get(flow.url)
    documents(driver)
    check("approve: the consent page again (session kept)",
          bool(driver.find_elements(By.CSS_SELECTOR, "button[value=approve]")), text(driver)[:200])
    press(driver, "approve")
    query = landed(driver, flow) or {}
    check("approve: lands on the client's redirect URI with a code",
          bool(query.get("code")), driver.current_url)
    check("approve: state echoed", query.get("state") == [flow.state], str(query.get("state")))
    check("approve: iss is the issuer (RFC 9207)", query.get("iss") == [ISSUER], str(query.get("iss")))
    check("approve: the listener got the same redirect",
          bool(Callback.hits) and Callback.hits[-1].get("code") == query.get("code"))
    if query.get("code"):
        token = http_json(metadata["token_endpoint"], form={
            "grant_type": "authorization_code", "code": query["code"][0],
            "redirect_uri": redirect_uri, "client_id": client_id,
            "code_verifier": flow.verifier, "resource": MCP_URL})
        check("approve: the code buys an access token",
              bool(token.get("access_token")) and token.get("token_type", "").lower() == "bearer",
              str(list(token)))

    # CSRF: the hidden csrf_token tampered with in the page, then submitted.
    flow = Authorization(metadata, client_id, redirect_uri, "notes:read notes:write")
    driver.get(flow.url)
    documents(driver)
    hits = len(Callback.hits)
    driver.execute_script(
        "document.querySelector('input[name=csrf_token]').value = arguments[0]",
        secrets.token_urlsafe(32))
    press(driver, "approve")
    page = last_page(driver)
    security_headers("error", page)
    check("csrf tampered: 403 error page", page is not None and page["status"] == 403,
          str(page and page["status"]))
    check("csrf tampered: says the form expired", "Form expired" in text(driver), text(driver)[:200])
    check("csrf tampered: no redirect, no code",
          driver.current_url.startswith(ISSUER) and len(Callback.hits) == hits
          and "code=" not in driver.current_url, driver.current_url)
    audit_page(driver, "error", [])

    # CSRF: an old form replayed without the cookies it was issued with (another browser, or a
    # cross-site POST); the page is loaded, then the cookies are dropped, then it is submitted.
    flow = Authorization(metadata, client_id, redirect_uri, "notes:read")
    driver.delete_all_cookies()
    driver.get(flow.url)
    documents(driver)
    driver.delete_all_cookies()
    sign_in(driver, PASSWORD)
    page = last_page(driver)
    check("old form replayed: 403 error page", page is not None and page["status"] == 403,
          str(page and page["status"]))
    check("old form replayed: no redirect, no code, no session",
          driver.current_url.startswith(ISSUER) and len(Callback.hits) == hits
          and driver.get_cookie("latchkey_session") is None, driver.current_url)


def hostile_name(driver, metadata: dict, redirect_uri: str) -> None:
    """A client whose self-chosen name is long, unbroken and contains markup: shown as text,
    never run, and the 375 px layout still does not scroll sideways."""
    name = "<img src=x onerror=alert(1)>" + "Ünïcödé-Äpplïcätïön-" * 6
    client_id = register(metadata, name, redirect_uri)
    flow = Authorization(metadata, client_id, redirect_uri, "notes:read")
    driver.delete_all_cookies()
    driver.get(flow.url)
    documents(driver)
    sign_in(driver, PASSWORD)
    heading = driver.find_element(By.TAG_NAME, "h1").text
    check("hostile client name: shown as text on the consent page", name in heading, heading[:120])
    check("hostile client name: no element made from it",
          not driver.find_elements(By.CSS_SELECTOR, "main img"))
    screenshot(driver, "stress-long-name")  # checks the 375 px layout too
    press(driver, "deny")
    check("hostile client name: deny still redirects with access_denied",
          (landed(driver, flow) or {}).get("error") == ["access_denied"], driver.current_url)


def wait_for(driver, condition, what: str) -> bool:
    try:
        WebDriverWait(driver, 10).until(condition)
        return True
    except Exception:
        return check(f"provider walk: {what}", False, driver.current_url)


def provider_walk(driver, metadata: dict, client_id: str, redirect_uri: str) -> None:
    """Issue 23: sign in through the provider button in a fresh browser session."""
    user, password = os.environ["IDP_USER"], os.environ["IDP_PASSWORD"]
    provider_origin = "{0.scheme}://{0.netloc}".format(urlparse(IDP_ISSUER))
    flow = Authorization(metadata, client_id, redirect_uri, "notes:read")
    driver.delete_all_cookies()
    driver.get(flow.url)
    documents(driver)
    buttons = driver.find_elements(
        By.XPATH, f"//form[@class='provider']//button[normalize-space()='{PROVIDER_BUTTON}']")
    if not check("provider: the login page shows the provider button", len(buttons) == 1,
                 text(driver)[:300]):
        return
    screenshot(driver, "login-provider")
    buttons[0].click()
    if not wait_for(driver, lambda d: d.current_url.startswith(provider_origin + "/accounts/login/"),
                    "the button leads to the provider's login page"):
        return
    check("provider: the provider's own login page (its form, its CSRF cookie)",
          bool(driver.find_elements(By.NAME, "csrfmiddlewaretoken"))
          and driver.get_cookie("idp_csrftoken") is not None, text(driver)[:200])
    screenshot(driver, "provider-login")
    driver.find_element(By.ID, "id_username").send_keys(user)
    driver.find_element(By.ID, "id_password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    if not wait_for(driver, lambda d: d.find_elements(By.NAME, "allow"),
                    "signed in at the provider, its consent page"):
        return
    driver.find_element(By.NAME, "allow").click()
    if not wait_for(driver, lambda d: d.current_url.startswith(ISSUER)
                    and d.find_elements(By.CSS_SELECTOR, "button[value=approve]"),
                    "back at Latchkey's consent page"):
        return
    body = text(driver)
    check("provider: Latchkey's consent shows the provider's user (its verified email)",
          "alice@corp.example" in body, body[:600])
    screenshot(driver, "consent-provider")
    press(driver, "approve")
    query = landed(driver, flow) or {}
    check("provider: approve lands on the client's redirect URI with a code, state and iss",
          bool(query.get("code")) and query.get("state") == [flow.state]
          and query.get("iss") == [ISSUER], driver.current_url)
    if query.get("code"):
        token = http_json(metadata["token_endpoint"], form={
            "grant_type": "authorization_code", "code": query["code"][0],
            "redirect_uri": redirect_uri, "client_id": client_id,
            "code_verifier": flow.verifier, "resource": MCP_URL})
        check("provider: the code buys an access token", bool(token.get("access_token")),
              str(list(token)))


def main() -> int:
    listener = ThreadingHTTPServer(("127.0.0.1", 0), Callback)
    threading.Thread(target=listener.serve_forever, daemon=True).start()
    redirect_uri = f"http://127.0.0.1:{listener.server_address[1]}/callback"
    driver = None
    try:
        metadata = http_json(ISSUER + "/.well-known/oauth-authorization-server")
        client_id = register(metadata, CLIENT_NAME, redirect_uri)
        check("registered a client over HTTP (RFC 7591)", bool(client_id))
        started = time.monotonic()
        driver = new_driver()
        print(f"chromium {driver.capabilities.get('browserVersion')} started in "
              f"{time.monotonic() - started:.1f} s", flush=True)
        run(driver, metadata, client_id, redirect_uri)
        hostile_name(driver, metadata, redirect_uri)
        if IDP_ISSUER:
            provider_walk(driver, metadata, client_id, redirect_uri)
    except BaseException as error:  # report, then fail
        check("browser walk completed", False, f"{type(error).__name__}: {error}")
    finally:
        if driver is not None:
            driver.quit()
        listener.shutdown()
    passed = sum(1 for _, ok in results if ok)
    failed = len(results) - passed
    print(f"screenshots: {SHOTS}", flush=True)
    print(f"{passed} passed, {failed} failed", flush=True)
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
