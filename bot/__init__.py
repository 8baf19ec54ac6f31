"""Pacer: a Discord bot for running clubs."""

from bot.app import PacerBot, create_bot

__all__ = ["PacerBot", "create_bot"]
