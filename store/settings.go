package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Settings people make through the bot: server alerts (story and pulse
// alerts share the alerts table and so one id space), personal follows and
// one digest per server. The bot validates what people type and explains
// mistakes; the checks here only keep rows that no later reader (the
// delivery job) could make sense of out of the table.

// Caps on settings, so one server or person cannot grow the matching work
// without bound.
const (
	MaxAlertsPerGuild = 50
	MaxFollowsPerUser = 20
	MaxKeywordRunes   = 100
)

// More sentinel errors for settings, checked with errors.Is.
var (
	// ErrInvalid: the setting breaks a rule of its table (a bug in the
	// caller: the bot validates first).
	ErrInvalid = errors.New("store: invalid setting")
	// ErrLimit: the server or person already has the maximum.
	ErrLimit = errors.New("store: limit reached")
)

// Alert kinds.
const (
	AlertStory = "story" // a story matches keyword / coin / topic / outlet count
	AlertPulse = "pulse" // the pulse crosses a level
)

// Alert is a server alert. A story alert matches on any combination of
// Keyword, Coin, Topic and MinOutlets (all given must hold); a pulse alert
// fires when the pulse of Coin (or the global pulse when Coin is "") rises
// above Above or falls below Below.
type Alert struct {
	ID             int64
	GuildID        string
	ChannelID      string
	Kind           string
	Keyword        string
	Coin           string // ticker, upper case
	Topic          string
	MinOutlets     int      // 0: any
	Above, Below   *float64 // pulse alerts; nil: not set
	CreatedBy      string
	CreatedAt      time.Time
	DisabledReason string // non-empty once delivery gave up on it
	DisabledAt     time.Time
}

// Follow is a personal alert, delivered by DM.
type Follow struct {
	ID             int64
	UserID         string
	Keyword        string
	Coin           string
	CreatedAt      time.Time
	DisabledReason string
	DisabledAt     time.Time
}

// Digest is a server's daily digest.
type Digest struct {
	GuildID        string
	ChannelID      string
	Time           string // 'HH:MM', 24-hour, in Timezone
	Timezone       string // IANA name
	RoleID         string // "" : mention nobody
	Silent         bool   // post without a notification
	CreatedBy      string
	UpdatedAt      time.Time
	DisabledReason string
	DisabledAt     time.Time
}

func (a Alert) check() error {
	var problems []string
	if a.GuildID == "" || a.ChannelID == "" || a.CreatedBy == "" {
		problems = append(problems, "guild, channel and creator are required")
	}
	if utf8.RuneCountInString(a.Keyword) > MaxKeywordRunes {
		problems = append(problems, "keyword too long")
	}
	switch a.Kind {
	case AlertStory:
		if a.Keyword == "" && a.Coin == "" && a.Topic == "" && a.MinOutlets == 0 {
			problems = append(problems, "a story alert needs a filter")
		}
		if a.MinOutlets != 0 && a.MinOutlets < 2 {
			problems = append(problems, "min_outlets must be 0 or at least 2")
		}
		if a.Above != nil || a.Below != nil {
			problems = append(problems, "a story alert has no levels")
		}
	case AlertPulse:
		if a.Above == nil && a.Below == nil {
			problems = append(problems, "a pulse alert needs a level")
		}
		for _, l := range []*float64{a.Above, a.Below} {
			if l != nil && !(*l >= 0 && *l <= 10) {
				problems = append(problems, "levels are 0–10")
			}
		}
		if a.Above != nil && a.Below != nil && *a.Below >= *a.Above {
			problems = append(problems, "below must be lower than above")
		}
		if a.Keyword != "" || a.Topic != "" || a.MinOutlets != 0 {
			problems = append(problems, "a pulse alert has no story filters")
		}
	default:
		problems = append(problems, fmt.Sprintf("unknown kind %q", a.Kind))
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalid, strings.Join(problems, "; "))
	}
	return nil
}

const alertColumns = `id, guild_id, channel_id, kind, keyword, coin, topic, min_outlets, above, below,
	created_by, created_at, disabled_reason, disabled_at`

func scanAlert(sc interface{ Scan(...any) error }) (Alert, error) {
	var (
		a                 Alert
		above, below      sql.NullFloat64
		created, disabled int64
	)
	err := sc.Scan(&a.ID, &a.GuildID, &a.ChannelID, &a.Kind, &a.Keyword, &a.Coin, &a.Topic, &a.MinOutlets,
		&above, &below, &a.CreatedBy, &created, &a.DisabledReason, &disabled)
	if above.Valid {
		a.Above = &above.Float64
	}
	if below.Valid {
		a.Below = &below.Float64
	}
	a.CreatedAt, a.DisabledAt = fromUnix(created), fromUnix(disabled)
	return a, err
}

func nullFloat(f *float64) sql.NullFloat64 {
	if f == nil {
		return sql.NullFloat64{}
	}
	return sql.NullFloat64{Float64: *f, Valid: true}
}

// CreateAlert saves a new alert and returns it with its id. It fails with
// ErrLimit when the server already has MaxAlertsPerGuild alerts, and with
// ErrInvalid for an alert no delivery could use.
func (s *Store) CreateAlert(ctx context.Context, a Alert) (Alert, error) {
	if err := a.check(); err != nil {
		return Alert{}, fmt.Errorf("store: create alert: %w", err)
	}
	a.CreatedAt = time.Unix(s.Now().Unix(), 0).UTC()
	a.DisabledReason, a.DisabledAt = "", time.Time{}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM alerts WHERE guild_id = ?`, a.GuildID).Scan(&n); err != nil {
			return err
		}
		if n >= MaxAlertsPerGuild {
			return fmt.Errorf("%w: %d alerts in this server", ErrLimit, n)
		}
		r, err := tx.ExecContext(ctx, `
			INSERT INTO alerts (guild_id, channel_id, kind, keyword, coin, topic, min_outlets, above, below, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			a.GuildID, a.ChannelID, a.Kind, a.Keyword, a.Coin, a.Topic, a.MinOutlets,
			nullFloat(a.Above), nullFloat(a.Below), a.CreatedBy, unix(a.CreatedAt))
		if err != nil {
			return err
		}
		a.ID, err = r.LastInsertId()
		return err
	})
	if err != nil {
		return Alert{}, fmt.Errorf("store: create alert in guild %s: %w", a.GuildID, err)
	}
	return a, nil
}

// Alerts lists a server's alerts, oldest first.
func (s *Store) Alerts(ctx context.Context, guildID string) ([]Alert, error) {
	return collect(ctx, s, "alerts of guild "+guildID, scanAlert, `SELECT `+alertColumns+` FROM alerts WHERE guild_id = ? ORDER BY id`, guildID)
}

// Alert returns one of a server's alerts; an alert of another server is
// ErrNotFound, exactly as a missing one.
func (s *Store) Alert(ctx context.Context, id int64, guildID string) (Alert, error) {
	a, err := scanAlert(s.db.QueryRowContext(ctx, `SELECT `+alertColumns+` FROM alerts WHERE id = ? AND guild_id = ?`, id, guildID))
	if errors.Is(err, sql.ErrNoRows) {
		return Alert{}, fmt.Errorf("store: alert %d in guild %s: %w", id, guildID, ErrNotFound)
	}
	if err != nil {
		return Alert{}, fmt.Errorf("store: alert %d in guild %s: %w", id, guildID, err)
	}
	return a, nil
}

// RemoveAlert deletes one of a server's alerts, with its deliveries not
// yet posted, and returns what it was. An alert of another server is
// ErrNotFound and stays.
func (s *Store) RemoveAlert(ctx context.Context, id int64, guildID string) (Alert, error) {
	a, err := removeSetting(ctx, s, scanAlert, `DELETE FROM alerts WHERE id = ? AND guild_id = ? RETURNING `+alertColumns, []any{id, guildID},
		cleanup{`DELETE FROM deliveries WHERE state = 'pending' AND alert_id = ?`, id},
		cleanup{`DELETE FROM pulse_alert_sides WHERE alert_id = ?`, id})
	if errors.Is(err, sql.ErrNoRows) {
		return Alert{}, fmt.Errorf("store: remove alert %d in guild %s: %w", id, guildID, ErrNotFound)
	}
	if err != nil {
		return Alert{}, fmt.Errorf("store: remove alert %d in guild %s: %w", id, guildID, err)
	}
	return a, nil
}

// DisableAlert records why delivery gave up on an alert (shown by /status).
func (s *Store) DisableAlert(ctx context.Context, id int64, reason string) error {
	return s.disable(ctx, "alert", `UPDATE alerts SET disabled_reason = ?, disabled_at = ? WHERE id = ?`, id, reason)
}

func (s *Store) disable(ctx context.Context, what, query string, key any, reason string) error {
	if reason == "" {
		return fmt.Errorf("store: disable %s %v: %w: a reason is required", what, key, ErrInvalid)
	}
	r, err := s.db.ExecContext(ctx, query, reason, unix(s.Now()), key)
	if err != nil {
		return fmt.Errorf("store: disable %s %v: %w", what, key, err)
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return fmt.Errorf("store: disable %s %v: %w", what, key, ErrNotFound)
	}
	return nil
}

const followColumns = `id, user_id, keyword, coin, created_at, disabled_reason, disabled_at`

func scanFollow(sc interface{ Scan(...any) error }) (Follow, error) {
	var (
		f                 Follow
		created, disabled int64
	)
	err := sc.Scan(&f.ID, &f.UserID, &f.Keyword, &f.Coin, &created, &f.DisabledReason, &disabled)
	f.CreatedAt, f.DisabledAt = fromUnix(created), fromUnix(disabled)
	return f, err
}

// CreateFollow saves a personal follow. It fails with ErrLimit when the
// person already has MaxFollowsPerUser follows.
func (s *Store) CreateFollow(ctx context.Context, f Follow) (Follow, error) {
	switch {
	case f.UserID == "":
		return Follow{}, fmt.Errorf("store: create follow: %w: user is required", ErrInvalid)
	case f.Keyword == "" && f.Coin == "":
		return Follow{}, fmt.Errorf("store: create follow: %w: a keyword or coin is required", ErrInvalid)
	case utf8.RuneCountInString(f.Keyword) > MaxKeywordRunes:
		return Follow{}, fmt.Errorf("store: create follow: %w: keyword too long", ErrInvalid)
	}
	f.CreatedAt = time.Unix(s.Now().Unix(), 0).UTC()
	f.DisabledReason, f.DisabledAt = "", time.Time{}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM follows WHERE user_id = ?`, f.UserID).Scan(&n); err != nil {
			return err
		}
		if n >= MaxFollowsPerUser {
			return fmt.Errorf("%w: %d follows", ErrLimit, n)
		}
		r, err := tx.ExecContext(ctx, `INSERT INTO follows (user_id, keyword, coin, created_at) VALUES (?, ?, ?, ?)`,
			f.UserID, f.Keyword, f.Coin, unix(f.CreatedAt))
		if err != nil {
			return err
		}
		f.ID, err = r.LastInsertId()
		return err
	})
	if err != nil {
		return Follow{}, fmt.Errorf("store: create follow of user %s: %w", f.UserID, err)
	}
	return f, nil
}

// Follows lists a person's follows, oldest first.
func (s *Store) Follows(ctx context.Context, userID string) ([]Follow, error) {
	return collect(ctx, s, "follows of user "+userID, scanFollow, `SELECT `+followColumns+` FROM follows WHERE user_id = ? ORDER BY id`, userID)
}

// RemoveFollow deletes one of a person's follows, with its DMs not yet
// sent, and returns what it was; someone else's follow is ErrNotFound and
// stays.
func (s *Store) RemoveFollow(ctx context.Context, id int64, userID string) (Follow, error) {
	f, err := removeSetting(ctx, s, scanFollow, `DELETE FROM follows WHERE id = ? AND user_id = ? RETURNING `+followColumns, []any{id, userID},
		cleanup{`DELETE FROM deliveries WHERE state = 'pending' AND follow_id = ?`, id})
	if errors.Is(err, sql.ErrNoRows) {
		return Follow{}, fmt.Errorf("store: remove follow %d of user %s: %w", id, userID, ErrNotFound)
	}
	if err != nil {
		return Follow{}, fmt.Errorf("store: remove follow %d of user %s: %w", id, userID, err)
	}
	return f, nil
}

// DisableFollow records why delivery gave up on a follow (DMs closed).
func (s *Store) DisableFollow(ctx context.Context, id int64, reason string) error {
	return s.disable(ctx, "follow", `UPDATE follows SET disabled_reason = ?, disabled_at = ? WHERE id = ?`, id, reason)
}

const digestColumns = `guild_id, channel_id, time, timezone, role_id, silent, created_by, updated_at, disabled_reason, disabled_at`

func scanDigest(sc interface{ Scan(...any) error }) (Digest, error) {
	var (
		d                 Digest
		silent            int
		updated, disabled int64
	)
	err := sc.Scan(&d.GuildID, &d.ChannelID, &d.Time, &d.Timezone, &d.RoleID, &silent, &d.CreatedBy, &updated, &d.DisabledReason, &disabled)
	d.Silent, d.UpdatedAt, d.DisabledAt = silent == 1, fromUnix(updated), fromUnix(disabled)
	return d, err
}

// SetDigest creates or replaces a server's digest; replacing it clears a
// disabled state (the admin has just chosen a channel that works).
func (s *Store) SetDigest(ctx context.Context, d Digest) (Digest, error) {
	if d.GuildID == "" || d.ChannelID == "" || d.CreatedBy == "" || d.Timezone == "" || !validHHMM(d.Time) {
		return Digest{}, fmt.Errorf("store: set digest of guild %s: %w: guild, channel, creator, HH:MM time and time zone are required", d.GuildID, ErrInvalid)
	}
	d.UpdatedAt = time.Unix(s.Now().Unix(), 0).UTC()
	d.DisabledReason, d.DisabledAt = "", time.Time{}
	_, err := s.db.ExecContext(ctx, `
		INSERT INTO digests (guild_id, channel_id, time, timezone, role_id, silent, created_by, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id, time = excluded.time,
			timezone = excluded.timezone, role_id = excluded.role_id, silent = excluded.silent,
			created_by = excluded.created_by, updated_at = excluded.updated_at,
			disabled_reason = '', disabled_at = 0`,
		d.GuildID, d.ChannelID, d.Time, d.Timezone, d.RoleID, boolInt(d.Silent), d.CreatedBy, unix(d.UpdatedAt))
	if err != nil {
		return Digest{}, fmt.Errorf("store: set digest of guild %s: %w", d.GuildID, err)
	}
	return d, nil
}

// Digest returns a server's digest, or ErrNotFound.
func (s *Store) Digest(ctx context.Context, guildID string) (Digest, error) {
	d, err := scanDigest(s.db.QueryRowContext(ctx, `SELECT `+digestColumns+` FROM digests WHERE guild_id = ?`, guildID))
	if errors.Is(err, sql.ErrNoRows) {
		return Digest{}, fmt.Errorf("store: digest of guild %s: %w", guildID, ErrNotFound)
	}
	if err != nil {
		return Digest{}, fmt.Errorf("store: digest of guild %s: %w", guildID, err)
	}
	return d, nil
}

// RemoveDigest turns a server's digest off (a digest planned and not yet
// posted is dropped) and returns what it was, or ErrNotFound when there
// was none.
func (s *Store) RemoveDigest(ctx context.Context, guildID string) (Digest, error) {
	d, err := removeSetting(ctx, s, scanDigest, `DELETE FROM digests WHERE guild_id = ? RETURNING `+digestColumns, []any{guildID},
		cleanup{`DELETE FROM deliveries WHERE state = 'pending' AND kind = 'digest' AND guild_id = ?`, guildID})
	if errors.Is(err, sql.ErrNoRows) {
		return Digest{}, fmt.Errorf("store: remove digest of guild %s: %w", guildID, ErrNotFound)
	}
	if err != nil {
		return Digest{}, fmt.Errorf("store: remove digest of guild %s: %w", guildID, err)
	}
	return d, nil
}

// DisableDigest records why delivery gave up on a server's digest.
func (s *Store) DisableDigest(ctx context.Context, guildID, reason string) error {
	return s.disable(ctx, "digest", `UPDATE digests SET disabled_reason = ?, disabled_at = ? WHERE guild_id = ?`, guildID, reason)
}

// cleanup is a statement that removes what belonged to a removed setting.
type cleanup struct {
	query string
	arg   any
}

// removeSetting deletes a setting (q is a DELETE … RETURNING its columns)
// and what belonged to it, above all the deliveries planned for it and not
// yet posted, in one transaction: nothing goes out for a setting its owner
// has just turned off.
func removeSetting[T any](ctx context.Context, s *Store, scan func(interface{ Scan(...any) error }) (T, error),
	q string, args []any, cleanups ...cleanup) (T, error) {
	var v T
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if v, err = scan(tx.QueryRowContext(ctx, q, args...)); err != nil {
			return err
		}
		for _, c := range cleanups {
			if _, err := tx.ExecContext(ctx, c.query, c.arg); err != nil {
				return err
			}
		}
		return nil
	})
	return v, err
}

// validHHMM accepts exactly 'HH:MM' with 00 ≤ HH ≤ 23 and 00 ≤ MM ≤ 59.
func validHHMM(s string) bool {
	if len(s) != 5 || s[2] != ':' {
		return false
	}
	for _, i := range []int{0, 1, 3, 4} {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s[:2] <= "23" && s[3] <= '5'
}
