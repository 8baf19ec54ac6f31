"""The outbox: everything Pacer posts or changes on Discord on its own, exactly once.

Layout (each module one job; adding a kind means :mod:`kinds` and :mod:`render`):

- :mod:`kinds`: the one declaration of delivery kinds, their typed payloads, statuses and rules
  (pure: no discord, no database, no clock).
- :mod:`views`: the small view models rendering reads (pure).
- :mod:`render`: view model -> :class:`~bot.outbox.render.Post` (text, embed, who may be pinged).
- :mod:`service`: planning, claiming and recording rows (database, no discord).
- :mod:`poster`: the narrow interface the publisher posts through, and its errors.
- :mod:`discord_poster`: that interface over discord.py.
- :mod:`publisher`: posts what is due, resolves unknown outcomes, retries with back-off.
- :mod:`events`: keeps each session's Discord scheduled event in step (``discord_event`` rows).
- :mod:`threads`: opens and archives each session's thread (``thread`` rows).
- :mod:`editor`: the coalescing announcement editor.
- :mod:`scheduler`: APScheduler 3, contained.

Nothing is imported here, so importing one piece never pulls in the rest.
"""
