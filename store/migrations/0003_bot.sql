-- Discord settings: server alerts (story and pulse share one id space),
-- personal follows, one digest per server, and small facts the bot keeps
-- (the hash of the registered command set).

CREATE TABLE meta (
	key        TEXT PRIMARY KEY,
	value      TEXT    NOT NULL,
	updated_at INTEGER NOT NULL
);

CREATE TABLE alerts (
	id              INTEGER PRIMARY KEY,
	guild_id        TEXT    NOT NULL,
	channel_id      TEXT    NOT NULL,
	kind            TEXT    NOT NULL CHECK (kind IN ('story', 'pulse')),
	keyword         TEXT    NOT NULL DEFAULT '',
	coin            TEXT    NOT NULL DEFAULT '',
	topic           TEXT    NOT NULL DEFAULT '',
	min_outlets     INTEGER NOT NULL DEFAULT 0,
	above           REAL,              -- pulse alerts: fire when the score rises above
	below           REAL,              -- pulse alerts: fire when the score falls below
	created_by      TEXT    NOT NULL,
	created_at      INTEGER NOT NULL,
	disabled_reason TEXT    NOT NULL DEFAULT '', -- set when delivery keeps failing (e.g. missing access)
	disabled_at     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX alerts_guild ON alerts (guild_id, id);

CREATE TABLE follows (
	id              INTEGER PRIMARY KEY,
	user_id         TEXT    NOT NULL,
	keyword         TEXT    NOT NULL DEFAULT '',
	coin            TEXT    NOT NULL DEFAULT '',
	created_at      INTEGER NOT NULL,
	disabled_reason TEXT    NOT NULL DEFAULT '',
	disabled_at     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX follows_user ON follows (user_id, id);

CREATE TABLE digests (
	guild_id        TEXT PRIMARY KEY,
	channel_id      TEXT    NOT NULL,
	time            TEXT    NOT NULL, -- 'HH:MM' in timezone
	timezone        TEXT    NOT NULL, -- IANA name
	role_id         TEXT    NOT NULL DEFAULT '',
	silent          INTEGER NOT NULL DEFAULT 0,
	created_by      TEXT    NOT NULL,
	updated_at      INTEGER NOT NULL,
	disabled_reason TEXT    NOT NULL DEFAULT '',
	disabled_at     INTEGER NOT NULL DEFAULT 0
);
