"""Pure ASGI middleware of the HTTP kernel (never ``BaseHTTPMiddleware``)."""

from foundry.http.middleware.access_log import AccessLogMiddleware
from foundry.http.middleware.body_limit import MaxBodySizeMiddleware
from foundry.http.middleware.container_scope import ContainerScopeMiddleware
from foundry.http.middleware.cors import CorsMiddleware
from foundry.http.middleware.exceptions import UnhandledExceptionMiddleware
from foundry.http.middleware.nul_bytes import RejectNulBytesMiddleware
from foundry.http.middleware.proxy_headers import ProxyHeadersMiddleware
from foundry.http.middleware.request_id import RequestIdMiddleware
from foundry.http.middleware.security_headers import SecurityHeadersMiddleware
from foundry.http.middleware.throttle import ThrottleMiddleware
from foundry.http.middleware.trusted_hosts import TrustedHostsMiddleware

__all__ = [
    "AccessLogMiddleware",
    "ContainerScopeMiddleware",
    "CorsMiddleware",
    "MaxBodySizeMiddleware",
    "ProxyHeadersMiddleware",
    "RejectNulBytesMiddleware",
    "RequestIdMiddleware",
    "SecurityHeadersMiddleware",
    "ThrottleMiddleware",
    "TrustedHostsMiddleware",
    "UnhandledExceptionMiddleware",
]
