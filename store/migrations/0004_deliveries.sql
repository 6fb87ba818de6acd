-- Delivery: an outbox of posts. A row is planned once (its key is unique:
-- the same alert and story, the same digest day, never twice), then sent
-- by the bot, retried with backoff on transient errors and marked failed
-- on permanent ones. A send is leased before it is attempted, so a crash
-- between posting and marking leaves a row that is retried with the same
-- nonce, which Discord deduplicates.

CREATE TABLE deliveries (
	id         INTEGER PRIMARY KEY,
	key        TEXT    NOT NULL UNIQUE,
	kind       TEXT    NOT NULL CHECK (kind IN ('story', 'follow', 'pulse', 'digest', 'notice')),
	guild_id   TEXT    NOT NULL DEFAULT '',
	channel_id TEXT    NOT NULL DEFAULT '', -- '' for a DM (user_id)
	user_id    TEXT    NOT NULL DEFAULT '',
	alert_id   INTEGER NOT NULL DEFAULT 0,
	follow_id  INTEGER NOT NULL DEFAULT 0,
	story_id   INTEGER NOT NULL DEFAULT 0,
	day        TEXT    NOT NULL DEFAULT '', -- pulse alerts: the UTC day; digests: the local day
	score      REAL    NOT NULL DEFAULT 0,  -- pulse alerts: the score that crossed
	body       TEXT    NOT NULL DEFAULT '', -- notices: the text
	state      TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
	attempts   INTEGER NOT NULL DEFAULT 0,
	next_at    INTEGER NOT NULL,            -- due at (unix s); a lease while a send is in flight
	last_error TEXT    NOT NULL DEFAULT '',
	message_id TEXT    NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	done_at    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX deliveries_due ON deliveries (next_at) WHERE state = 'pending';
CREATE INDEX deliveries_done ON deliveries (done_at) WHERE state != 'pending';
CREATE INDEX deliveries_story ON deliveries (story_id) WHERE story_id != 0;

-- The side of its levels each pulse alert last saw, so it fires when the
-- pulse crosses a level, not on every run while it stays beyond it.
CREATE TABLE pulse_alert_sides (
	alert_id   INTEGER PRIMARY KEY,
	side       TEXT    NOT NULL CHECK (side IN ('above', 'below', 'between')),
	updated_at INTEGER NOT NULL
);
