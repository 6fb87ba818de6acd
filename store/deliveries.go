package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Delivery kinds: what a planned post is.
const (
	DeliverStory  = "story"  // a story alert, to a server channel
	DeliverFollow = "follow" // a personal alert, by DM
	DeliverPulse  = "pulse"  // a pulse alert, to a server channel
	DeliverDigest = "digest" // a server's daily digest
	DeliverNotice = "notice" // a message to a person about a delivery that stopped, by DM
)

// Delivery states.
const (
	DeliveryPending = "pending"
	DeliverySent    = "sent"
	DeliveryFailed  = "failed"
)

// Delivery is one planned post. Key makes it once: planning the same key
// again adds nothing, whatever state the first one is in.
type Delivery struct {
	ID        int64
	Key       string
	Kind      string
	GuildID   string
	ChannelID string // the channel; "" for a DM to UserID
	UserID    string
	AlertID   int64
	FollowID  int64
	StoryID   int64
	Day       string  // pulse alerts: the UTC day; digests: the server's local day
	Score     float64 // pulse alerts: the score that crossed the level
	Body      string  // notices: the text
	State     string
	Attempts  int
	NextAt    time.Time // when it is due (while a send is in flight: when its lease ends)
	LastError string
	MessageID string
	CreatedAt time.Time
	DoneAt    time.Time
}

const deliveryColumns = `id, key, kind, guild_id, channel_id, user_id, alert_id, follow_id, story_id, day, score, body,
	state, attempts, next_at, last_error, message_id, created_at, done_at`

func scanDelivery(sc interface{ Scan(...any) error }) (Delivery, error) {
	var (
		d                   Delivery
		next, created, done int64
	)
	err := sc.Scan(&d.ID, &d.Key, &d.Kind, &d.GuildID, &d.ChannelID, &d.UserID, &d.AlertID, &d.FollowID, &d.StoryID,
		&d.Day, &d.Score, &d.Body, &d.State, &d.Attempts, &next, &d.LastError, &d.MessageID, &created, &done)
	d.NextAt, d.CreatedAt, d.DoneAt = fromUnix(next), fromUnix(created), fromUnix(done)
	return d, err
}

// Enqueue plans deliveries, due now, and returns how many were new: a key
// planned before (sent, failed or still pending, as long as it is kept:
// see PruneDeliveries) is skipped.
func (s *Store) Enqueue(ctx context.Context, ds ...Delivery) (int, error) {
	if len(ds) == 0 {
		return 0, nil
	}
	now := unix(s.Now())
	added := 0
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		added = 0
		stmt, err := tx.PrepareContext(ctx, `
			INSERT INTO deliveries (key, kind, guild_id, channel_id, user_id, alert_id, follow_id, story_id, day, score, body, next_at, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (key) DO NOTHING`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, d := range ds {
			if d.Key == "" || d.ChannelID == "" && d.UserID == "" {
				return fmt.Errorf("%w: delivery %q needs a key and a channel or user", ErrInvalid, d.Key)
			}
			r, err := stmt.ExecContext(ctx, d.Key, d.Kind, d.GuildID, d.ChannelID, d.UserID, d.AlertID, d.FollowID, d.StoryID,
				d.Day, d.Score, d.Body, now, now)
			if err != nil {
				return fmt.Errorf("%s: %w", d.Key, err)
			}
			n, _ := r.RowsAffected()
			added += int(n)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: enqueue deliveries: %w", err)
	}
	return added, nil
}

// RecentDeliveries returns up to limit deliveries in state (all states
// when state is ""), the most recently planned first.
func (s *Store) RecentDeliveries(ctx context.Context, state string, limit int) ([]Delivery, error) {
	return collect(ctx, s, "recent deliveries", scanDelivery,
		`SELECT `+deliveryColumns+` FROM deliveries WHERE ? IN ('', state) ORDER BY id DESC LIMIT ?`, state, limit)
}

// PlannedForStories returns the keys of the deliveries already planned
// about any of the stories, so a planner can skip what it planned before
// without asking the database to refuse each duplicate.
func (s *Store) PlannedForStories(ctx context.Context, storyIDs []int64) (map[string]bool, error) {
	keys := map[string]bool{}
	if len(storyIDs) == 0 {
		return keys, nil
	}
	ids, err := json.Marshal(storyIDs)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT key FROM deliveries WHERE story_id IN (SELECT value FROM json_each(?))`, string(ids))
	if err != nil {
		return nil, fmt.Errorf("store: planned deliveries: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, fmt.Errorf("store: planned deliveries: %w", err)
		}
		keys[k] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: planned deliveries: %w", err)
	}
	return keys, nil
}

// DueDeliveries returns up to limit pending deliveries due at the store's
// now: retries first, then the oldest. A retry may be of a post Discord
// accepted just before a crash; sending it before anything new keeps that
// post near the top of its channel, where the retry looks for it.
func (s *Store) DueDeliveries(ctx context.Context, limit int) ([]Delivery, error) {
	return collect(ctx, s, "due deliveries", scanDelivery,
		`SELECT `+deliveryColumns+` FROM deliveries WHERE state = 'pending' AND next_at <= ? ORDER BY attempts = 0, next_at, id LIMIT ?`,
		unix(s.Now()), limit)
}

// Deliveries returns every delivery whose key starts with prefix, in the
// order they were planned ("" for all).
func (s *Store) Deliveries(ctx context.Context, prefix string) ([]Delivery, error) {
	return collect(ctx, s, "list deliveries", scanDelivery,
		`SELECT `+deliveryColumns+` FROM deliveries WHERE substr(key, 1, ?) = ? ORDER BY id`, len(prefix), prefix)
}

// LeaseDelivery takes a due delivery for one send attempt: it counts the
// attempt and pushes next_at to the end of the lease, so a sender that
// dies mid-send leaves the row to be retried when the lease ends. ok is
// false when the delivery is no longer pending and due (another sender
// took it, or it was removed with its setting).
func (s *Store) LeaseDelivery(ctx context.Context, id int64, lease time.Duration) (d Delivery, ok bool, err error) {
	now := s.Now()
	d, err = scanDelivery(s.db.QueryRowContext(ctx, `
		UPDATE deliveries SET attempts = attempts + 1, next_at = ?
		WHERE id = ? AND state = 'pending' AND next_at <= ?
		RETURNING `+deliveryColumns, unix(now.Add(lease)), id, unix(now)))
	if errors.Is(err, sql.ErrNoRows) {
		return Delivery{}, false, nil
	}
	if err != nil {
		return Delivery{}, false, fmt.Errorf("store: lease delivery %d: %w", id, err)
	}
	return d, true, nil
}

// DeliverySent records a delivery as posted, with the message id.
func (s *Store) DeliverySent(ctx context.Context, id int64, messageID string) error {
	return s.finishDelivery(ctx, id, `UPDATE deliveries SET state = 'sent', message_id = ?, last_error = '', done_at = ? WHERE id = ?`,
		messageID, unix(s.Now()), id)
}

// DeliveryFailed records that a delivery will never be posted, and why.
func (s *Store) DeliveryFailed(ctx context.Context, id int64, reason string) error {
	return s.finishDelivery(ctx, id, `UPDATE deliveries SET state = 'failed', last_error = ?, done_at = ? WHERE id = ?`,
		reason, unix(s.Now()), id)
}

// RetryDelivery puts a delivery back to be tried again at at, keeping the
// error that stopped this attempt.
func (s *Store) RetryDelivery(ctx context.Context, id int64, at time.Time, reason string) error {
	return s.finishDelivery(ctx, id, `UPDATE deliveries SET last_error = ?, next_at = ? WHERE id = ? AND state = 'pending'`,
		reason, unix(at), id)
}

func (s *Store) finishDelivery(ctx context.Context, id int64, q string, args ...any) error {
	r, err := s.db.ExecContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("store: update delivery %d: %w", id, err)
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return fmt.Errorf("store: update delivery %d: %w", id, ErrNotFound)
	}
	return nil
}

// PruneDeliveries deletes the deliveries that finished (sent or failed)
// before before, and returns how many. Planning never repeats an old key
// (it looks only at the last day's stories and at today), so the history
// can go once /status no longer shows it.
func (s *Store) PruneDeliveries(ctx context.Context, before time.Time) (int, error) {
	r, err := s.db.ExecContext(ctx, `DELETE FROM deliveries WHERE state != 'pending' AND done_at < ?`, unix(before))
	if err != nil {
		return 0, fmt.Errorf("store: prune deliveries: %w", err)
	}
	n, _ := r.RowsAffected()
	return int(n), nil
}

// NextDeliveryAt returns when the earliest pending delivery is due; ok is
// false when nothing is pending.
func (s *Store) NextDeliveryAt(ctx context.Context) (at time.Time, ok bool, err error) {
	var next sql.NullInt64
	if err := s.db.QueryRowContext(ctx, `SELECT MIN(next_at) FROM deliveries WHERE state = 'pending'`).Scan(&next); err != nil {
		return time.Time{}, false, fmt.Errorf("store: next delivery: %w", err)
	}
	return fromUnix(next.Int64), next.Valid, nil
}

// DeliveryCounts summarises deliveries for /status.
type DeliveryCounts struct {
	Pending          int       // planned, not yet posted
	Sent, Failed     int       // finished since the time asked for
	LastSent         time.Time // zero when none
	LastFailure      string    // the error of the latest failed one since then
	LastFailureAt    time.Time
	OldestPendingFor time.Duration // how long the oldest pending one has waited
}

// DeliveryScope selects whose deliveries DeliveryCounts counts: a
// server's posts (notices to its admins included), a person's DMs, or,
// with both empty, everything.
type DeliveryScope struct{ GuildID, UserID string }

// DeliveryCounts counts the deliveries of a scope: those pending now, and
// those finished since since.
func (s *Store) DeliveryCounts(ctx context.Context, scope DeliveryScope, since time.Time) (DeliveryCounts, error) {
	var (
		c                    DeliveryCounts
		lastSent, failedAt   sql.NullInt64
		oldest               sql.NullInt64
		lastFailure          sql.NullString
		guildCond, guildArgs = "", []any{}
	)
	switch {
	case scope.GuildID != "":
		guildCond, guildArgs = " AND guild_id = ?", []any{scope.GuildID}
	case scope.UserID != "":
		guildCond, guildArgs = " AND guild_id = '' AND user_id = ?", []any{scope.UserID}
	}
	args := append([]any{unix(since)}, guildArgs...)
	err := s.db.QueryRowContext(ctx, `SELECT
		COALESCE(SUM(state = 'sent'), 0), COALESCE(SUM(state = 'failed'), 0), MAX(CASE WHEN state = 'sent' THEN done_at END)
		FROM deliveries WHERE state != 'pending' AND done_at >= ?`+guildCond, args...).Scan(&c.Sent, &c.Failed, &lastSent)
	if err == nil {
		err = s.db.QueryRowContext(ctx, `SELECT COUNT(*), MIN(created_at) FROM deliveries WHERE state = 'pending'`+guildCond,
			guildArgs...).Scan(&c.Pending, &oldest)
	}
	if err == nil {
		err = s.db.QueryRowContext(ctx, `SELECT last_error, done_at FROM deliveries
			WHERE state = 'failed' AND done_at >= ?`+guildCond+` ORDER BY done_at DESC, id DESC LIMIT 1`, args...).Scan(&lastFailure, &failedAt)
		if errors.Is(err, sql.ErrNoRows) {
			err = nil
		}
	}
	if err != nil {
		return DeliveryCounts{}, fmt.Errorf("store: delivery counts: %w", err)
	}
	c.LastSent, c.LastFailure, c.LastFailureAt = fromUnix(lastSent.Int64), lastFailure.String, fromUnix(failedAt.Int64)
	if oldest.Valid {
		c.OldestPendingFor = s.Now().Sub(fromUnix(oldest.Int64))
	}
	return c, nil
}

// Pulse alert sides.
const (
	SideAbove   = "above"
	SideBelow   = "below"
	SideBetween = "between"
)

// PulseAlertSide returns the side of its levels a pulse alert last saw; ok
// is false before the first look.
func (s *Store) PulseAlertSide(ctx context.Context, alertID int64) (side string, ok bool, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT side FROM pulse_alert_sides WHERE alert_id = ?`, alertID).Scan(&side)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("store: side of pulse alert %d: %w", alertID, err)
	}
	return side, true, nil
}

// SetPulseAlertSide records the side of its levels a pulse alert sees now.
func (s *Store) SetPulseAlertSide(ctx context.Context, alertID int64, side string) error {
	_, err := s.db.ExecContext(ctx, `
		INSERT INTO pulse_alert_sides (alert_id, side, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (alert_id) DO UPDATE SET side = excluded.side, updated_at = excluded.updated_at`,
		alertID, side, unix(s.Now()))
	if err != nil {
		return fmt.Errorf("store: set side of pulse alert %d: %w", alertID, err)
	}
	return nil
}

// EnabledAlerts lists every server's alerts that delivery has not given up
// on, by id.
func (s *Store) EnabledAlerts(ctx context.Context) ([]Alert, error) {
	return collect(ctx, s, "enabled alerts", scanAlert, `SELECT `+alertColumns+` FROM alerts WHERE disabled_reason = '' ORDER BY id`)
}

// EnabledFollows lists every person's follows that delivery has not given
// up on, by id.
func (s *Store) EnabledFollows(ctx context.Context) ([]Follow, error) {
	return collect(ctx, s, "enabled follows", scanFollow, `SELECT `+followColumns+` FROM follows WHERE disabled_reason = '' ORDER BY id`)
}

// EnabledDigests lists every server's digest that delivery has not given
// up on, by server.
func (s *Store) EnabledDigests(ctx context.Context) ([]Digest, error) {
	return collect(ctx, s, "enabled digests", scanDigest, `SELECT `+digestColumns+` FROM digests WHERE disabled_reason = '' ORDER BY guild_id`)
}
