"""Small pieces the Python test drivers under scripts/ share (crash test, soak, lifecycle and
PostgreSQL tests): a pass/fail tally that prints one FAIL line per failed check, and the parser
that reads the first form of a login or consent page."""

import html.parser


class Checks:
    """Counts checks; each failure is printed at once as `FAIL: message`."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, ok, message):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL: {message}", flush=True)
        return ok


class FormParser(html.parser.HTMLParser):
    """The first form of a page: action and named inputs."""

    def __init__(self):
        super().__init__()
        self.action = None
        self.fields = []
        self.password = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.action is None:
            self.action = attrs.get("action")
        elif tag == "input" and attrs.get("name"):
            if attrs.get("type") == "password":
                self.password = True
            else:
                self.fields.append((attrs["name"], attrs.get("value") or ""))
