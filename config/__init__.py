"""The project package: settings, URLs, the WSGI and ASGI entry points, request guards and the login
throttle. Not an app: it holds no models, and it is the one place that knows every app."""
