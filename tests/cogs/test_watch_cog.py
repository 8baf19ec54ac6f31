"""Workouts on the watch: ``/pace workout ... file:True`` and the announcement's "Send to watch"
button give the runner a FIT workout file with their own paces, privately: real bot, simulated
Discord, real SQLite, files decoded with Garmin's FIT SDK."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.domain.pace import training_paces
from bot.settings import Settings
from tests.cogs.test_session_changes import FIRST, advance_to, announcement, create
from tests.conftest import Club, embed_text, only_user_errors, restart
from tests.services.test_watch import decode, run


async def _attachment_steps(result: object) -> tuple[str, dict[str, list[dict[str, object]]]]:
    [attachment] = result.response.attachments  # type: ignore[attr-defined]
    return attachment.filename, decode(await attachment.read())


def _interval_speed_high(vdot: float) -> int:
    """The fast end of an I-pace band, in FIT units (m/s * 1000)."""
    return round(1_000_000 / (training_paces(vdot).interval_s_per_km - 5.0))


async def _vdot(club: Club, user_id: int) -> float:
    [row] = await club.bot.db.fetch_all("SELECT vdot FROM profiles WHERE user_id = ?", (user_id,))
    return float(row[0])


async def test_pace_workout_file_sends_the_plan_and_a_fit_file(club: Club) -> None:
    # The club's day (its zone is New York), not UTC's: the clock starts in its evening.
    today = club.env.now().astimezone(ZoneInfo("America/New_York")).date().isoformat()
    assert today != club.env.now().date().isoformat()
    result = await club.alice.slash(
        club.channel,
        "pace workout",
        workout="2 mi WU + 6x800 @ I w/ 400 jog + 2 mi CD",
        race="5K",
        time="22:30",
        file=True,
    )
    assert result.ephemeral
    assert "**3:31** each" in embed_text(result.response.embeds[0])
    assert "NewFiles" in result.response.content
    filename, messages = await _attachment_steps(result)
    assert filename.startswith("pacer-2-mi-wu-6x800-i-w-400-jog")
    assert filename.endswith(f"-{today}.fit")  # named after the workout and the club's today
    [workout] = messages["workout_mesgs"]
    assert str(workout["wkt_name"]).startswith("2 mi WU + 6x800 @ I")
    assert str(workout["wkt_name"]).endswith(f" {today}")
    ran = run(messages["workout_step_mesgs"])
    assert [s["intensity"] for s in ran] == ["warmup"] + ["active", "recovery"] * 5 + [
        "active",
        "cooldown",
    ]
    assert club.env.errors == []

    plain = await club.alice.slash(
        club.channel, "pace workout", workout="6x800 @ I w/ 400 jog", race="5K", time="22:30"
    )
    assert not plain.response.attachments


async def test_pace_workout_file_refuses_bad_input_privately(club: Club) -> None:
    result = await club.alice.slash(
        club.channel, "pace workout", workout="6x800 @ I w/ 400 jog", file=True
    )
    assert result.ephemeral
    assert not result.response.attachments
    assert "/profile set" in result.response.content
    unread = await club.alice.slash(
        club.channel,
        "pace workout",
        workout="six eight hundreds",
        race="5K",
        time="22:30",
        file=True,
    )
    assert unread.ephemeral
    assert not unread.response.attachments
    assert unread.response.content.startswith("workout:")
    only_user_errors(club, count=2)


async def test_send_to_watch_gives_each_runner_their_own_file(
    club: Club, settings: Settings
) -> None:
    await create(club, weeks=1, workout="6x800 @ I w/ 400 jog")
    await advance_to(club, FIRST - timedelta(days=6))
    await club.alice.slash(club.channel, "profile set", race="5K", time="19:57")
    await club.ben.slash(club.channel, "profile set", race="5K", time="25:00")

    mine = await club.alice.click(announcement(club, 1), label="Send to watch")
    assert mine.ephemeral
    filename, messages = await _attachment_steps(mine)
    assert filename == "pacer-speed-session-2026-01-13.fit"  # the session's local date
    assert messages["workout_mesgs"][0]["wkt_name"] == "Speed session 2026-01-13"
    alice_reps = [s for s in run(messages["workout_step_mesgs"]) if s["intensity"] == "active"]
    assert len(alice_reps) == 6
    alice_vdot = await _vdot(club, club.alice.id)
    assert {s["custom_target_speed_high"] for s in alice_reps} == {_interval_speed_high(alice_vdot)}

    theirs = await club.ben.click(announcement(club, 1), label="Send to watch")
    assert theirs.ephemeral
    _, ben_messages = await _attachment_steps(theirs)
    ben_reps = [s for s in run(ben_messages["workout_step_mesgs"]) if s["intensity"] == "active"]
    ben_vdot = await _vdot(club, club.ben.id)
    assert {s["custom_target_speed_high"] for s in ben_reps} == {_interval_speed_high(ben_vdot)}
    assert ben_reps[0]["custom_target_speed_high"] < alice_reps[0]["custom_target_speed_high"]

    # Nothing a file click does is stored: no answer was recorded for either runner.
    assert await club.bot.db.fetch_all("SELECT * FROM rsvps") == []

    await restart(club, settings)  # the button on the old announcement keeps working
    again = await club.alice.click(announcement(club, 1), label="Send to watch")
    _, again_messages = await _attachment_steps(again)
    assert again_messages["workout_step_mesgs"] == messages["workout_step_mesgs"]
    assert club.env.errors == []


async def test_send_to_watch_without_a_profile_says_how_privately(club: Club) -> None:
    await create(club, weeks=1, workout="6x800 @ I w/ 400 jog")
    await advance_to(club, FIRST - timedelta(days=6))
    carol = club.guild.add_member(club.env.create_user("carol"))
    result = await carol.click(announcement(club, 1), label="Send to watch")
    assert result.ephemeral
    assert not result.response.attachments
    assert "/profile set" in result.response.content
    assert "click Send to watch again" in result.response.content
    only_user_errors(club)


async def test_send_to_watch_on_a_free_text_workout_says_why(club: Club) -> None:
    await create(club, weeks=1, workout="whatever the coach feels like")
    await advance_to(club, FIRST - timedelta(days=6))
    await club.alice.slash(club.channel, "profile set", race="5K", time="22:30")
    result = await club.alice.click(announcement(club, 1), label="Send to watch")
    assert result.ephemeral
    assert not result.response.attachments
    assert "free text" in result.response.content
    only_user_errors(club)
