// Package deliver plans what pulsebot posts: story alerts, personal follows
// by DM, pulse alerts and daily digests. Planning writes each post to the
// store's outbox under a key that makes it once (the same alert and story,
// the same digest day); the bot's sender posts the outbox. Splitting the
// two keeps the decision of what to post — which is pure, testable and
// safe to repeat — apart from talking to Discord, which fails in its own
// ways.
package deliver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/pulsebot/pulsebot/jobs/pulse"
	"github.com/pulsebot/pulsebot/jobs/pulsejob"
	"github.com/pulsebot/pulsebot/store"
)

// Keep is how long finished deliveries stay in the outbox: long enough for
// /status and an operator's questions, and far longer than any key could
// be planned again.
const Keep = 7 * 24 * time.Hour

// Freshness is how old a story may be (by first publish time) and still be
// posted as an alert: news, not history. A story that reaches an alert's
// outlet count a day after it broke is not news any more.
const Freshness = 24 * time.Hour

// storiesMark is the meta key of the time up to which changed stories have
// been matched; the next plan looks only at stories changed since, less
// markOverlap. The overlap covers an ingest transaction that stamped its
// stories before the mark but committed after the plan read: those are
// looked at again (their keys make them once), never missed.
const (
	storiesMark = "deliver.stories_matched_until"
	markOverlap = 15 * time.Minute
)

// Planner decides what to post and writes it to the outbox.
type Planner struct {
	Store  *store.Store
	Pulses *pulsejob.Service
	Log    *slog.Logger
	Now    func() time.Time // nil: time.Now
}

// Planned counts the deliveries one Plan added, by kind.
type Planned struct {
	Stories, Follows, Pulses, Digests int
}

// Total is the number of deliveries added.
func (p Planned) Total() int { return p.Stories + p.Follows + p.Pulses + p.Digests }

// Plan looks at the settings, the recent stories, today's pulses and the
// clock, and adds to the outbox what is due; it also clears deliveries
// finished more than Keep ago. Running it again adds nothing new: every
// delivery has a key. A setting that can't be planned (a time
// zone this machine lacks) is logged and skipped; the others go on.
func (p *Planner) Plan(ctx context.Context) (Planned, error) {
	now := p.now()
	var n Planned
	var errs []error
	alerts, err := p.Store.EnabledAlerts(ctx)
	if err != nil {
		return n, fmt.Errorf("deliver: plan: %w", err)
	}
	follows, err := p.Store.EnabledFollows(ctx)
	if err != nil {
		return n, fmt.Errorf("deliver: plan: %w", err)
	}
	if n.Stories, n.Follows, err = p.planStories(ctx, now, alerts, follows); err != nil {
		errs = append(errs, err)
	}
	if n.Pulses, err = p.planPulses(ctx, now, alerts); err != nil {
		errs = append(errs, err)
	}
	if n.Digests, err = p.planDigests(ctx, now); err != nil {
		errs = append(errs, err)
	}
	if _, err := p.Store.PruneDeliveries(ctx, now.Add(-Keep)); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return n, fmt.Errorf("deliver: plan: %w", err)
	}
	return n, nil
}

func (p *Planner) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

func (p *Planner) log() *slog.Logger {
	if p.Log != nil {
		return p.Log
	}
	return slog.New(slog.DiscardHandler)
}

// planStories matches the stories created or joined by an article since
// the oldest setting was made (and fresh enough to be news) against the
// story alerts and the follows. A story counts for a setting only if it
// changed after the setting was made, so a new alert does not replay the
// day. Backlog stories (already in a feed when pulsebot first read it) and
// off-topic ones are never posted.
func (p *Planner) planStories(ctx context.Context, now time.Time, alerts []store.Alert, follows []store.Follow) (stories, dms int, err error) {
	var since time.Time
	alerts = slices.DeleteFunc(slices.Clone(alerts), func(a store.Alert) bool { return a.Kind != store.AlertStory })
	for _, a := range alerts {
		if since.IsZero() || a.CreatedAt.Before(since) {
			since = a.CreatedAt
		}
	}
	for _, f := range follows {
		if since.IsZero() || f.CreatedAt.Before(since) {
			since = f.CreatedAt
		}
	}
	if since.IsZero() {
		return 0, 0, nil
	}
	if v, err := p.Store.Meta(ctx, storiesMark); err == nil {
		if sec, err := strconv.ParseInt(v, 10, 64); err == nil {
			if m := time.Unix(sec, 0).Add(-markOverlap); m.After(since) {
				since = m
			}
		}
	} else if !errors.Is(err, store.ErrNotFound) {
		return 0, 0, err
	}
	candidates, err := p.Store.Stories(ctx, store.StoryFilter{Since: now.Add(-Freshness), UpdatedSince: since, ExcludeBacklog: true})
	if err != nil {
		return 0, 0, err
	}
	// Oldest first, so a channel reads in the order the news broke.
	slices.Reverse(candidates)
	ids := make([]int64, len(candidates))
	heads := make([][]string, len(candidates)) // each headline split once, not once per setting
	for i, st := range candidates {
		ids[i], heads[i] = st.ID, words(st.Headline)
	}
	// The overlap brings back stories matched by the previous plan: skip
	// what is planned already rather than have the database refuse it.
	planned, err := p.Store.PlannedForStories(ctx, ids)
	if err != nil {
		return 0, 0, err
	}
	var ds []store.Delivery
	for _, a := range alerts {
		m := newMatcher(a)
		for i, st := range candidates {
			key := "story:" + strconv.FormatInt(a.ID, 10) + ":" + strconv.FormatInt(st.ID, 10)
			if !planned[key] && !st.UpdatedAt.Before(a.CreatedAt) && m.match(st, heads[i]) {
				ds = append(ds, store.Delivery{
					Key: key, Kind: store.DeliverStory,
					GuildID: a.GuildID, ChannelID: a.ChannelID, AlertID: a.ID, StoryID: st.ID,
				})
			}
		}
	}
	if stories, err = p.Store.Enqueue(ctx, ds...); err != nil {
		return 0, 0, err
	}
	ds = ds[:0]
	for _, f := range follows {
		m := newMatcher(store.Alert{Keyword: f.Keyword, Coin: f.Coin})
		for i, st := range candidates {
			key := "follow:" + strconv.FormatInt(f.ID, 10) + ":" + strconv.FormatInt(st.ID, 10)
			if !planned[key] && !st.UpdatedAt.Before(f.CreatedAt) && m.match(st, heads[i]) {
				ds = append(ds, store.Delivery{
					Key: key, Kind: store.DeliverFollow,
					UserID: f.UserID, FollowID: f.ID, StoryID: st.ID,
				})
			}
		}
	}
	if dms, err = p.Store.Enqueue(ctx, ds...); err != nil {
		return stories, 0, err
	}
	return stories, dms, p.Store.SetMeta(ctx, storiesMark, strconv.FormatInt(now.Unix(), 10))
}

// StoryMatches reports whether a story meets every filter a story alert
// (or a follow, as an alert with only Keyword and Coin) sets: the keyword's
// words appear in the headline in order, as whole words, in any case; the
// coin and topic are among the story's tags; enough outlets reported it.
func StoryMatches(a store.Alert, st store.Story) bool {
	return newMatcher(a).match(st, words(st.Headline))
}

// matcher is an alert's filters made ready to test many stories.
type matcher struct {
	a       store.Alert
	coin    string
	keyword []string
}

func newMatcher(a store.Alert) matcher {
	return matcher{a: a, coin: strings.ToUpper(a.Coin), keyword: words(a.Keyword)}
}

// match is StoryMatches with the headline's words already split.
func (m matcher) match(st store.Story, head []string) bool {
	a := m.a
	if a.Keyword == "" && a.Coin == "" && a.Topic == "" && a.MinOutlets == 0 {
		return false // an alert with no filter would post everything
	}
	if a.Coin != "" && !slices.Contains(st.Coins, m.coin) {
		return false
	}
	if a.Topic != "" && !slices.Contains(st.Topics, a.Topic) {
		return false
	}
	if a.MinOutlets > 0 && st.Outlets < a.MinOutlets {
		return false
	}
	return a.Keyword == "" || containsWords(head, m.keyword)
}

// words splits text into lower-case runs of letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func containsWords(text, phrase []string) bool {
	if len(phrase) == 0 {
		return false
	}
	for i := 0; i+len(phrase) <= len(text); i++ {
		if slices.Equal(text[i:i+len(phrase)], phrase) {
			return true
		}
	}
	return false
}

// planPulses fires pulse alerts. An alert fires when today's pulse of its
// scope is beyond one of its levels (strictly above Above, strictly below
// Below) and it did not see the pulse on that side the last time it looked;
// the first look counts as a crossing, so a new alert says at once that the
// pulse is already past its level. A low-confidence pulse (a handful of
// stories) never fires an alert, and at most one post per alert, side and
// day goes out however the live pulse swings.
func (p *Planner) planPulses(ctx context.Context, now time.Time, alerts []store.Alert) (int, error) {
	today := now.UTC().Truncate(24 * time.Hour)
	results := map[string]*pulsejob.Result{}
	added := 0
	var errs []error
	for _, a := range alerts {
		if a.Kind != store.AlertPulse {
			continue
		}
		scope := pulse.GlobalScope
		if a.Coin != "" {
			scope = a.Coin
		}
		res, ok := results[scope]
		if !ok {
			r, err := p.Pulses.Get(ctx, scope, today)
			var ue *pulsejob.UserError
			switch {
			case errors.As(err, &ue): // no stories yet: nothing to compare
			case err != nil:
				errs = append(errs, fmt.Errorf("pulse of %s: %w", scope, err))
			default:
				res = &r
			}
			results[scope] = res
		}
		if res == nil || res.Confidence == pulse.ConfidenceLow {
			continue
		}
		side := store.SideBetween
		switch {
		case a.Above != nil && res.Score > *a.Above:
			side = store.SideAbove
		case a.Below != nil && res.Score < *a.Below:
			side = store.SideBelow
		}
		last, seen, err := p.Store.PulseAlertSide(ctx, a.ID)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if side != store.SideBetween && (!seen || last != side) {
			n, err := p.Store.Enqueue(ctx, store.Delivery{
				Key:  fmt.Sprintf("pulse:%d:%s:%s", a.ID, store.Day(today), side),
				Kind: store.DeliverPulse, GuildID: a.GuildID, ChannelID: a.ChannelID, AlertID: a.ID,
				Day: store.Day(today), Score: res.Score,
			})
			if err != nil {
				errs = append(errs, err)
				continue // look again next time rather than lose the crossing
			}
			added += n
		}
		if !seen || last != side {
			if err := p.Store.SetPulseAlertSide(ctx, a.ID, side); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return added, errors.Join(errs...)
}

// planDigests plans each server's digest for its local day once the local
// time has come. A digest set (or changed) after today's time starts
// tomorrow. If pulsebot was down at the time, the digest goes out late the
// same local day; a day that has passed is not posted.
func (p *Planner) planDigests(ctx context.Context, now time.Time) (int, error) {
	digests, err := p.Store.EnabledDigests(ctx)
	if err != nil {
		return 0, err
	}
	var ds []store.Delivery
	zones := map[string]*time.Location{} // servers share a few zones; load each once
	for _, d := range digests {
		loc, ok := zones[d.Timezone]
		if !ok {
			if loc, err = time.LoadLocation(d.Timezone); err != nil {
				p.log().Warn("digest skipped", "guild_id", d.GuildID, "err", fmt.Errorf("time zone %q: %w", d.Timezone, err))
				continue
			}
			zones[d.Timezone] = loc
		}
		due, day, err := digestDue(d, loc, now)
		if err != nil {
			p.log().Warn("digest skipped", "guild_id", d.GuildID, "err", err)
			continue
		}
		if due {
			ds = append(ds, store.Delivery{
				Key: "digest:" + d.GuildID + ":" + day, Kind: store.DeliverDigest,
				GuildID: d.GuildID, ChannelID: d.ChannelID, Day: day,
			})
		}
	}
	return p.Store.Enqueue(ctx, ds...)
}

// DigestDue reports whether a digest should go out at now, and for which
// local day ('YYYY-MM-DD' in its time zone).
func DigestDue(d store.Digest, now time.Time) (due bool, day string, err error) {
	loc, err := time.LoadLocation(d.Timezone)
	if err != nil {
		return false, "", fmt.Errorf("time zone %q: %w", d.Timezone, err)
	}
	return digestDue(d, loc, now)
}

func digestDue(d store.Digest, loc *time.Location, now time.Time) (due bool, day string, err error) {
	at, err := time.ParseInLocation("15:04", d.Time, loc)
	if err != nil {
		return false, "", fmt.Errorf("time %q: %w", d.Time, err)
	}
	local := now.In(loc)
	// time.Date moves a time that a DST change skips (02:30 on a spring-
	// forward night) past the gap, so the digest still goes out that day.
	scheduled := time.Date(local.Year(), local.Month(), local.Day(), at.Hour(), at.Minute(), 0, 0, loc)
	day = local.Format(time.DateOnly)
	return !now.Before(scheduled) && !d.UpdatedAt.After(scheduled), day, nil
}
