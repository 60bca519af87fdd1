"""Pure ASGI middleware of the HTTP kernel (never ``BaseHTTPMiddleware``)."""

from app.http.middleware.access_log import AccessLogMiddleware
from app.http.middleware.body_limit import MaxBodySizeMiddleware
from app.http.middleware.container_scope import ContainerScopeMiddleware
from app.http.middleware.cors import CorsMiddleware
from app.http.middleware.exceptions import UnhandledExceptionMiddleware
from app.http.middleware.request_id import RequestIdMiddleware
from app.http.middleware.security_headers import SecurityHeadersMiddleware
from app.http.middleware.trusted_hosts import TrustedHostsMiddleware

__all__ = [
    "AccessLogMiddleware",
    "ContainerScopeMiddleware",
    "CorsMiddleware",
    "MaxBodySizeMiddleware",
    "RequestIdMiddleware",
    "SecurityHeadersMiddleware",
    "TrustedHostsMiddleware",
    "UnhandledExceptionMiddleware",
]
