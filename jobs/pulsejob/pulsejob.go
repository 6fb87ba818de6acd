package pulsejob

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/pulsebot/pulsebot/jobs/pulse"
	"github.com/pulsebot/pulsebot/store"
)

// FinalizeAfter is how long after midnight UTC a day's pulse becomes final:
// late articles of the day before still count until then.
const FinalizeAfter = 5 * time.Minute

// HistoryDays is how far back Compute looks for baselines (volume) and
// catch-up fills missing days.
const HistoryDays = 31

// Service computes and stores pulses.
type Service struct {
	Store *store.Store
	Now   func() time.Time
	Log   *slog.Logger
}

// Result is a pulse and where it came from.
type Result struct {
	pulse.Pulse
	Final bool // a final stored pulse; false for today's live one
}

// UserError is a request that cannot be answered, with a message a person
// can act on ("No pulse for 2019-01-01: data starts 2025-11-02").
type UserError struct{ Msg string }

func (e *UserError) Error() string { return e.Msg }

func userErrorf(format string, args ...any) error {
	return &UserError{Msg: fmt.Sprintf(format, args...)}
}

// Today is the current UTC day at midnight.
func (s *Service) Today() time.Time { return midnight(s.now()) }

// Get returns the pulse of a scope ("global" or a ticker) and day: the
// stored final pulse when there is one, else computed now from the stored
// stories.
func (s *Service) Get(ctx context.Context, scope string, day time.Time) (Result, error) {
	day = midnight(day)
	scope = normScope(scope)
	today := s.Today()
	if day.After(today) {
		return Result{}, userErrorf("%s is in the future; the latest pulse is today's (%s)", store.Day(day), store.Day(today))
	}
	rec, err := s.Store.Pulse(ctx, scope, store.Day(day))
	switch {
	case err == nil && rec.Final:
		var p pulse.Pulse
		if err := json.Unmarshal(rec.Data, &p); err != nil {
			return Result{}, fmt.Errorf("pulse: decode stored %s %s: %w", scope, rec.Day, err)
		}
		return Result{Pulse: p, Final: true}, nil
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return Result{}, err
	}
	first, _, err := s.Store.StoryBounds(ctx)
	if err != nil {
		return Result{}, err
	}
	if first.IsZero() {
		return Result{}, userErrorf("No pulse for %s: there are no stories yet (the first ingest may still be running)", store.Day(day))
	}
	if day.Before(midnight(first)) {
		return Result{}, userErrorf("No pulse for %s: data starts %s", store.Day(day), store.Day(first))
	}
	p, err := s.Compute(ctx, scope, day)
	if err != nil {
		return Result{}, err
	}
	return Result{Pulse: p, Final: false}, nil
}

// Compute computes a scope's pulse for a day from the stored stories and
// the stored pulses of the days before it.
func (s *Service) Compute(ctx context.Context, scope string, day time.Time) (pulse.Pulse, error) {
	day = midnight(day)
	scope = normScope(scope)
	f := store.StoryFilter{Day: store.Day(day)}
	if scope != pulse.GlobalScope {
		f.Coin = scope
	}
	stories, err := s.Store.Stories(ctx, f)
	if err != nil {
		return pulse.Pulse{}, err
	}
	hist, err := s.Store.Pulses(ctx, scope, store.Day(day.AddDate(0, 0, -HistoryDays)), store.Day(day.AddDate(0, 0, -1)), false)
	if err != nil {
		return pulse.Pulse{}, err
	}
	in := pulse.Input{Scope: scope, Date: day, Stories: make([]pulse.Story, 0, len(stories)), History: make([]pulse.Day, 0, len(hist))}
	for _, st := range stories {
		in.Stories = append(in.Stories, Story(st))
	}
	for _, h := range hist {
		d, err := time.Parse(time.DateOnly, h.Day)
		if err != nil {
			continue
		}
		in.History = append(in.History, pulse.Day{Date: d, Score: h.Score, Stories: h.Stories, Volume: h.Volume, Balance: h.Balance})
	}
	return pulse.Compute(in), nil
}

// Story converts a stored story for the pulse core.
func Story(st store.Story) pulse.Story {
	return pulse.Story{
		ID: st.ID, Headline: st.Headline, URL: st.URL, Outlets: st.Outlets,
		Sentiment: st.Sentiment.Score, Label: st.Sentiment.Label, Confidence: st.Sentiment.Confidence,
		FirstPublished: st.FirstPublished, Coins: st.Coins, Topics: st.Topics,
	}
}

// save computes and stores the pulses of a day: global and every coin its
// stories mention. It returns how many rows were written.
func (s *Service) save(ctx context.Context, day time.Time, final, force bool) (int, error) {
	scopes := []string{pulse.GlobalScope}
	coins, err := s.Store.DayCoins(ctx, store.Day(day))
	if err != nil {
		return 0, err
	}
	scopes = append(scopes, coins...)
	n := 0
	for _, scope := range scopes {
		p, err := s.Compute(ctx, scope, day)
		if err != nil {
			return n, err
		}
		data, err := json.Marshal(p)
		if err != nil {
			return n, fmt.Errorf("pulse: encode %s %s: %w", scope, store.Day(day), err)
		}
		saved, err := s.Store.SavePulse(ctx, store.PulseRecord{
			Scope: scope, Day: store.Day(day), Score: p.Score, Band: p.Band, Confidence: p.Confidence,
			Stories: p.Stories, Volume: p.Volume, Balance: p.Balance, Data: data, Final: final,
		}, force)
		if err != nil {
			return n, err
		}
		if saved {
			n++
		}
	}
	return n, nil
}

// Refresh brings the pulses table up to date: every day of the last
// HistoryDays that has passed its finalization time and has no final pulse
// is finalized (oldest first, so each day's baselines exist), and the days
// still open (today, and yesterday until 00:05 UTC) are recomputed live. It
// runs after each ingest and at 00:05 UTC.
func (s *Service) Refresh(ctx context.Context) error {
	now := s.now()
	today := midnight(now)
	first, _, err := s.Store.StoryBounds(ctx)
	if err != nil || first.IsZero() {
		return err
	}
	from := today.AddDate(0, 0, -HistoryDays)
	if f := midnight(first); f.After(from) {
		from = f
	}
	stored, err := s.Store.Pulses(ctx, pulse.GlobalScope, store.Day(from), store.Day(today), false)
	if err != nil {
		return err
	}
	final := map[string]bool{}
	for _, p := range stored {
		final[p.Day] = p.Final
	}
	for d := from; !d.After(today); d = d.AddDate(0, 0, 1) {
		open := now.Before(d.AddDate(0, 0, 1).Add(FinalizeAfter))
		if !open && final[store.Day(d)] {
			continue
		}
		if _, err := s.save(ctx, d, !open, false); err != nil {
			return err
		}
	}
	return nil
}

// BackfillReport says what Backfill did.
type BackfillReport struct {
	Days, Written, Skipped int
}

// Backfill computes and stores the pulses of every day in [from, to],
// oldest first. Final pulses are kept unless force is set; days still open
// are stored live.
func (s *Service) Backfill(ctx context.Context, from, to time.Time, force bool) (BackfillReport, error) {
	var r BackfillReport
	from, to = midnight(from), midnight(to)
	if to.Before(from) {
		return r, userErrorf("--to %s is before --from %s", store.Day(to), store.Day(from))
	}
	now := s.now()
	if today := midnight(now); to.After(today) {
		to = today
	}
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		r.Days++
		if !force {
			if rec, err := s.Store.Pulse(ctx, pulse.GlobalScope, store.Day(d)); err == nil && rec.Final {
				r.Skipped++
				continue
			}
		}
		open := now.Before(d.AddDate(0, 0, 1).Add(FinalizeAfter))
		n, err := s.save(ctx, d, !open, force)
		if err != nil {
			return r, err
		}
		r.Written += n
	}
	return r, nil
}

// Points returns the chart points of a scope for the ChartDays days up to
// and including day: stored pulses, and day itself as computed by Get
// when it is not final.
func (s *Service) Points(ctx context.Context, scope string, day time.Time, current Result) ([]pulse.Point, error) {
	day = midnight(day)
	scope = normScope(scope)
	recs, err := s.Store.Pulses(ctx, scope, store.Day(day.AddDate(0, 0, -(pulse.ChartDays-1))), store.Day(day), false)
	if err != nil {
		return nil, err
	}
	pts := make([]pulse.Point, 0, len(recs)+1)
	for _, r := range recs {
		d, err := time.Parse(time.DateOnly, r.Day)
		if err != nil || r.Day == store.Day(day) {
			continue
		}
		pts = append(pts, pulse.Point{Date: d, Score: r.Score, Final: r.Final})
	}
	return append(pts, pulse.Point{Date: day, Score: current.Score, Final: current.Final}), nil
}

// Chart renders the 30-day chart ending at the given pulse's day.
func (s *Service) Chart(ctx context.Context, current Result) ([]byte, error) {
	pts, err := s.Points(ctx, current.Scope, current.Date, current)
	if err != nil {
		return nil, err
	}
	title := "Market Pulse"
	if current.Scope != pulse.GlobalScope {
		title += " — " + current.Scope
	}
	return pulse.Chart(pts, current.Date, title)
}

func normScope(scope string) string {
	if scope == "" || strings.EqualFold(scope, pulse.GlobalScope) {
		return pulse.GlobalScope
	}
	return strings.ToUpper(scope)
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func midnight(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}
