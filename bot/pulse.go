package bot

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/pulsebot/pulsebot/jobs/pulse"
	"github.com/pulsebot/pulsebot/jobs/pulsejob"
	"github.com/pulsebot/pulsebot/jobs/tag"
)

// chartName is the chart's attachment name, which the embed's image refers
// to as attachment://pulse.png.
const chartName = "pulse.png"

// pulse answers /pulse [coin] [date]: the day's score with its band,
// deltas, components, confidence, the stories that moved it and why, and
// the 30-day chart. Chart rendering is the slow part (the route is slow, so
// transports defer it) and is kept apart in withChart.
func (b *Bot) pulse(ctx context.Context, in *Interaction) (Reply, error) {
	rep, res, err := b.pulseReply(ctx, in)
	if err != nil || b.noChart {
		return rep, err
	}
	return b.withChart(ctx, rep, res), nil
}

// pulseReply is /pulse without the chart.
func (b *Bot) pulseReply(ctx context.Context, in *Interaction) (Reply, pulsejob.Result, error) {
	coin, isCoin, err := coinArg(in)
	if err != nil {
		return Reply{}, pulsejob.Result{}, err
	}
	day, err := dateArg(in.Str("date"), b.now())
	if err != nil {
		return Reply{}, pulsejob.Result{}, err
	}
	scope := pulse.GlobalScope
	if isCoin {
		scope = coin.Ticker
	}
	res, err := b.Pulses.Get(ctx, scope, day)
	if err != nil {
		return Reply{}, pulsejob.Result{}, err
	}
	var c *tag.Coin
	if isCoin {
		c = &coin
	}
	return Reply{Embeds: []*discordgo.MessageEmbed{pulseEmbed(res, c, b.now(), false)}}, res, nil
}

// withChart attaches the 30-day chart and shows it in the embed. A chart
// that fails to render costs the picture, not the answer.
func (b *Bot) withChart(ctx context.Context, rep Reply, res pulsejob.Result) Reply {
	png, err := b.Pulses.Chart(ctx, res)
	if err != nil {
		b.logger().Warn("pulse chart failed", "scope", res.Scope, "day", res.Date.Format(time.DateOnly), "err", err)
		return rep
	}
	rep.Files = []*discordgo.File{{Name: chartName, ContentType: "image/png", Reader: bytes.NewReader(png)}}
	rep.Embeds[0].Image = &discordgo.MessageEmbedImage{URL: "attachment://" + chartName}
	return rep
}

// dateArg parses the date option: YYYY-MM-DD, "today" or "yesterday"
// (UTC); absent means today.
func dateArg(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	switch strings.ToLower(s) {
	case "", "today":
		return today, nil
	case "yesterday":
		return today.AddDate(0, 0, -1), nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, Userf("“%s” is not a date (use YYYY-MM-DD)", escapeText(clip(s, 40)))
	}
	return d, nil
}

// bandColors colour the embed's edge like the chart's bands.
func bandColor(band string) int {
	switch band {
	case pulse.BandExtremeFear:
		return 0xC0392B
	case pulse.BandFear:
		return 0xE67E22
	case pulse.BandGreed:
		return 0x7DCEA0
	case pulse.BandExtremeGreed:
		return 0x1E8449
	}
	return 0x95A5A6
}

// pulseEmbed renders a pulse. coin is nil for the global pulse. compact
// (the digest) keeps the score, its change, the explanation and the
// stories, and leaves out components and confidence details.
func pulseEmbed(res pulsejob.Result, coin *tag.Coin, now time.Time, compact bool) *discordgo.MessageEmbed {
	p := res.Pulse
	day := p.Date.Format(time.DateOnly)
	title := "Market Pulse · " + day
	if coin != nil {
		title = "Market Pulse · " + coin.Ticker + " (" + coin.Name + ") · " + day
	}
	var desc strings.Builder
	fmt.Fprintf(&desc, "**%.1f / 10 · %s**\n", p.Score, p.Band)
	if !res.Final {
		if day == now.Format(time.DateOnly) {
			desc.WriteString("*Today so far: it changes as news arrives.*\n")
		} else {
			desc.WriteString("*Provisional: this day is not final yet.*\n")
		}
	}
	if lowCoin := coin != nil && p.Stories < pulse.MinCoinStories; lowCoin {
		fmt.Fprintf(&desc, "**Low-confidence pulse:** only %s about %s that day; a coin pulse needs %d to mean much.\n",
			plural(p.Stories, "story"), coin.Ticker, pulse.MinCoinStories)
	}
	desc.WriteString(escapeText(p.Explanation))
	e := &discordgo.MessageEmbed{
		Title:       title,
		Description: clip(desc.String(), limitDescription),
		Color:       bandColor(p.Band),
		Footer:      &discordgo.MessageEmbedFooter{Text: pulseFooter(res)},
	}
	e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: "Change", Value: deltasText(p.Deltas), Inline: true})
	if !compact {
		e.Fields = append(e.Fields,
			&discordgo.MessageEmbedField{Name: "Confidence", Value: confidenceText(p), Inline: true},
			&discordgo.MessageEmbedField{Name: "Components", Value: componentsText(p.Components)},
		)
	}
	e.Fields = append(e.Fields,
		&discordgo.MessageEmbedField{Name: "Bullish", Value: pulseStories(p.Bullish, "▲", "No clearly bullish story.")},
		&discordgo.MessageEmbedField{Name: "Bearish", Value: pulseStories(p.Bearish, "▼", "No clearly bearish story.")},
	)
	return e
}

func pulseFooter(res pulsejob.Result) string {
	state := "final"
	if !res.Final {
		state = "live"
	}
	return fmt.Sprintf("%s · %s pulse from %s · 0 = extreme fear, 5 = neutral, 10 = extreme greed",
		pulse.Disclaimer, state, plural(res.Stories, "story"))
}

func deltasText(d pulse.Deltas) string {
	line := func(label string, v *float64) string {
		if v == nil {
			return label + ": —"
		}
		return label + ": " + signed(*v, 1)
	}
	return strings.Join([]string{line("vs yesterday", d.Day), line("vs a week ago", d.Week), line("vs a month ago", d.Month)}, "\n")
}

// signed formats a change with its sign (a real minus sign).
func signed(v float64, decimals int) string {
	s := fmt.Sprintf("%+.*f", decimals, v)
	if strings.Trim(s, "+-0.") == "" {
		return fmt.Sprintf("±%.*f", decimals, 0.0)
	}
	return strings.Replace(s, "-", "−", 1)
}

func confidenceText(p pulse.Pulse) string {
	c := p.Confidence
	if c != "" {
		c = strings.ToUpper(c[:1]) + c[1:]
	}
	return fmt.Sprintf("%s\n%s (%.1f effective)", c, plural(p.Stories, "story"), p.Effective)
}

func componentsText(cs []pulse.Component) string {
	if len(cs) == 0 {
		return emptyField
	}
	budget := limitFieldValue/len(cs) - 1
	lines := make([]string, 0, len(cs))
	for _, c := range cs {
		value := signed(c.Value, 2)
		if c.ID == pulse.ComponentVolume {
			value = fmt.Sprintf("×%.2f", c.Value)
		}
		head := fmt.Sprintf("**%s** %.1f (%s, weight %.0f%%) · ", c.Name, c.Score, value, c.Weight*100)
		lines = append(lines, head+escapeText(clip(c.Detail, max(budget-runeLen(head), 1))))
	}
	return strings.Join(lines, "\n")
}

// pulseStories lists the stories that pushed a pulse one way, each linked
// with its outlet count, within one field value.
func pulseStories(stories []pulse.Story, mark, none string) string {
	if len(stories) == 0 {
		return none
	}
	if len(stories) > 3 {
		stories = stories[:3]
	}
	budget := limitFieldValue/len(stories) - 1
	lines := make([]string, 0, len(stories))
	for _, s := range stories {
		lines = append(lines, linkLine(mark+" ", s.Headline, s.URL, " · "+plural(max(s.Outlets, 1), "outlet"), budget))
	}
	return strings.Join(lines, "\n")
}
