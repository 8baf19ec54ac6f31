"""Type a slash command into a running sandbox page and save a screenshot (docs only).

Usage: python scripts/screenshot.py URL OUT.png "/pace zones" race=5K time=22:30
Needs `pip install playwright` and Debian's chromium; not part of the bot or its tests.
"""

from __future__ import annotations

import asyncio
import shutil
import sys

from playwright.async_api import async_playwright


async def main(url: str, out: str, command: str, options: list[str]) -> None:
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=shutil.which("chromium"),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = await browser.new_page(viewport={"width": 1280, "height": 1000})
        await page.goto(url)
        await page.wait_for_function(
            "() => window.simcordPreview && window.simcordPreview.ready", polling=200
        )
        composer = page.locator("#channel-composer-input")
        await composer.click()
        await composer.type(command, delay=30)
        await page.wait_for_timeout(400)
        await page.keyboard.press("Enter")
        for option in options:
            _, value = option.split("=", 1)
            await page.wait_for_timeout(300)
            await page.keyboard.type(value, delay=30)
            await page.wait_for_timeout(300)
            await page.keyboard.press("Tab")
        await page.wait_for_timeout(300)
        await page.locator("#send-message").click()
        await page.wait_for_timeout(1500)
        await page.screenshot(path=out, full_page=False)
        await browser.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]))
