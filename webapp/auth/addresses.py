"""The client's address, which sign-in throttling counts by.

Directly on the internet it is the connection's address. Behind reverse proxies every request
would come from the proxy, so one stranger would throttle everyone: set KETNAP_TRUSTED_PROXIES to
the number of proxies in front of the app and ProxyFix takes the address (and the scheme) from
their X-Forwarded-For / X-Forwarded-Proto. Never set it higher than the real number: the client
could then write its own X-Forwarded-For and pick any address.
"""
from flask import request
from werkzeug.middleware.proxy_fix import ProxyFix


def register(app):
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)


def client_address():
    return (request.remote_addr or "unknown").replace("\x00", "")[:64]  # a forwarded header is client text
