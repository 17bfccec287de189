"""Wrong passwords, counted per account and per address in the rate limiter's storage, so that with
Redis (PORTAL_RATELIMIT_STORAGE_URL) every app process shares the counts. Sign-in, the sign form
and sign-scoped token creation share one account: guessing at the sign form uses up the same
budget as guessing at /login.

Only failures count: an attempt is counted before the password is checked (so concurrent guesses
cannot all slip through while the first ones are checked) and given back when it was right. A
correct password is refused only when its own account has too many failures, or its address has
far more (PORTAL_LOGIN_ADDRESS_RATE_LIMIT, by default ten times the per-account limit: many users
may share an address behind a NAT)."""

import hashlib
import ipaddress
import time
from dataclasses import dataclass, field

from flask import current_app, request
from limits import RateLimitItem, parse
from limits.storage import Storage

from portal.extensions import limiter


@dataclass
class PasswordAttempt:
    storage: Storage
    #: (storage key, window in seconds) of each counter this attempt was counted in
    counted: list[tuple[str, int]] = field(default_factory=list)
    allowed: bool = True
    retry_after: int = 0

    def succeeded(self) -> None:
        """The password was right: the attempt does not count as a failure."""
        for key, expiry in self.counted:
            self.storage.incr(key, expiry, amount=-1)
        self.counted = []

    @property
    def headers(self) -> dict:
        return {"Retry-After": str(self.retry_after)} if not self.allowed else {}


def begin(storage: Storage, counters: list[tuple[RateLimitItem, str]]) -> PasswordAttempt:
    """Count an attempt in every counter; refused (and nothing counted) when one is over its limit."""
    attempt = PasswordAttempt(storage)
    for item, key in counters:
        full_key = item.key_for(key)
        attempt.counted.append((full_key, item.get_expiry()))
        if storage.incr(full_key, item.get_expiry()) > item.amount:
            attempt.allowed = False
            wait = storage.get_expiry(full_key) - time.time()
            attempt.retry_after = max(attempt.retry_after, int(wait) + 1, 1)
    if not attempt.allowed:
        attempt.succeeded()  # not checked: not a failure either
    return attempt


def limits_from_config(config) -> tuple[RateLimitItem, RateLimitItem]:
    """(per account, per address) failed-attempt limits."""
    account = parse(config["PORTAL_LOGIN_RATE_LIMIT"])
    address = config.get("PORTAL_LOGIN_ADDRESS_RATE_LIMIT")
    if address:
        return account, parse(address)
    return account, type(account)(account.amount * 10, account.multiples)


def address_key(address: str | None) -> str:
    """The client's address; an IPv6 client counts by its /64, which one subscriber usually holds
    whole (counting each of its addresses apart would give a guesser billions of budgets)."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return address or "unknown"
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/64", strict=False))


def password_attempt(username: str) -> PasswordAttempt:
    """Begin a password check for `username` from this request's address (the client's own when
    PORTAL_TRUSTED_PROXIES names the proxies in front; see portal.security)."""
    config = current_app.config
    per_account, per_address = limits_from_config(config)
    prefix = config.get("RATELIMIT_KEY_PREFIX", "")
    account = hashlib.sha256(username.strip().casefold().encode()).hexdigest()[:32]
    return begin(
        limiter.storage,
        [
            (per_account, f"{prefix}/password-failures/account/{account}"),
            (per_address, f"{prefix}/password-failures/address/{address_key(request.remote_addr)}"),
        ],
    )
