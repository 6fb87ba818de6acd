package main

import (
	"context"
	"fmt"

	"github.com/pulsebot/pulsebot/store"
)

// cmdDeliveries lists the outbox, newest first: what pulsebot posted, what
// waits (and why, after a failed attempt) and what it gave up on. It is
// the operator's answer to "why didn't my alert fire?".
func cmdDeliveries(ctx context.Context, c *cli, args []string) int {
	fs := c.flags("deliveries", "[--state pending|sent|failed] [--limit N] [--json] [--db PATH]")
	state := fs.String("state", "", "only deliveries in this state: pending, sent or failed")
	limit := fs.Int("limit", 20, "at most this many, newest first")
	asJSON := fs.Bool("json", false, "print JSON")
	db := dbFlag(fs)
	if code, ok := c.parse(fs, args, 0); !ok {
		return code
	}
	switch *state {
	case "", store.DeliveryPending, store.DeliverySent, store.DeliveryFailed:
	default:
		fmt.Fprintf(c.stderr, "pulsebot deliveries: --state %q: use pending, sent or failed\n", *state)
		return exitUsage
	}
	if *limit < 1 {
		fmt.Fprintf(c.stderr, "pulsebot deliveries: --limit %d: use a positive number\n", *limit)
		return exitUsage
	}
	_, st, code := c.setup(ctx, *db, "", store.Options{})
	if st == nil {
		return code
	}
	defer st.Close()
	ds, err := st.RecentDeliveries(ctx, *state, *limit)
	if err != nil {
		return c.fail(err)
	}
	if *asJSON {
		type deliveryJSON struct {
			ID        int64  `json:"id"`
			Key       string `json:"key"`
			Kind      string `json:"kind"`
			GuildID   string `json:"guild_id,omitempty"`
			ChannelID string `json:"channel_id,omitempty"`
			UserID    string `json:"user_id,omitempty"`
			State     string `json:"state"`
			Attempts  int    `json:"attempts"`
			NextAt    string `json:"next_at,omitempty"`
			LastError string `json:"last_error,omitempty"`
			MessageID string `json:"message_id,omitempty"`
			CreatedAt string `json:"created_at"`
			DoneAt    string `json:"done_at,omitempty"`
		}
		out := struct {
			Deliveries []deliveryJSON `json:"deliveries"`
		}{Deliveries: []deliveryJSON{}}
		for _, d := range ds {
			j := deliveryJSON{ID: d.ID, Key: d.Key, Kind: d.Kind, GuildID: d.GuildID, ChannelID: d.ChannelID, UserID: d.UserID,
				State: d.State, Attempts: d.Attempts, LastError: d.LastError, MessageID: d.MessageID,
				CreatedAt: rfc3339(d.CreatedAt), DoneAt: rfc3339(d.DoneAt)}
			if d.State == store.DeliveryPending {
				j.NextAt = rfc3339(d.NextAt)
			}
			out.Deliveries = append(out.Deliveries, j)
		}
		return c.printJSON(out)
	}
	if len(ds) == 0 {
		fmt.Fprintln(c.stdout, "No deliveries. Alerts, follows and digests are planned and posted by 'pulsebot run' with a bot token.")
		return exitOK
	}
	for _, d := range ds {
		target := "channel " + d.ChannelID
		if d.ChannelID == "" {
			target = "DM to " + d.UserID
		}
		var what string
		switch d.State {
		case store.DeliverySent:
			what = "sent " + d.DoneAt.UTC().Format("2006-01-02 15:04") + " as message " + d.MessageID
		case store.DeliveryFailed:
			what = "failed " + d.DoneAt.UTC().Format("2006-01-02 15:04") + ": " + d.LastError
		default:
			what = "waiting, next try " + d.NextAt.UTC().Format("2006-01-02 15:04")
			if d.LastError != "" {
				what += " (last error: " + d.LastError + ")"
			}
		}
		fmt.Fprintf(c.stdout, "#%-6d %-8s %-22s %s, %s, %s\n", d.ID, d.Kind, d.Key, target, plural(d.Attempts, "attempt"), what)
	}
	return exitOK
}
