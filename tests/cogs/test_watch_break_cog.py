"""Send to watch for sessions the first tests did not make: an evening session whose UTC instant
is already the next day, titled in emoji and accents, and a yards workout for a miles runner.
Real bot, simulated Discord, real SQLite; files decoded with Garmin's FIT SDK."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.cogs.test_session_changes import advance_to, announcement
from tests.conftest import Club, set_channel
from tests.services.test_watch import decode, run

#: 20:45 in New York (the club's zone) on 13 January is 01:45 UTC on the 14th.
EVENING = datetime(2026, 1, 14, 1, 45, tzinfo=UTC)


async def test_an_evening_session_in_any_script_gets_its_local_date_and_whole_name(
    club: Club,
) -> None:
    await set_channel(club)
    await club.organizer.slash(
        club.channel,
        "session create",
        title="🏃‍♀️ Séance de côtes du mardi soir au parc",
        date="2026-01-13",
        time="20:45",
        location="Parc",
        workout="2 mi WU + 8 x 440 yd @ mile w/ 220 yd jog + 15 min CD",
    )
    await advance_to(club, EVENING - timedelta(days=6))
    await club.alice.slash(club.channel, "profile set", race="mile", time="6:30")
    await club.alice.slash(club.channel, "profile units", units="mi")

    result = await club.alice.click(announcement(club, 1), label="Send to watch")
    assert result.ephemeral
    [attachment] = result.response.attachments
    # The session's own day in New York, not the UTC day its start falls on.
    assert attachment.filename == "pacer-seance-de-cotes-du-ma-2026-01-13.fit"
    messages = decode(await attachment.read())
    [workout] = messages["workout_mesgs"]
    name = str(workout["wkt_name"])
    assert name == "🏃‍♀️ Séance de côtes du ma 2026-01-13"
    assert len(name.encode()) <= 48
    ran = run(messages["workout_step_mesgs"])
    assert [s["intensity"] for s in ran] == ["warmup"] + ["active", "recovery"] * 7 + [
        "active",
        "cooldown",
    ]
    reps = [s for s in ran if s["intensity"] == "active"]
    assert {s["duration_distance"] for s in reps} == {round(440 * 0.9144 * 100)}
    assert all("/mi" in str(s["notes"]) for s in reps)
    assert club.env.errors == []
