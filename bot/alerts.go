package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"
	"github.com/pulsebot/pulsebot/store"
)

// alertAdd answers /alerts add: a story alert on any of keyword, coin,
// topic and outlet count.
func (b *Bot) alertAdd(ctx context.Context, in *Interaction) (Reply, error) {
	kw, err := keywordArg(in)
	if err != nil {
		return Reply{}, err
	}
	coin, _, err := coinArg(in)
	if err != nil {
		return Reply{}, err
	}
	topic, err := topicArg(in)
	if err != nil {
		return Reply{}, err
	}
	minOutlets := 0
	if in.Has("min_outlets") {
		n := in.Options["min_outlets"].Int
		switch {
		case n < 2:
			return Reply{}, Userf("min_outlets must be at least 2: every story has one outlet, so 1 would match them all.")
		case n > 100:
			return Reply{}, Userf("min_outlets can be at most 100.")
		}
		minOutlets = int(n)
	}
	if kw == "" && coin.Ticker == "" && topic == "" && minOutlets == 0 {
		return Reply{}, Userf("Give at least one filter: keyword, coin, topic or min_outlets.")
	}
	channel, err := channelArg(in)
	if err != nil {
		return Reply{}, err
	}
	return b.saveAlert(ctx, in, store.Alert{
		GuildID: in.GuildID, ChannelID: channel, CreatedBy: in.UserID, Kind: store.AlertStory,
		Keyword: kw, Coin: coin.Ticker, Topic: topic, MinOutlets: minOutlets,
	})
}

// alertPulse answers /alerts pulse: an alert when the pulse (of a coin, or
// overall) rises above or falls below a level.
func (b *Bot) alertPulse(ctx context.Context, in *Interaction) (Reply, error) {
	var above, below *float64
	for _, o := range []struct {
		name string
		dst  **float64
	}{{"above", &above}, {"below", &below}} {
		v, ok := in.Options[o.name]
		if !ok {
			continue
		}
		if v.Str != "" || !(v.Num >= 0 && v.Num <= 10) {
			return Reply{}, Userf("%s is a pulse level from 0 to 10 (got %s).", o.name, numText(v))
		}
		n := v.Num
		*o.dst = &n
	}
	switch {
	case above == nil && below == nil:
		return Reply{}, Userf("Give a level: above, below or both (0 to 10).")
	case above != nil && below != nil && *below >= *above:
		return Reply{}, Userf("below (%.1f) must be lower than above (%.1f), or the alert would fire every day.", *below, *above)
	}
	coin, _, err := coinArg(in)
	if err != nil {
		return Reply{}, err
	}
	channel, err := channelArg(in)
	if err != nil {
		return Reply{}, err
	}
	return b.saveAlert(ctx, in, store.Alert{
		GuildID: in.GuildID, ChannelID: channel, CreatedBy: in.UserID, Kind: store.AlertPulse,
		Coin: coin.Ticker, Above: above, Below: below,
	})
}

func numText(o Option) string {
	if o.Str != "" {
		return quoted(o.Str, 20)
	}
	return strconv.FormatFloat(o.Num, 'f', -1, 64)
}

func (b *Bot) saveAlert(ctx context.Context, in *Interaction, a store.Alert) (Reply, error) {
	a, err := b.Store.CreateAlert(ctx, a)
	if errors.Is(err, store.ErrLimit) {
		return Reply{}, Userf("This server already has %d alerts, the most it can have. Remove one with /alerts remove first.", store.MaxAlertsPerGuild)
	}
	if err != nil {
		return Reply{}, err
	}
	b.logger().Info("alert saved", "alert_id", a.ID, "guild_id", a.GuildID, "user_id", in.UserID, "kind", a.Kind)
	note := storyAlertNote
	if a.Kind == store.AlertPulse {
		note = pulseAlertNote
	}
	return Reply{
		Content:   fmt.Sprintf("Saved alert **#%d**: %s.\n%s", a.ID, describeAlert(a, store.MaxKeywordRunes, true), note),
		Ephemeral: true,
	}, nil
}

// alertList answers /alerts list.
func (b *Bot) alertList(ctx context.Context, in *Interaction) (Reply, error) {
	alerts, err := b.Store.Alerts(ctx, in.GuildID)
	if err != nil {
		return Reply{}, err
	}
	if len(alerts) == 0 {
		return Reply{Content: "This server has no alerts. Add one with /alerts add or /alerts pulse.", Ephemeral: true}, nil
	}
	budget := limitDescription/len(alerts) - 1
	lines := make([]string, 0, len(alerts))
	for _, a := range alerts {
		lines = append(lines, alertLine(a, budget))
	}
	return Reply{Embeds: []*discordgo.MessageEmbed{{
		Title:       fmt.Sprintf("Alerts in this server (%d of %d)", len(alerts), store.MaxAlertsPerGuild),
		Description: clip(strings.Join(lines, "\n"), limitDescription),
		Color:       0x5865F2,
		Footer:      &discordgo.MessageEmbedFooter{Text: "Remove one with /alerts remove."},
	}}, Ephemeral: true}, nil
}

// alertLine is one alert in a list, within budget characters: the keyword
// is cut shorter until it fits.
func alertLine(a store.Alert, budget int) string {
	var line string
	for _, kw := range []int{store.MaxKeywordRunes, 50, 25, 10} {
		line = fmt.Sprintf("**#%d** %s", a.ID, describeAlert(a, kw, true))
		if a.DisabledReason != "" {
			line += "\n  ⚠ disabled " + discordTime(a.DisabledAt, "R") + ": " + escapeText(clip(a.DisabledReason, 120))
		}
		if runeLen(line) <= budget {
			break
		}
	}
	return clip(line, budget)
}

// alertRemove answers /alerts remove id: only this server's alerts.
func (b *Bot) alertRemove(ctx context.Context, in *Interaction) (Reply, error) {
	id, err := idArg(in, "alert", "alerts list")
	if err != nil {
		return Reply{}, err
	}
	a, err := b.Store.RemoveAlert(ctx, id, in.GuildID)
	if errors.Is(err, store.ErrNotFound) {
		return Reply{}, Userf("No alert #%d in this server. /alerts list shows this server's alerts.", id)
	}
	if err != nil {
		return Reply{}, err
	}
	b.logger().Info("alert removed", "alert_id", a.ID, "guild_id", a.GuildID, "user_id", in.UserID)
	return Reply{Content: fmt.Sprintf("Removed alert **#%d**: %s.", a.ID, describeAlert(a, store.MaxKeywordRunes, true)), Ephemeral: true}, nil
}

// describeAlert says what an alert matches and where it posts. markdown
// escapes the keyword and names the channel as a mention; without it
// (autocomplete choices, which show plain text) the channel is left out.
func describeAlert(a store.Alert, kwMax int, markdown bool) string {
	s := alertFilters(a, kwMax, markdown)
	if markdown {
		s += " → " + channelMention(a.ChannelID)
	}
	return s
}

// alertFilters says what an alert matches, escaped for markdown or plain.
func alertFilters(a store.Alert, kwMax int, markdown bool) string {
	var parts []string
	text := func(s string) string {
		if markdown {
			return quoted(s, kwMax)
		}
		return "“" + clip(s, kwMax) + "”"
	}
	switch a.Kind {
	case store.AlertPulse:
		scope := "the overall pulse"
		if a.Coin != "" {
			scope = "the " + a.Coin + " pulse"
		}
		var levels []string
		if a.Above != nil {
			levels = append(levels, fmt.Sprintf("rises above %.1f", *a.Above))
		}
		if a.Below != nil {
			levels = append(levels, fmt.Sprintf("falls below %.1f", *a.Below))
		}
		parts = append(parts, "when "+scope+" "+strings.Join(levels, " or "))
	default:
		var filters []string
		if a.Keyword != "" {
			filters = append(filters, "keyword "+text(a.Keyword))
		}
		if a.Coin != "" {
			filters = append(filters, "coin "+a.Coin)
		}
		if a.Topic != "" {
			filters = append(filters, "topic "+a.Topic)
		}
		if a.MinOutlets > 0 {
			filters = append(filters, fmt.Sprintf("reported by %d+ outlets", a.MinOutlets))
		}
		parts = append(parts, "stories with "+strings.Join(filters, " · "))
	}
	return strings.Join(parts, " ")
}

// alertChoices suggests this server's alerts for /alerts remove, as
// "#7 — stories with keyword “etf”", those whose id starts with what was
// typed first.
func (b *Bot) alertChoices(ctx context.Context, guildID, typed string) ([]*discordgo.ApplicationCommandOptionChoice, error) {
	if guildID == "" {
		return nil, nil
	}
	alerts, err := b.Store.Alerts(ctx, guildID)
	if err != nil {
		return nil, err
	}
	return idChoices(alerts, typed, func(a store.Alert) (int64, string) {
		name := describeAlert(a, 40, false)
		if a.DisabledReason != "" {
			name += " (disabled)"
		}
		return a.ID, name
	}), nil
}

// idChoices suggests numbered settings as "#7 — description", those whose
// id starts with what was typed, up to Discord's 25.
func idChoices[T any](items []T, typed string, describe func(T) (int64, string)) []*discordgo.ApplicationCommandOptionChoice {
	var out []*discordgo.ApplicationCommandOptionChoice
	for _, it := range items {
		n, desc := describe(it)
		id := strconv.FormatInt(n, 10)
		if typed != "" && !strings.HasPrefix(id, typed) {
			continue
		}
		out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: clip("#"+id+" — "+desc, limitChoiceName), Value: n})
		if len(out) == limitChoices {
			break
		}
	}
	return out
}
