"""What every request passes first: the access token, the session cookie, form tokens
against cross-site requests, a cap on upload size, and safe response headers.

A pure ASGI middleware, so an oversized body is refused while it arrives.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from starlette.datastructures import URL
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from plangen.web.workspace import new_id, valid_id

SESSION_COOKIE = "plangen_session"
TOKEN_COOKIE = "plangen_token"
SECURE_PREFIX = "__Host-"
"""Cookie names get this prefix with `secure` (behind an HTTPS proxy): the browser then
keeps them only for this exact host and port range of HTTPS, set by this server. Over
plain http it cannot be used (`__Host-` cookies must be Secure)."""
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

HEADERS = [
    (b"content-security-policy",
     b"default-src 'none'; img-src 'self'; style-src 'self'; script-src 'self'; "
     b"connect-src 'self'; "
     b"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
]  # fmt: skip


def is_local(host: str) -> bool:
    """True when `host` is a loopback address or `localhost`: no token needed there."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    """The access token printed at start for a server on a non-local address."""
    return secrets.token_urlsafe(24)


def code_hash(code: str) -> bytes:
    """What the server keeps of the access code: its SHA-256, never the code."""
    return hashlib.sha256(code.strip().encode()).digest()


def same(a: str | None, b: str | None) -> bool:
    """Compare two secrets in constant time; a missing one never matches."""
    return bool(a) and bool(b) and hmac.compare_digest(str(a).encode(), str(b).encode())


class TooLarge(Exception):
    """The request body is over the cap."""


class Guard:
    """Wraps the app: access-code check (when set), session id, CSRF check on POST, size
    cap.

    Session ids are minted here only: the cookie carries the id and its HMAC with the
    server's secret, and a cookie without a right HMAC (one planted by another page on
    the same host) is replaced by a new session. With an access code, only its SHA-256
    (`token_hash`) is kept, and the cookie a right code earns is an HMAC of the secret,
    not the code.
    """

    def __init__(
        self,
        app: ASGIApp,
        token_hash: bytes | None,
        secret: bytes,
        max_body: int,
        allowed_hosts: tuple[str, ...] | None,
        pages: Any,
        secure: bool = False,
    ) -> None:
        self.app, self.token_hash, self.secret, self.max_body = app, token_hash, secret, max_body
        self.allowed_hosts = allowed_hosts
        self.pages = pages
        """Has `message(request, title, text, status)` and `login(request, wrong, status)`."""
        self.secure = secure
        prefix = SECURE_PREFIX if secure else ""
        self.session_cookie, self.token_cookie = prefix + SESSION_COOKIE, prefix + TOKEN_COOKIE

    def _sign(self, what: str) -> str:
        return hmac.new(self.secret, what.encode(), hashlib.sha256).hexdigest()

    def csrf_for(self, session: str) -> str:
        """The form token of `session`: an HMAC of it with the server's secret."""
        return self._sign("csrf:" + session)

    def session_value(self, session: str) -> str:
        """The cookie of `session`: the id and its HMAC."""
        return f"{session}.{self._sign('session:' + session)}"

    def session_of(self, cookie: str | None) -> str | None:
        """The session id of a cookie this server minted; None for any other value."""
        session, _, mac = (cookie or "").partition(".")
        if valid_id(session) and same(mac, self._sign("session:" + session)):
            return session
        return None

    def access_value(self) -> str:
        """The cookie a right access code earns (not the code, nothing to learn it from)."""
        return self._sign("access")

    def _attributes(self) -> str:
        return "; Path=/; HttpOnly; SameSite=Strict" + ("; Secure" if self.secure else "")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        if self.allowed_hosts is not None and request.url.hostname not in self.allowed_hosts:
            await PlainTextResponse("This address is not served here.", 421)(scope, receive, send)
            return
        cookies = _cookies(scope)
        if self.token_hash is not None and not same(
            cookies.get(self.token_cookie), self.access_value()
        ):
            response = await self._login(request, receive)
            await _with_headers(response)(scope, receive, send)
            return
        session = self.session_of(cookies.get(self.session_cookie))
        fresh = session is None
        if session is None:
            session = new_id()
        scope.setdefault("state", {})
        scope["state"]["session"] = session
        scope["state"]["csrf"] = self.csrf_for(session or "")
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await self._refuse_size(request, scope, receive, send)
            return
        if request.method == "POST" and not self._same_origin(request):
            response = self.pages.message(
                request, "Refused", "This form was sent from another site.", 403
            )
            await _with_headers(response)(scope, receive, send)
            return

        received = 0

        async def capped_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise TooLarge
            return message

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in HEADERS if k not in names]
                if fresh:
                    value = self.session_value(session)
                    cookie = f"{self.session_cookie}={value}{self._attributes()}"
                    headers.append((b"set-cookie", cookie.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, capped_receive, send_with_headers)
        except TooLarge:
            await self._refuse_size(request, scope, receive, send)

    def _same_origin(self, request: Request) -> bool:
        origin = request.headers.get("origin")
        if origin and origin != "null":
            url = URL(origin)
            if (url.hostname, url.port) != (request.url.hostname, request.url.port):
                return False
        return True

    async def _refuse_size(
        self, request: Request, scope: Scope, receive: Receive, send: Send
    ) -> None:
        mb = self.max_body / 1_000_000
        response = self.pages.message(
            request,
            "File too large",
            f"Files up to {mb:g} MB can be sent here; a plan's workbook is much smaller. "
            "Check that you chose the right file.",
            413,
        )
        await _with_headers(response)(scope, receive, send)

    async def _login(self, request: Request, receive: Receive) -> Response:
        """Ask for the token; a right token sets the cookie and goes to the page asked for."""
        given = request.query_params.get("token")
        if request.method == "POST" and request.url.path == "/login":
            body = b""
            while True:
                message = await receive()
                body += message.get("body", b"")
                if len(body) > 4096 or not message.get("more_body"):
                    break
            given = (parse_qs(body.decode("latin-1")).get("token") or [""])[0]
        if given is not None:
            if self.token_hash is not None and hmac.compare_digest(
                code_hash(given), self.token_hash
            ):
                response = RedirectResponse("/", 303)
                response.set_cookie(
                    self.token_cookie,
                    self.access_value(),
                    httponly=True,
                    samesite="strict",
                    secure=self.secure,
                )
                return response
            return self.pages.login(request, True, 403)
        return self.pages.login(request, False, 401)


def _cookies(scope: Scope) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except Exception:
                continue
    return {k: m.value for k, m in jar.items()}


def _with_headers(response: Response) -> Response:
    for name, value in HEADERS:
        response.headers.setdefault(name.decode(), value.decode())
    return response


async def checked_form(request: Request, max_files: int = 0, max_fields: int = 4) -> Any:
    """The form POSTed with `request`, once its form token matches the session's.

    Raises HTTPException (a plain page) when the form cannot be read or its token is
    wrong; TooLarge passes through to the guard.
    """
    from starlette.exceptions import HTTPException

    try:
        form = await request.form(max_files=max_files, max_fields=max_fields)
    except (HTTPException, TooLarge):
        raise
    except Exception:
        raise HTTPException(400, "The form could not be read.") from None
    if not same(str(form.get("csrf") or ""), request.scope["state"]["csrf"]):
        raise HTTPException(403, "This form is out of date: reload the page and try again.")
    return form
