"""Pacer's small HTTP server: calendar feeds at ``GET /calendar/<token>.ics`` (aiohttp).

Enabled by the ``HTTP_PORT`` setting (``PUBLIC_URL`` is the address members' calendars reach
it at, behind a proxy with TLS in production). Anything but a known token answers 404 with no
detail, so tokens can't be probed for.
"""

from __future__ import annotations

import logging

from aiohttp import web

from bot.services.feeds import FeedService

log = logging.getLogger(__name__)

#: Calendar apps poll; let caches in between hold a feed a little, never long.
CACHE_CONTROL = "private, max-age=300"


class FeedServer:
    def __init__(self, feeds: FeedService, host: str, port: int) -> None:
        self._feeds = feeds
        self._host = host
        self._port = port
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    async def start(self) -> int:
        """Listen; returns the bound port (``HTTP_PORT=0`` picks a free one, for tests)."""
        app = web.Application()
        app.router.add_get("/calendar/{token}.ics", self._calendar)
        app.router.add_get("/healthz", self._health)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, self._host, self._port)
        await site.start()
        self._runner = runner
        server = site._server
        sockets = getattr(server, "sockets", None) or []
        self.port = int(sockets[0].getsockname()[1]) if sockets else self._port
        log.info("Calendar feeds served on http://%s:%d", self._host, self.port)
        return self.port

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _calendar(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        if not token or len(token) > 100:
            raise web.HTTPNotFound()
        body = await self._feeds.feed(token)
        if body is None:
            raise web.HTTPNotFound()
        return web.Response(
            body=body,
            content_type="text/calendar",
            charset="utf-8",
            headers={"Cache-Control": CACHE_CONTROL},
        )

    async def _health(self, request: web.Request) -> web.Response:
        return web.Response(text="ok")
