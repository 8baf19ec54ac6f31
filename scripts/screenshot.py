"""Drive a running sandbox page and save a screenshot (for the README; not part of the bot).

Usage:
  python scripts/screenshot.py URL OUT.png [--as VIEWER] [--command "/pace zones" race=5K ...]
                               [--click LABEL] [--wait SECONDS]
Steps run in the order given. Required options first, in order; an optional one is written
+name=value (picked from the "+N more" button).
Needs `pip install playwright` and Debian's chromium.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
from typing import Any

from playwright.async_api import async_playwright


async def run_command(page: Any, command: str, options: list[str]) -> None:
    composer = page.locator("#channel-composer-input")
    await composer.click()
    await composer.type(command, delay=30)
    await page.wait_for_timeout(400)
    await page.keyboard.press("Enter")
    for option in options:
        name, value = option.split("=", 1)
        await page.wait_for_timeout(300)
        if name.startswith("+"):  # optional: behind the "+N more" button after the command
            await page.locator("button.command-ghost").first.click()
            await page.wait_for_timeout(300)
            await page.get_by_text(name[1:], exact=True).last.click()
            await page.wait_for_timeout(300)
        await page.keyboard.type(value, delay=30)
        await page.wait_for_timeout(300)
        await page.keyboard.press("Tab")
    await page.wait_for_timeout(300)
    await page.locator("#send-message").click()
    await page.wait_for_timeout(1500)


async def main(url: str, out: str, steps: list[str]) -> None:
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
        index = 0
        while index < len(steps):
            step = steps[index]
            if step == "--as":
                await page.locator("select").first.select_option(label=steps[index + 1])
                await page.wait_for_timeout(800)
                index += 2
            elif step == "--click":
                await page.get_by_role("button", name=steps[index + 1]).last.click()
                await page.wait_for_timeout(1200)
                index += 2
            elif step == "--wait":
                await page.wait_for_timeout(float(steps[index + 1]) * 1000)
                index += 2
            elif step == "--command":
                options = []
                command = steps[index + 1]
                index += 2
                while index < len(steps) and not steps[index].startswith("--"):
                    options.append(steps[index])
                    index += 1
                await run_command(page, command, options)
            else:
                raise SystemExit(f"unknown step {step!r}")
        await page.screenshot(path=out, full_page=False)
        await browser.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
