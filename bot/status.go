package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/pulsebot/pulsebot/jobs/pulse"
	"github.com/pulsebot/pulsebot/store"
)

// status answers /status: what exists now, for anyone. Feeds healthy and
// failing (with why), the last ingest, how fresh the pulse is, how posts
// went in the last day (the server's, or in DMs the person's), and in a
// server its digest and any disabled alert with its reason (in DMs, the
// person's disabled follows).
func (b *Bot) status(ctx context.Context, in *Interaction) (Reply, error) {
	now := b.now()
	e := &discordgo.MessageEmbed{Title: "pulsebot status", Color: 0x5865F2}
	add := func(name, value string) {
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: name, Value: value})
	}

	srcs, err := b.Store.Sources(ctx, true)
	if err != nil {
		return Reply{}, err
	}
	feeds, lastFetch := feedsText(srcs)
	add("Feeds", feeds)

	_, newest, err := b.Store.StoryBounds(ctx)
	if err != nil {
		return Reply{}, err
	}
	ingest := "No ingest has run yet."
	if !lastFetch.IsZero() {
		ingest = "Last fetch " + discordTime(lastFetch, "R")
		if !newest.IsZero() {
			ingest += "; newest story " + discordTime(newest, "R")
		}
		ingest += "."
	}
	add("Ingest", ingest)

	p, err := b.Store.LatestPulse(ctx, pulse.GlobalScope)
	switch {
	case errors.Is(err, store.ErrNotFound):
		add("Pulse", "No pulse computed yet.")
	case err != nil:
		return Reply{}, err
	default:
		state := "final"
		if !p.Final {
			state = "live"
		}
		v := fmt.Sprintf("%s: %.1f · %s (%s, computed %s)", p.Day, p.Score, p.Band, state, discordTime(p.ComputedAt, "R"))
		if today := now.Format(time.DateOnly); p.Day != today {
			v += "\n⚠ No pulse for today (" + today + ") yet."
		}
		add("Pulse", v)
	}

	scope := store.DeliveryScope{GuildID: in.GuildID}
	if in.GuildID == "" {
		scope.UserID = in.UserID
	}
	dc, err := b.Store.DeliveryCounts(ctx, scope, now.Add(-24*time.Hour))
	if err != nil {
		return Reply{}, err
	}
	add("Deliveries", deliveriesText(dc))

	if in.GuildID != "" {
		d, err := b.Store.Digest(ctx, in.GuildID)
		switch {
		case errors.Is(err, store.ErrNotFound):
			add("Digest", "Not set. /digest set schedules one.")
		case err != nil:
			return Reply{}, err
		default:
			v := strings.TrimSuffix(describeDigest(d, now), ".")
			v = strings.ToUpper(v[:1]) + v[1:] + "."
			if d.DisabledReason != "" {
				v += "\n⚠ Disabled " + discordTime(d.DisabledAt, "R") + ": " + escapeText(clip(d.DisabledReason, 200))
			}
			add("Digest", v)
		}
		alerts, err := b.Store.Alerts(ctx, in.GuildID)
		if err != nil {
			return Reply{}, err
		}
		add("Alerts", alertsStatus(alerts))
	} else {
		follows, err := b.Store.Follows(ctx, in.UserID)
		if err != nil {
			return Reply{}, err
		}
		add("Your follows", followsStatus(follows))
	}
	return Reply{Embeds: []*discordgo.MessageEmbed{e}, Ephemeral: true}, nil
}

// deliveriesText summarizes the last day's posts: how many went out, how
// many failed and why the last one did, and what is waiting.
func deliveriesText(c store.DeliveryCounts) string {
	if c.Sent+c.Failed+c.Pending == 0 {
		return "Nothing posted in the last 24 hours."
	}
	v := fmt.Sprintf("Last 24 hours: %d posted", c.Sent)
	if !c.LastSent.IsZero() {
		v += ", the latest " + discordTime(c.LastSent, "R")
	}
	v += "."
	if c.Failed > 0 {
		v += fmt.Sprintf("\n⚠ %d could not be posted; the latest %s: %s", c.Failed, discordTime(c.LastFailureAt, "R"), escapeText(clip(c.LastFailure, 200)))
	}
	if c.Pending > 0 {
		v += fmt.Sprintf("\n%d waiting to go out (the oldest for %s).", c.Pending, c.OldestPendingFor.Round(time.Second))
	}
	return v
}

// feedsText summarizes feed health; failing feeds are named with their
// last error, most failures first as they come from the store.
func feedsText(srcs []store.Source) (string, time.Time) {
	if len(srcs) == 0 {
		return "No feeds configured yet.", time.Time{}
	}
	var (
		healthy, waiting int
		failing          []store.Source
		last             time.Time
	)
	for _, s := range srcs {
		if s.LastFetchAt.After(last) {
			last = s.LastFetchAt
		}
		switch {
		case s.Healthy():
			healthy++
		case s.ConsecutiveFailures > 0:
			failing = append(failing, s)
		default:
			waiting++
		}
	}
	head := fmt.Sprintf("%d healthy · %d failing", healthy, len(failing))
	if waiting > 0 {
		head += fmt.Sprintf(" · %d not fetched yet", waiting)
	}
	lines := []string{head}
	budget := (limitFieldValue - runeLen(head)) / max(len(failing), 1)
	for i, s := range failing {
		if i == 8 {
			lines = append(lines, fmt.Sprintf("…and %d more failing", len(failing)-i))
			break
		}
		name := s.Name
		if name == "" {
			name = s.Outlet
		}
		if name == "" {
			name = s.URL
		}
		line := fmt.Sprintf("⚠ **%s**: %s (%s in a row, since %s)", escapeText(clip(name, 60)), escapeText(clip(s.LastError, 150)),
			plural(s.ConsecutiveFailures, "failure"), discordTime(s.LastErrorAt, "R"))
		lines = append(lines, clip(line, budget-1))
	}
	return strings.Join(lines, "\n"), last
}

func alertsStatus(alerts []store.Alert) string {
	var disabled []disabledSetting
	for _, a := range alerts {
		if a.DisabledReason != "" {
			disabled = append(disabled, disabledSetting{a.ID, a.DisabledAt, a.DisabledReason})
		}
	}
	return settingsStatus(plural(len(alerts), "alert")+" saved (/alerts list).", disabled)
}

func followsStatus(follows []store.Follow) string {
	var disabled []disabledSetting
	for _, f := range follows {
		if f.DisabledReason != "" {
			disabled = append(disabled, disabledSetting{f.ID, f.DisabledAt, f.DisabledReason})
		}
	}
	return settingsStatus(plural(len(follows), "follow")+" saved (/following).", disabled)
}

// disabledSetting is an alert or follow that delivery gave up on.
type disabledSetting struct {
	id     int64
	at     time.Time
	reason string
}

func settingsStatus(head string, disabled []disabledSetting) string {
	v := head
	if len(disabled) == 0 {
		return v
	}
	budget := (limitFieldValue-runeLen(head))/len(disabled) - 1
	for _, d := range disabled {
		v += "\n" + clip(fmt.Sprintf("⚠ #%d disabled %s: %s", d.id, discordTime(d.at, "R"), escapeText(clip(d.reason, 150))), budget)
	}
	return v
}
