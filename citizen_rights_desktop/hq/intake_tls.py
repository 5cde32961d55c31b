"""The office's TLS client certificate, handed to the intake application (issue 18).

uvicorn does not put the TLS peer certificate in the ASGI scope. ``ClientCertificateH11Protocol``
(uvicorn's h11 protocol, passed as ``http=`` to ``uvicorn.Config``) reads it once per connection,
when the handshake is done (``connection_made``), and wraps the application so that every request
of that connection carries it as ``scope["extensions"]["tls"]["client_cert_der"]`` (``None``
without one), next to the TLS version. The certificate was already verified against the
headquarters CA by the handshake (``hq.server_certificate.server_ssl_context``); whether
headquarters still knows it is the application's to decide, on every request.
"""

from __future__ import annotations

import asyncio
import ssl

from uvicorn.protocols.http.h11_impl import H11Protocol


def with_client_certificate(app, der: bytes | None, tls_version: str | None):
    """``app`` seeing the connection's client certificate (DER) in each request's scope."""
    tls = {"client_cert_der": der, "tls_version": tls_version}

    async def application(scope, receive, send):
        if scope.get("type") in ("http", "websocket"):
            scope["extensions"] = {**(scope.get("extensions") or {}), "tls": dict(tls)}
        await app(scope, receive, send)

    return application


def peer_certificate(transport: asyncio.BaseTransport) -> tuple[bytes | None, str | None]:
    """The verified client certificate (DER) and TLS version of a connection; (None, None) without TLS."""
    ssl_object = transport.get_extra_info("ssl_object")
    if ssl_object is None:
        return None, None
    try:
        return ssl_object.getpeercert(binary_form=True), ssl_object.version()
    except (ValueError, ssl.SSLError):
        return None, None


class ClientCertificateH11Protocol(H11Protocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.app = with_client_certificate(self.app, *peer_certificate(transport))
