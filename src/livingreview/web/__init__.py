"""`livingreview serve`: the review team's web app (Starlette, server-rendered, no build step)."""

from livingreview.web.app import create_app

__all__ = ["create_app"]
